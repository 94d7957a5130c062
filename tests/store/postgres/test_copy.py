"""`newsbot migrate-db`: an SQLite installation copied into PostgreSQL reads back the same."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.models import (
    ListingSelectors,
    PlannedPush,
    PollIntent,
    Schedule,
    SourceKind,
    SourcePoll,
    SourceSpec,
)
from bot.store.base import Store
from bot.store.postgres import PostgresStore
from bot.store.postgres.copy import TABLES, copy_sqlite_to_postgres
from bot.store.sqlite import SqliteStore
from tests.clock import Clock
from tests.helpers.cli import newsbot
from tests.store.backends import postgres_schema
from tests.store.builders import LABOR, PERU, article


async def installation(store: Store, clock: Clock) -> None:
    """A bit of everything: chats with a schedule, follows, polled sources, a story, pushes."""
    await store.upsert_chat(1, "private", "Ana")
    await store.upsert_chat(2, "group", "Union")
    await store.upsert_chat(3, "private", "Gone")
    await store.add_subscriptions(1, [PERU, LABOR])
    await store.add_subscriptions(2, [PERU])
    await store.set_schedule(2, Schedule(tz_offset_minutes=60, quiet_start=22, quiet_end=7))
    selectors = ListingSelectors(item="article", title="h2")
    a, b = await store.sync_sources(
        [
            SourceSpec("A", "https://a.example/", selectors=selectors),
            SourceSpec("B", "https://b.example/"),
        ]
    )
    first = article(a.id, 1)
    copy = replace(article(b.id, 2), story_key=first.url_norm)
    await store.apply(
        PollIntent(
            [SourcePoll(a.id, clock(), ok=True, kind=SourceKind.HTML, etag='"e"', body_hash="h"),
             SourcePoll(b.id, clock(), ok=False, error="HTTP 500", next_poll_after=clock() + 60)],
            [first, copy, article(a.id, 3)],
            [PlannedPush(1, first.url_norm), PlannedPush(2, first.url_norm, held=True,
             not_before=clock() + 3600), PlannedPush(1, "https://example.org/3", batch="d")],
        )
    )  # fmt: skip
    (sent, *_) = await store.due_pushes(10)
    await store.mark_sent([sent.id], message_id=99)
    await store.deactivate_chat(3, "blocked")
    clock.advance(10)


async def snapshot(store: Store) -> tuple[object, ...]:
    """What the bot reads back of an installation."""
    return (
        [await store.get_chat(n) for n in (1, 2, 3)],
        [await store.list_subscriptions(n) for n in (1, 2)],
        await store.schedules(),
        await store.list_sources(),
        await store.recent_articles(10),
        await store.due_pushes(10),
        await store.story_recipients(["https://example.org/1", "https://example.org/2"]),
        await store.articles_for_message(1, 99),
        await store.delivery_stats(),
    )


async def test_a_copy_reads_back_the_same_and_goes_on_after_the_copied_ids(
    tmp_path: Path, clock: Clock
) -> None:
    db = tmp_path / "newsbot.db"
    sqlite = await SqliteStore.open(db, clock=clock)
    try:
        await installation(sqlite, clock)
        expected = await snapshot(sqlite)
    finally:
        await sqlite.close()
    async with postgres_schema() as url:
        copies = await copy_sqlite_to_postgres(db, url)
        counts = {c.table: c.rows for c in copies}
        assert list(counts) == list(TABLES)
        assert counts["chats"] == 3 and counts["pushes"] == 3 and counts["article_tags"] == 6
        copied = await PostgresStore.open(url, clock=clock)
        try:
            assert await snapshot(copied) == expected
            (source, _) = await copied.list_sources()
            record = await copied.apply(PollIntent([], [article(source.id, 4)], []))
            assert record.new_articles[0].id == 4  # after the copied ids, not over them
        finally:
            await copied.close()
        with pytest.raises(StorageError, match="is not empty"):
            await copy_sqlite_to_postgres(db, url)


async def test_the_command_prints_each_table_and_one_line_on_error(tmp_path: Path) -> None:
    db = tmp_path / "newsbot.db"
    sqlite = await SqliteStore.open(db)
    await sqlite.upsert_chat(1, "private", "")
    await sqlite.close()
    async with postgres_schema() as url:
        code, out, err = await newsbot(
            "migrate-db", "--from", f"sqlite:///{db}", "--to", url, cwd=tmp_path
        )
        assert code == 0, err
        assert "  chats: 1 rows" in out and "  pushes: 0 rows" in out and "counts verified" in out
        code, out, err = await newsbot(
            "migrate-db", "--from", f"sqlite:///{db}", "--to", url, cwd=tmp_path
        )
    assert code == 2 and err.count("\n") == 1 and "is not empty" in err
