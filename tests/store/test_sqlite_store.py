"""The SQLite store: schema, chats, subscriptions, sources, articles and the outbox."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.errors import SchemaError
from bot.models import (
    NewArticle,
    PlannedPush,
    PollIntent,
    Schedule,
    SourceKind,
    SourcePoll,
    SourceSpec,
    Target,
    TargetKind,
)
from bot.store.schema import LATEST_VERSION, MIGRATIONS
from bot.store.sqlite import SqliteStore
from tests.clock import Clock

PERU = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")
LABOR = Target(TargetKind.TOPIC, "labor", "✊ Labor")
LITHIUM = Target(TargetKind.KEYWORD, "lithium mining", '🔎 "lithium mining"')


def article(source_id: int, n: int, countries: tuple[str, ...] = ("PE",)) -> NewArticle:
    return NewArticle(
        source_id=source_id,
        url=f"https://example.org/{n}/",
        url_norm=f"https://example.org/{n}",
        title=f"Article {n}",
        teaser=f"Teaser {n}",
        guid=f"guid-{n}",
        author=None,
        published_at=None,
        countries=countries,
        topics=("labor",),
    )


async def test_migration_creates_schema_and_wal(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "fresh.db"
    store = await SqliteStore.open(path, clock=clock)
    assert await store.schema_version() == LATEST_VERSION
    await store.close()
    with closing(sqlite3.connect(path)) as db, db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert {"chats", "subscriptions", "sources", "articles", "article_tags", "pushes"} <= tables
    assert mode == "wal"


async def test_reopening_keeps_data_and_version(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "again.db"
    first = await SqliteStore.open(path, clock=clock)
    await first.upsert_chat(1, "private", "Ana")
    await first.close()
    second = await SqliteStore.open(path, clock=clock)
    assert await second.get_chat(1) is not None
    assert await second.schema_version() == LATEST_VERSION
    await second.close()


async def test_newer_database_is_refused(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "future.db"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(SchemaError, match="newer"):
        await SqliteStore.open(path, clock=clock)


async def test_subscriptions_add_list_remove(store: SqliteStore) -> None:
    await store.upsert_chat(10, "private", "Ana")
    assert await store.add_subscriptions(10, [PERU, LABOR]) == [PERU, LABOR]
    assert await store.add_subscriptions(10, [PERU, LITHIUM]) == [LITHIUM]
    listed = [s.target for s in await store.list_subscriptions(10)]
    assert sorted(listed, key=lambda t: t.value) == sorted(
        [PERU, LABOR, LITHIUM], key=lambda t: t.value
    )
    assert await store.remove_subscriptions(10, [PERU, PERU]) == [PERU]
    assert await store.remove_all_subscriptions(10) == 2
    assert await store.list_subscriptions(10) == []


async def test_subscribers_skip_paused_and_inactive_chats(store: SqliteStore) -> None:
    for chat_id in (1, 2, 3):
        await store.upsert_chat(chat_id, "private", "")
        await store.add_subscriptions(chat_id, [PERU])
    await store.set_paused(2, True)
    await store.deactivate_chat(3, "blocked")
    found = await store.subscribers(TargetKind.COUNTRY, ["PE", "FR"])
    assert [s.chat_id for s in found] == [1]
    # speaking again re-activates a chat
    await store.upsert_chat(3, "private", "")
    found = await store.subscribers(TargetKind.COUNTRY, ["PE"])
    assert sorted(s.chat_id for s in found) == [1, 3]


async def test_sync_sources_enables_file_sources_and_resets_changed_url(
    store: SqliteStore,
) -> None:
    states = await store.sync_sources(
        [SourceSpec("A", "https://a.example/feed"), SourceSpec("B", "https://b.example/")]
    )
    assert [s.name for s in states] == ["A", "B"]
    a = states[0]
    await store.apply(
        PollIntent([SourcePoll(a.id, 5.0, ok=True, kind=SourceKind.RSS, etag='"x"')], [], [])
    )
    states = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    assert [s.name for s in states] == ["A"]
    assert states[0].initialized and states[0].etag == '"x"' and states[0].kind is SourceKind.RSS
    states = await store.sync_sources([SourceSpec("A", "https://a.example/other")])
    assert not states[0].initialized and states[0].etag is None and states[0].kind is None


async def test_record_poll_dedupes_and_queues_pushes_once(store: SqliteStore) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    first = await store.apply(
        PollIntent(
            [SourcePoll(source.id, 1.0, ok=True)],
            [article(source.id, 1), article(source.id, 2)],
            [PlannedPush(1, "https://example.org/1"), PlannedPush(1, "https://example.org/2")],
        )
    )
    assert [a.title for a in first.new_articles] == ["Article 1", "Article 2"]
    assert first.pushes_queued == 2
    again = await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(1, "https://example.org/1")])
    )
    assert again.new_articles == [] and again.pushes_queued == 0
    assert await store.unknown_urls(["https://example.org/1", "https://example.org/3"]) == {
        "https://example.org/3"
    }
    due = await store.due_pushes(10)
    assert [p.article.title for p in due] == ["Article 1", "Article 2"]
    assert due[0].article.countries == ("PE",) and due[0].article.source_name == "A"


async def test_failed_poll_counts_failures(store: SqliteStore) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    for _ in range(2):
        await store.apply(
            PollIntent(
                [SourcePoll(source.id, 1.0, ok=False, error="HTTP 503", next_poll_after=99.0)],
                [],
                [],
            )
        )
    (state,) = await store.list_sources()
    assert state.failures == 2 and state.last_error == "HTTP 503"
    assert state.next_poll_after == 99.0 and not state.initialized


async def test_outbox_sent_retry_failed(store: SqliteStore, clock: Clock) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(
        PollIntent(
            [],
            [article(source.id, n) for n in (1, 2, 3)],
            [PlannedPush(1, f"https://example.org/{n}") for n in (1, 2, 3)],
        )
    )
    one, two, three = await store.due_pushes(10)
    await store.mark_sent([one.id], message_id=7)
    await store.mark_retry([two.id], "network", delay_seconds=30)
    await store.mark_failed([three.id], "refused")
    assert await store.due_pushes(10) == []
    assert await store.pending_count() == 1
    clock.now += 31
    (retried,) = await store.due_pushes(10)
    assert retried.id == two.id and retried.attempts == 1


async def test_deactivating_a_chat_fails_its_pending_pushes(store: SqliteStore) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(1, "https://example.org/1")])
    )
    await store.deactivate_chat(1, "Forbidden: bot was blocked by the user")
    assert await store.pending_count() == 0
    chat = await store.get_chat(1)
    assert chat is not None and not chat.active


async def test_migrated_chat_keeps_subscriptions_and_queue(store: SqliteStore) -> None:
    await store.upsert_chat(-100, "group", "Comrades")
    await store.add_subscriptions(-100, [PERU])
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(-100, "https://example.org/1")])
    )
    await store.migrate_chat(-100, -1001234)
    assert await store.get_chat(-100) is None
    moved = await store.get_chat(-1001234)
    assert moved is not None and moved.type == "supergroup"
    assert [s.target for s in await store.list_subscriptions(-1001234)] == [PERU]
    assert [p.chat_id for p in await store.due_pushes(10)] == [-1001234]


async def test_recent_articles_newest_first(store: SqliteStore, clock: Clock) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(PollIntent([], [article(source.id, 1)], []))
    clock.now += 60
    await store.apply(PollIntent([], [article(source.id, 2, countries=("FR",))], []))
    recent = await store.recent_articles(5)
    assert [a.title for a in recent] == ["Article 2", "Article 1"]
    assert recent[0].countries == ("FR",)


async def test_paused_chat_keeps_its_queue_until_it_resumes(store: SqliteStore) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(1, "https://example.org/1")])
    )
    await store.set_paused(1, True)
    assert await store.due_pushes(10) == []
    await store.set_paused(1, False)
    assert [p.chat_id for p in await store.due_pushes(10)] == [1]


async def test_a_long_queue_does_not_starve_other_chats(store: SqliteStore) -> None:
    for chat_id in (1, 2):
        await store.upsert_chat(chat_id, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    articles = [article(source.id, n) for n in range(40)]
    pushes = [PlannedPush(1, f"https://example.org/{n}") for n in range(40)]
    await store.apply(PollIntent([], articles, [*pushes, PlannedPush(2, "https://example.org/39")]))
    due = await store.due_pushes(limit=2, per_chat=5)
    assert [p.chat_id for p in due] == [1] * 5 + [2]  # chat 2's one push comes in the same pass
    assert [p.article.title for p in due[:5]] == [f"Article {n}" for n in range(5)]


async def test_back_to_immediate_releases_held_pushes(store: SqliteStore, clock: Clock) -> None:
    await store.upsert_chat(1, "private", "")
    await store.set_schedule(1, Schedule(quiet_start=0, quiet_end=23))
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    held = PlannedPush(1, "https://example.org/1", "held99:1", not_before=clock.now + 3600)
    await store.apply(PollIntent([], [article(source.id, 1)], [held]))
    assert await store.due_pushes(10) == []
    await store.set_schedule(1, Schedule())
    assert [p.batch for p in await store.due_pushes(10)] == ["held99:1"]


async def test_a_version_1_database_upgrades_with_its_data(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as db, db:
        for statement in MIGRATIONS[1]:
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO chats (id, type, title, created_at, updated_at) "
            "VALUES (7, 'private', 'Ana', 0, 0)"
        )
        db.execute(
            "INSERT INTO subscriptions (chat_id, kind, value, label, created_at) "
            "VALUES (7, 'country', 'PE', 'Peru', 0)"
        )
    store = await SqliteStore.open(path, clock=clock)
    assert await store.schema_version() == LATEST_VERSION
    assert [s.target.value for s in await store.list_subscriptions(7)] == ["PE"]
    assert await store.get_schedule(7) == Schedule()
    await store.close()
    fresh = tmp_path / "fresh.db"
    await (await SqliteStore.open(fresh, clock=clock)).close()

    def schema(p: Path) -> set[tuple[str, str]]:
        with closing(sqlite3.connect(p)) as db, db:
            return {
                (row[0], row[1])
                for row in db.execute(
                    "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                )
            }

    assert schema(path) == schema(fresh)
