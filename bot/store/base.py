"""What the core asks of the database: one Protocol per domain, `Store` their union.

The records they return live in bot.models. Handlers and core modules depend on these
Protocols only (a function that needs chats alone can ask for a `ChatStore`); SQL lives in
the backends (`bot/store/sqlite/`), so a PostgreSQL backend can be added beside it without
touching them. Each method is atomic (a poll's `apply` chunk by chunk); times come from the
backend's injected clock.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Protocol

from bot.models import (
    ArticleText,
    Chat,
    DeliveryStats,
    PendingPush,
    PollIntent,
    PollRecord,
    RecentStory,
    Schedule,
    SourceSpec,
    SourceState,
    StoredArticle,
    Subscriber,
    Subscription,
    Target,
    TargetKind,
)


class ChatStore(Protocol):
    """Chats that talked to us, whether we may send to them, and their delivery schedule.

    A chat here is a subscriber: a Telegram chat, or one topic of a forum supergroup with
    an id of its own (`topic_subscriber`, ids from bot.models.FIRST_TOPIC_ID up).
    """

    async def upsert_chat(
        self,
        chat_id: int,
        chat_type: str,
        title: str,
        *,
        language: str | None = None,
        managed_by: int | None = None,
    ) -> Chat: ...
    async def set_language(self, chat_id: int, language: str) -> None: ...
    async def topic_subscriber(self, chat_id: int, thread_id: int, title: str) -> Chat: ...
    async def managed_channels(self, user_id: int) -> list[Chat]: ...
    async def get_chat(self, chat_id: int) -> Chat | None: ...
    async def set_paused(self, chat_id: int, paused: bool) -> None: ...
    async def deactivate_chat(self, chat_id: int, reason: str) -> bool: ...
    async def migrate_chat(self, old_id: int, new_id: int) -> None: ...
    async def get_schedule(self, chat_id: int) -> Schedule: ...
    async def set_schedule(self, chat_id: int, schedule: Schedule) -> None: ...
    async def schedules(self) -> dict[int, Schedule]: ...


class SubscriptionStore(Protocol):
    """What each chat follows, and who follows a target."""

    async def add_subscriptions(self, chat_id: int, targets: Sequence[Target]) -> list[Target]: ...
    async def remove_subscriptions(
        self, chat_id: int, targets: Sequence[Target]
    ) -> list[Target]: ...
    async def remove_all_subscriptions(self, chat_id: int) -> int: ...
    async def list_subscriptions(self, chat_id: int) -> list[Subscription]: ...
    async def subscribers(self, kind: TargetKind, values: Sequence[str]) -> list[Subscriber]: ...
    async def keyword_subscribers(self) -> list[Subscriber]: ...
    async def filter_subscribers(self) -> list[Subscriber]: ...
    async def followed_phrases(self) -> list[str]: ...
    async def follower_ids(
        self, kind: TargetKind, values: Sequence[str] | None
    ) -> dict[str, array[int]]: ...


class SourceStore(Protocol):
    """The sources we poll, from the sources file or added in chat, with their poll state."""

    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[SourceState]: ...
    async def list_sources(self) -> list[SourceState]: ...
    async def add_source(self, spec: SourceSpec, *, guarded: bool) -> SourceState: ...
    async def disable_source(self, name: str) -> SourceState | None: ...


class ArticleStore(Protocol):
    """Articles read within the retention window, newest first, findable by tag."""

    async def unknown_urls(self, url_norms: Sequence[str]) -> set[str]: ...
    async def recent_articles(
        self, limit: int, *, older_than: StoredArticle | None = None
    ) -> list[StoredArticle]: ...
    async def tagged_articles(
        self, *, countries: Sequence[str] = (), topics: Sequence[str] = (), limit: int
    ) -> list[StoredArticle]: ...
    async def articles_with_phrases(
        self, phrases: Sequence[str], *, limit: int, older_than: StoredArticle | None = None
    ) -> list[StoredArticle]:
        """Newest first, the articles whose title or teaser has any phrase's words in a row.

        Words are compared without case or accents; the caller checks each candidate with
        the keyword matcher, which alone says what a keyword match is.
        """
        ...

    async def recent_stories(self, since: float) -> list[RecentStory]: ...
    async def articles_for_message(self, chat_id: int, message_id: int) -> list[ArticleText]: ...
    async def article_by_url(self, url_norm: str) -> ArticleText | None: ...
    async def prune_articles(self, before: float, *, forget_pruned_before: float) -> int: ...


class OutboxStore(Protocol):
    """Pushes waiting to be sent, and what became of them."""

    async def due_pushes(self, limit: int, per_chat: int = 30) -> list[PendingPush]: ...
    async def mark_sent(self, push_ids: Sequence[int], message_id: int | None) -> None: ...
    async def mark_retry(
        self, push_ids: Sequence[int], error: str, delay_seconds: float
    ) -> None: ...
    async def mark_failed(self, push_ids: Sequence[int], error: str) -> None: ...
    async def pending_count(self) -> int: ...
    async def delivery_stats(self) -> DeliveryStats: ...
    async def story_recipients(self, story_keys: Sequence[str]) -> dict[str, frozenset[int]]: ...


class Store(ChatStore, SubscriptionStore, SourceStore, ArticleStore, OutboxStore, Protocol):
    """Everything newsbot persists, and the one write that spans domains: a poll's intent."""

    async def close(self) -> None: ...
    async def schema_version(self) -> int: ...
    async def apply(self, intent: PollIntent) -> PollRecord:
        """Store the intent in chunks, so other calls go in between; all or, if it dies, redone.

        A poll that fails half way leaves its articles unknown and its sources unrecorded, so
        the next poll queues what is missing; a (chat, article) push is never queued twice.
        """
        ...
