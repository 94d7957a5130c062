"""The record types passed between the core modules, in one place, split by direction.

Parsed from a source (sources -> pipeline), what readers follow (query -> store, pipeline),
state read from the store, and intents the pipeline hands the store to apply. No I/O here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# Sources: what a source is, and what reading it gave


class SourceKind(StrEnum):
    RSS = "rss"
    ATOM = "atom"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class ListingSelectors:
    """Per-source CSS selectors for a listing page, overriding the generic extractor."""

    item: str  # one element per article
    title: str | None = None  # within an item; default: the first headline link
    link: str | None = None  # within an item; default: the title's link
    teaser: str | None = None
    date: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One entry of the sources file."""

    name: str
    url: str
    kind: SourceKind | None = None  # None: detect from the response
    selectors: ListingSelectors | None = None


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article as a parser found it, before classification and storage."""

    url: str
    title: str
    teaser: str
    guid: str | None = None
    published: datetime | None = None
    categories: tuple[str, ...] = ()
    author: str | None = None


MAX_ARTICLES = 200  # articles a parsed page keeps, newest first: a flood costs one page's work


@dataclass(frozen=True, slots=True)
class ParsedPage:
    kind: SourceKind
    articles: list[ParsedArticle]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched body, or status 304 with an empty body when the source has not changed."""

    status: int
    url: str
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class SourceRead:
    """A source's fetch and parse: articles when it changed, none on 304, an error on failure."""

    articles: list[ParsedArticle] = field(default_factory=list)
    kind: SourceKind | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    feed_url: str | None = None  # the discovered feed that was read instead of the page
    bytes_fetched: int = 0
    title: str | None = None  # the feed's or page's own title
    body_hash: str | None = None  # of the body parsed (or found unchanged), for the next poll


# What readers follow


@dataclass(frozen=True, slots=True)
class Tags:
    """What an article is about: ISO 3166-1 alpha-2 codes and topic slugs, most relevant first."""

    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


class TargetKind(StrEnum):
    COUNTRY = "country"
    TOPIC = "topic"
    KEYWORD = "keyword"
    REGION = "region"  # value: a region slug, e.g. "latin-america"
    FILTER = "filter"  # value: a boolean filter, stored as bot.query.filter_tree describes


@dataclass(frozen=True, slots=True)
class Target:
    """Something a chat can subscribe to, as understood from the reader's words."""

    kind: TargetKind
    value: str  # ISO2 code, topic slug, or normalised keyword phrase
    label: str  # what the reader sees, e.g. "🇵🇪 Peru"


class UnresolvedReason(StrEnum):
    """Why words did not become a target: code branches on this, the message is for people."""

    EMPTY = "empty"  # nothing to look up
    NO_WORD = "no-word"  # not one letter or digit
    TOO_LONG = "too-long"  # longer than one term may be
    NO_KEYWORD = "no-keyword"  # "keyword" with no phrase after it
    KEYWORD_LENGTH = "keyword-length"  # a keyword phrase too short or too long to follow
    AMBIGUOUS = "ambiguous"  # the name of several targets; the suggestions are the candidates
    CITY_OR_STATE = "city-or-state"  # a place we don't follow; the suggestion is its country
    TYPO = "typo"  # unknown but close to known names; the suggestions are those names
    UNKNOWN = "unknown"  # unknown and close to nothing we know
    BAD_FILTER = "bad-filter"  # a boolean filter that cannot be read


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Words we could not understand, why, and what the reader probably meant."""

    term: str
    reason: UnresolvedReason
    message: str
    suggestions: tuple[Target, ...] = field(default=())


# State from the store


FIRST_TOPIC_ID = 2**60
"""Forum topics are subscribers with ids from here up: no Telegram chat id (52 bits) gets here."""


def is_topic(subscriber_id: int) -> bool:
    """Whether a subscriber id names a forum topic rather than a Telegram chat."""
    return subscriber_id >= FIRST_TOPIC_ID


@dataclass(frozen=True, slots=True)
class Chat:
    """A subscriber: a Telegram chat, or one topic of a forum supergroup (`thread_id` set).

    Everything downstream (subscriptions, pushes, schedules) is keyed by `id`; only the
    sender needs where that is in Telegram (`telegram_id`, `thread_id`).
    """

    id: int
    type: str  # private | group | supergroup | channel | topic
    title: str
    active: bool
    paused: bool
    language: str | None = None  # what the chat reads ("es"); None until someone chose
    forum_chat_id: int | None = None  # a topic: the supergroup it is in
    thread_id: int | None = None  # a topic: its message_thread_id
    managed_by: int | None = None  # a channel: who manages it from a private chat

    @property
    def telegram_id(self) -> int:
        """The Telegram chat messages to this subscriber go to."""
        return self.id if self.forum_chat_id is None else self.forum_chat_id


@dataclass(frozen=True, slots=True)
class Schedule:
    """A chat's delivery preferences; hours are local to its time zone, or its UTC offset."""

    tz_offset_minutes: int = 0  # with tz_name: the zone's offset when it was chosen
    quiet_start: int | None = None  # hour the quiet hours begin, e.g. 22
    quiet_end: int | None = None  # hour they end, e.g. 7
    digest_hour: int | None = None  # deliver everything once a day at this hour
    tz_name: str | None = None  # an IANA zone ("America/Lima"): the offset follows its DST

    @property
    def immediate(self) -> bool:
        return self.digest_hour is None and self.quiet_start is None

    def quiet_at(self, local_hour: int) -> bool:
        if self.quiet_start is None or self.quiet_end is None:
            return False
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= local_hour < self.quiet_end
        return local_hour >= self.quiet_start or local_hour < self.quiet_end


