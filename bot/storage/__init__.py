"""The store: what the core asks of the database, as a Protocol, and the records it returns.

Handlers and core modules depend on `Store` only; SQL lives in `bot/storage/sqlite.py`, so a
PostgreSQL backend can be added beside it without touching them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.models import ListingSelectors, SourceKind, SourceSpec, Target, TargetKind
from bot.schedule import Schedule


@dataclass(frozen=True, slots=True)
class Chat:
    id: int
    type: str
    title: str
    active: bool
    paused: bool


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    target: Target
    created_at: float


@dataclass(frozen=True, slots=True)
class SourceState:
    id: int
    name: str
    url: str
    kind: SourceKind | None
    initialized: bool
    etag: str | None
    last_modified: str | None
    last_polled_at: float | None
    last_ok_at: float | None
    last_error: str | None
    failures: int
    next_poll_after: float
    article_count: int = 0
    feed_url: str | None = None  # the feed discovered on the page at `url`, fetched instead
    selectors: ListingSelectors | None = None
    origin: str = "file"  # file | admin
    guarded: bool = False  # fetched only from public addresses (added through the bot)


@dataclass(frozen=True, slots=True)
class NewArticle:
    """A classified article ready to store; `url_norm` is its identity across sources."""

    source_id: int
    url: str
    url_norm: str
    title: str
    teaser: str
    guid: str | None
    author: str | None
    published_at: float | None
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    story_key: str | None = None  # url_norm of an earlier article of the same story
    categories: tuple[str, ...] = ()  # the source's own tags, kept so /why can explain


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    source_name: str
    url: str
    title: str
    teaser: str
    published_at: float | None
    first_seen_at: float
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    also_in: tuple[str, ...] = ()  # other sources that carried the same story


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What an article was classified from, so /why can explain its tags."""

    url: str
    title: str
    teaser: str
    categories: tuple[str, ...]
    countries: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecentStory:
    """A recent article, as syndication compares new ones against it."""

    url_norm: str
    source_id: int
    source_name: str
    title: str
    teaser: str


@dataclass(frozen=True, slots=True)
class PlannedPush:
    """One (chat, article) push decided by the matcher; a shared `batch` makes a digest."""

    chat_id: int
    url_norm: str
    batch: str | None = None
    not_before: float = 0.0  # held back by the chat's quiet hours or daily digest


@dataclass(frozen=True, slots=True)
class SourcePoll:
    """What one source's poll leaves behind: its new state and, when it worked, its articles."""

    source_id: int
    polled_at: float
    ok: bool
    error: str | None = None
    kind: SourceKind | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_poll_after: float = 0.0
    feed_url: str | None = None  # the feed to fetch next time instead of the page


@dataclass(frozen=True, slots=True)
class PollRecord:
    """What `record_poll` stored: the new articles and how many pushes were queued."""

    new_articles: list[StoredArticle]
    pushes_queued: int


@dataclass(frozen=True, slots=True)
class PendingPush:
    id: int
    chat_id: int
    chat_type: str
    batch: str | None
    attempts: int
    article: StoredArticle


@dataclass(frozen=True, slots=True)
class DeliveryStats:
    """The outbox at a glance, for operators: what waits, what went, what failed and why."""

    pending: int
    held: int  # pending, but waiting for quiet hours or a retry
    sent_last_day: int
    failed: int
    active_chats: int
    inactive_chats: int
    failure_reasons: list[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class Subscriber:
    chat_id: int
    kind: TargetKind
    value: str


class Store(Protocol):
    """Everything newsbot persists; each method is atomic, times come from an injected clock."""

    async def close(self) -> None: ...
    async def schema_version(self) -> int: ...

    # chats
    async def upsert_chat(self, chat_id: int, chat_type: str, title: str) -> Chat: ...
    async def get_chat(self, chat_id: int) -> Chat | None: ...
    async def set_paused(self, chat_id: int, paused: bool) -> None: ...
    async def get_schedule(self, chat_id: int) -> Schedule: ...
    async def set_schedule(self, chat_id: int, schedule: Schedule) -> None: ...
    async def schedules(self) -> dict[int, Schedule]: ...
    async def deactivate_chat(self, chat_id: int, reason: str) -> None: ...
    async def migrate_chat(self, old_id: int, new_id: int) -> None: ...

    # subscriptions
    async def add_subscriptions(self, chat_id: int, targets: Sequence[Target]) -> list[Target]: ...
    async def remove_subscriptions(
        self, chat_id: int, targets: Sequence[Target]
    ) -> list[Target]: ...
    async def remove_all_subscriptions(self, chat_id: int) -> int: ...
    async def list_subscriptions(self, chat_id: int) -> list[Subscription]: ...
    async def subscribers(self, kind: TargetKind, values: Sequence[str]) -> list[Subscriber]: ...
    async def keyword_subscribers(self) -> list[Subscriber]: ...
    async def filter_subscribers(self) -> list[Subscriber]: ...

    # sources
    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[SourceState]: ...
    async def list_sources(self) -> list[SourceState]: ...
    async def add_source(self, spec: SourceSpec, *, guarded: bool) -> SourceState: ...
    async def disable_source(self, name: str) -> SourceState | None: ...

    # articles and the outbox
    async def unknown_urls(self, url_norms: Sequence[str]) -> set[str]: ...
    async def record_poll(
        self,
        polls: Sequence[SourcePoll],
        articles: Sequence[NewArticle],
        pushes: Iterable[PlannedPush],
    ) -> PollRecord: ...
    async def articles_for_message(self, chat_id: int, message_id: int) -> list[ArticleText]: ...
    async def article_by_url(self, url_norm: str) -> ArticleText | None: ...
    async def recent_articles(self, limit: int) -> list[StoredArticle]: ...
    async def recent_stories(self, since: float) -> list[RecentStory]: ...
    async def prune_articles(self, before: float) -> int: ...
    async def due_pushes(self, limit: int, per_chat: int = 30) -> list[PendingPush]: ...
    async def mark_sent(self, push_ids: Sequence[int], message_id: int | None) -> None: ...
    async def mark_retry(
        self, push_ids: Sequence[int], error: str, delay_seconds: float
    ) -> None: ...
    async def mark_failed(self, push_ids: Sequence[int], error: str) -> None: ...
    async def pending_count(self) -> int: ...
    async def delivery_stats(self) -> DeliveryStats: ...
