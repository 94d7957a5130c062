"""Rows to records, for any backend whose rows are read by column name.

The SQL of each backend names its columns as these mappers expect; what the database cannot
see into (space-separated tags, JSON categories and selectors) is decoded here, once.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Protocol

from bot.models import (
    ArticleText,
    Chat,
    ListingSelectors,
    PendingPush,
    RecentStory,
    Schedule,
    SourceKind,
    SourceState,
    StoredArticle,
    Subscriber,
    Subscription,
    Target,
    TargetKind,
)

SELECTOR_FIELDS = ("item", "title", "link", "teaser", "date", "author")


class Row(Protocol):
    """A row read by column name: sqlite3.Row and asyncpg.Record both are."""

    def __getitem__(self, key: str, /) -> Any: ...


def chat_from_row(row: Row) -> Chat:
    return Chat(
        id=row["id"],
        type=row["type"],
        title=row["title"],
        active=bool(row["active"]),
        paused=bool(row["paused"]),
        language=row["language"],
        forum_chat_id=row["forum_chat_id"],
        thread_id=row["thread_id"],
        managed_by=row["managed_by"],
    )


CHAT_COLUMNS = "id, type, title, active, paused, language, forum_chat_id, thread_id, managed_by"
"""What `chat_from_row` reads, in either backend's SQL."""


def schedule_from_row(row: Row) -> Schedule:
    return Schedule(
        tz_offset_minutes=row["tz_offset_minutes"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
        digest_hour=row["digest_hour"],
        tz_name=row["tz_name"],
    )


def subscription_from_row(row: Row) -> Subscription:
    return Subscription(
        chat_id=row["chat_id"],
        target=Target(TargetKind(row["kind"]), row["value"], row["label"]),
        created_at=row["created_at"],
    )


def subscriber_from_row(row: Row, kind: TargetKind) -> Subscriber:
    return Subscriber(row["chat_id"], kind, row["value"])


def selectors_json(selectors: ListingSelectors | None) -> str | None:
    if selectors is None:
        return None
    return json.dumps(
        {name: getattr(selectors, name) for name in SELECTOR_FIELDS if getattr(selectors, name)}
    )


def selectors_from_json(text: str | None) -> ListingSelectors | None:
    if not text:
        return None
    try:
        return ListingSelectors(**json.loads(text))
    except (ValueError, TypeError):  # written by other code: ignore rather than stop polling
        return None


def source_from_row(row: Row) -> SourceState:
    return SourceState(
        id=row["id"],
        name=row["name"],
        url=row["url"],
        kind=SourceKind(row["kind"]) if row["kind"] else None,
        initialized=bool(row["initialized"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_polled_at=row["last_polled_at"],
        last_ok_at=row["last_ok_at"],
        last_error=row["last_error"],
        failures=row["failures"],
        next_poll_after=row["next_poll_after"],
        feed_url=row["feed_url"],
        selectors=selectors_from_json(row["selectors"]),
        origin=row["origin"],
        guarded=bool(row["guarded"]),
        article_count=row["article_count"],
        body_hash=row["body_hash"],
    )


def article_from_row(row: Row) -> StoredArticle:
    return StoredArticle(
        id=row["article_id"],
        source_name=row["source_name"],
        url=row["url"],
        title=row["title"],
        teaser=row["teaser"],
        published_at=row["published_at"],
        first_seen_at=row["first_seen_at"],
        countries=tuple(row["countries"].split()),
        topics=tuple(row["topics"].split()),
    )


def article_text_from_row(row: Row) -> ArticleText:
    try:
        categories = tuple(str(name) for name in json.loads(row["categories"] or "[]"))
    except (ValueError, TypeError):
        categories = ()
    return ArticleText(
        url=row["url"],
        title=row["title"],
        teaser=row["teaser"],
        categories=categories,
        countries=tuple(row["countries"].split()),
        topics=tuple(row["topics"].split()),
    )


def story_from_row(row: Row) -> RecentStory:
    return RecentStory(
        url_norm=row["url_norm"],
        source_id=row["source_id"],
        source_name=row["source_name"],
        title=row["title"],
        teaser=row["teaser"],
        first_seen_at=row["first_seen_at"],
    )


def pending_push_from_row(row: Row, also_in: tuple[str, ...]) -> PendingPush:
    """A due push with its article and where in Telegram it goes (a topic's chat and thread)."""
    return PendingPush(
        id=row["push_id"],
        chat_id=row["chat_id"],
        chat_type=row["chat_type"],
        batch=row["batch"],
        attempts=row["attempts"],
        language=row["chat_language"],
        article=replace(article_from_row(row), also_in=also_in),
        forum_chat_id=row["forum_chat_id"],
        thread_id=row["thread_id"],
    )