def merge_schedules(old: Schedule, new: Schedule) -> Schedule:
    """A migrated group's schedule: each setting someone chose survives, the newer chat's first.

    A setting left at its default was never chosen, so the other chat's value takes its place;
    where both chats chose one (a time zone, quiet hours, a digest hour), the new chat's stays.
    """
    zone_chosen = new.tz_name is not None or new.tz_offset_minutes != 0
    zone = new if zone_chosen else old
    quiet = new if new.quiet_start is not None else old
    return Schedule(
        tz_offset_minutes=zone.tz_offset_minutes,
        quiet_start=quiet.quiet_start,
        quiet_end=quiet.quiet_end,
        digest_hour=new.digest_hour if new.digest_hour is not None else old.digest_hour,
        tz_name=zone.tz_name,
    )


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    target: Target
    created_at: float


@dataclass(frozen=True, slots=True)
class Subscriber:
    chat_id: int
    kind: TargetKind
    value: str


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
    body_hash: str | None = None  # the last body read: the same body again is not parsed


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
    first_seen_at: float = 0.0


@dataclass(frozen=True, slots=True)
class PendingPush:
    id: int
    chat_id: int  # the subscriber
    chat_type: str
    batch: str | None
    attempts: int
    article: StoredArticle
    language: str | None = None  # the chat's language, for the push's labels
    forum_chat_id: int | None = None  # a topic's supergroup (Chat.forum_chat_id)
    thread_id: int | None = None  # a topic's message_thread_id


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
    oldest_due_at: float | None = None  # when the oldest push due now was queued: the lag


@dataclass(frozen=True, slots=True)
class PollRecord:
    """What `Store.apply` stored: the new articles and how many pushes were queued."""

    new_articles: list[StoredArticle]
    pushes_queued: int


# Intents to the store


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
    body_hash: str | None = None  # of the body this poll read


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
class PlannedPush:
    """One (chat, article) push decided by the matcher; a shared `batch` makes a digest.

    A `held` push waits for the chat's quiet hours or daily digest until `not_before`;
    going back to immediate delivery releases it at once (a retry's wait is not a hold).
    """

    chat_id: int
    url_norm: str
    batch: str | None = None
    not_before: float = 0.0
    held: bool = False


@dataclass(frozen=True, slots=True)
class PollIntent:
    """What one poll decided, applied by the store in one transaction.

    `pushes` may be lazy (a Plan): a big poll means millions of pairs, written as they come.
    """

    polls: Sequence[SourcePoll] = ()
    articles: Sequence[NewArticle] = ()
    pushes: Iterable[PlannedPush] = ()
