"""The schema: migrations from empty and from each old version, and the stored filter form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.errors import SchemaError
from bot.models import Schedule, TargetKind
from bot.store.sqlite import SqliteStore
from bot.store.sqlite.connection import marks
from bot.store.sqlite.schema import LATEST_VERSION, MIGRATIONS, filter_v1_to_v2
from tests.clock import Clock
from tests.store.builders import database_at, raw, schema_of

TABLES = {
    "article_tags": {"article_id", "kind", "value"},
    "articles": {
        "author",
        "categories",
        "complete",
        "countries",
        "first_seen_at",
        "guid",
        "id",
        "published_at",
        "source_id",
        "story_id",
        "teaser",
        "title",
        "topics",
        "url",
        "url_norm",
    },
    "chats": {
        "active",
        "created_at",
        "digest_hour",
        "forum_chat_id",
        "id",
        "inactive_reason",
        "managed_by",
        "paused",
        "quiet_end",
        "quiet_start",
        "thread_id",
        "title",
        "type",
        "tz_name",
        "language",
        "tz_offset_minutes",
        "updated_at",
    },
    "pruned_urls": {"pruned_at", "url_norm"},
    "pushes": {
        "article_id",
        "attempts",
        "batch",
        "chat_id",
        "created_at",
        "held",
        "id",
        "last_error",
        "message_id",
        "next_attempt_at",
        "sent_at",
        "status",
    },
    "sources": {
        "body_hash",
        "created_at",
        "enabled",
        "etag",
        "failures",
        "feed_url",
        "guarded",
        "id",
        "initialized",
        "kind",
        "last_error",
        "last_modified",
        "last_ok_at",
        "last_polled_at",
        "name",
        "next_poll_after",
        "origin",
        "selectors",
        "url",
    },
    "subscriptions": {"chat_id", "created_at", "id", "kind", "label", "value"},
    "article_words": {"title", "teaser"},  # FTS5 (its shadow tables are FTS5's business)
}
INDEXES = {
    "article_tags_by_article",
    "chats_by_manager",
    "chats_by_topic",
    "articles_by_seen",
    "articles_by_story",
    "pushes_pending",
    "pushes_pending_by_id",
    "subscriptions_by_target_chat",
}
EVERYTHING = {
    *TABLES,
    *(f"{table}.{column}" for table, columns in TABLES.items() for column in columns),
    *INDEXES,
}
# what each later migration adds: tables, "table.column" and index names
ADDED_LATER: dict[int, set[str]] = {
    2: {
        "sources.feed_url",
        "sources.selectors",
        "sources.guarded",
        "articles.story_id",
        "articles_by_story",
        "pruned_urls",
        "pruned_urls.url_norm",
        "pruned_urls.pruned_at",
    },
    3: {"articles.categories"},
    4: {f"chats.{c}" for c in ("tz_offset_minutes", "quiet_start", "quiet_end", "digest_hour")},
    5: {"pushes_by_article", "article_tags_by_article", "pushes_pending_by_id", "pushes_pending"},
    6: {"pushes.held"},
    7: set(),  # rewrites filter rows only
    8: {"sources.body_hash"},
    9: {"articles.complete"},
    10: {"article_words", "article_words.title", "article_words.teaser"},
    11: {"subscriptions_by_target_chat"},
    12: {"chats.tz_name"},
    13: {"chats.language"},
    14: set(),  # rebuilds pushes without pushes_by_article
    15: {
        "chats.forum_chat_id",
        "chats.thread_id",
        "chats_by_topic",
        "chats.managed_by",
        "chats_by_manager",
    },
}
REMOVED_LATER: dict[int, set[str]] = {
    9: {"pushes_due"},
    11: {"subscriptions_by_target"},
    14: {"pushes_by_article"},
}
ADDED = {
    1: EVERYTHING - set().union(*ADDED_LATER.values())
    | set().union(*REMOVED_LATER.values()) - set().union(*ADDED_LATER.values()),
    **ADDED_LATER,
}


def objects(path: Path) -> set[str]:
    """Tables, their columns as table.column, and indexes of a database file."""
    with raw(path) as db:
        tables = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if not r[0].startswith("article_words_")  # FTS5's shadow tables
        ]
        found = set(tables)
        for table in tables:
            found |= {f"{table}.{row[1]}" for row in db.execute(f"PRAGMA table_info({table})")}
        found |= {
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%'"
            )
        }
    return found


def version_of(path: Path) -> int:
    with raw(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


async def test_an_empty_database_migrates_to_the_latest_schema(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "fresh.db"
    store = await SqliteStore.open(path, clock=clock)
    assert await store.schema_version() == LATEST_VERSION == max(MIGRATIONS) == 15
    await store.close()
    assert objects(path) == EVERYTHING
    with raw(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("version", sorted(MIGRATIONS))
async def test_each_migration_adds_what_it_says(tmp_path: Path, version: int) -> None:
    before, after = tmp_path / "before.db", tmp_path / "after.db"
    await database_at(before, version - 1)
    await database_at(after, version)
    assert version_of(after) == version
    assert objects(after) - objects(before) == ADDED[version]
    assert objects(before) - objects(after) == REMOVED_LATER.get(version, set())


async def test_a_newer_database_is_refused(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "future.db"
    with raw(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(SchemaError, match="newer"):
        await SqliteStore.open(path, clock=clock)


async def test_a_failing_migration_changes_nothing(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "odd.db"
    await database_at(path, 1)
    with raw(path) as db:  # something else made a table migration 2 creates
        db.execute("CREATE TABLE pruned_urls (x)")
    with pytest.raises(SchemaError, match=f"version {LATEST_VERSION}"):
        await SqliteStore.open(path, clock=clock)
    assert version_of(path) == 1
    assert "sources.feed_url" not in objects(path)


async def test_reopening_keeps_data_and_version(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "again.db"
    first = await SqliteStore.open(path, clock=clock)
    await first.upsert_chat(1, "private", "Ana")
    await first.close()
    second = await SqliteStore.open(path, clock=clock)
    assert await second.get_chat(1) is not None
    assert await second.schema_version() == LATEST_VERSION
    await second.close()


async def test_a_version_1_database_upgrades_with_its_data(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "old.db"
    await database_at(path, 1)
    with raw(path) as db:
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
    assert schema_of(path) == schema_of(fresh)


async def test_a_version_1_database_migrates_keeping_its_articles(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "old.db"
    await database_at(path, 1)
    with raw(path) as db:
        db.execute(
            "INSERT INTO sources (id, name, url, created_at) VALUES (1, 'A', 'https://a/', 0)"
        )
        db.execute(
            "INSERT INTO articles (source_id, url, url_norm, title, teaser, first_seen_at) "
            "VALUES (1, 'https://a/1', 'https://a/1', 'T', '', 0)"
        )
    store = await SqliteStore.open(path, clock=clock)
    try:
        assert await store.schema_version() == LATEST_VERSION
        (source,) = await store.list_sources()
        assert (source.feed_url, source.selectors, source.guarded) == (None, None, False)
        assert source.article_count == 1
    finally:
        await store.close()
    with raw(path) as db:
        assert db.execute("SELECT story_id FROM articles").fetchall() == [(1,)]
        assert db.execute("SELECT COUNT(*) FROM pruned_urls").fetchone() == (0,)


V1_FILTER = '["and",[["t","country","PE"],["not",["t","keyword","fútbol"]]]]'
V2_FILTER = (
    '{"tree":{"and":[{"term":["country","PE"]},{"not":{"term":["keyword","fútbol"]}}]},"v":2}'
)


async def test_a_version_5_database_gets_typed_holds_and_version_2_filters(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "v5.db"
    await database_at(path, 5)
    with raw(path) as db:
        db.execute(
            "INSERT INTO chats (id, type, title, created_at, updated_at, quiet_start, quiet_end) "
            "VALUES (1, 'private', '', 0, 0, 0, 23)"
        )
        db.executemany(
            "INSERT INTO subscriptions (chat_id, kind, value, label, created_at) "
            "VALUES (1, ?, ?, ?, 0)",
            [("filter", V1_FILTER, "🧩 Peru AND NOT “fútbol”"), ("country", "PE", "Peru")],
        )
        db.execute("INSERT INTO sources (id, name, url, created_at) VALUES (1, 'S', 'u', 0)")
        db.executemany(
            "INSERT INTO articles (id, source_id, url, url_norm, title, teaser, first_seen_at) "
            "VALUES (?, 1, ?, ?, ?, '', 0)",
            [(n, f"https://s/{n}", f"https://s/{n}", f"Story {n}") for n in (1, 2)],
        )
        far = clock.now + 86400
        db.executemany(
            "INSERT INTO pushes (chat_id, article_id, batch, next_attempt_at, created_at) "
            "VALUES (1, ?, ?, ?, 0)",
            [(1, "held99:1", far), (2, "poll5:1", far)],  # the second waits for a retry
        )
    store = await SqliteStore.open(path, clock=clock)
    try:
        assert await store.schema_version() == LATEST_VERSION
        subs = {s.target.kind: s.target for s in await store.list_subscriptions(1)}
        assert subs[TargetKind.FILTER].value == V2_FILTER
        assert subs[TargetKind.FILTER].label == "🧩 Peru AND NOT “fútbol”"
        assert subs[TargetKind.COUNTRY].value == "PE"
        await store.set_schedule(1, Schedule())  # immediate again: only the hold is released
        assert [p.batch for p in await store.due_pushes(10)] == ["held99:1"]
    finally:
        await store.close()
    with raw(path) as db:
        assert db.execute("SELECT batch, held FROM pushes ORDER BY id").fetchall() == [
            ("held99:1", 1),
            ("poll5:1", 0),
        ]


def test_version_1_filters_convert_to_the_documented_version_2_text() -> None:
    assert filter_v1_to_v2(V1_FILTER) == V2_FILTER
    assert filter_v1_to_v2('["t","topic","labor"]') == '{"tree":{"term":["topic","labor"]},"v":2}'
    assert filter_v1_to_v2('["or",[["t","region","andes"],["t","keyword","litio"]]]') == (
        '{"tree":{"or":[{"term":["region","andes"]},{"term":["keyword","litio"]}]},"v":2}'
    )
    converted = filter_v1_to_v2(V1_FILTER)
    assert converted is not None
    assert converted == json.dumps(
        json.loads(converted), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        V2_FILTER,  # already converted: running the step twice changes nothing
        "[]",
        '["t","country"]',
        '["t","country",7]',
        '["xor",[["t","country","PE"]]]',
        '["and",[["t","country","PE"],["nope"]]]',
        '["and","PE"]',
        '["not",' * 70 + '["t","country","PE"]' + "]" * 70,  # deeper than any filter
    ],
)
def test_anything_else_is_left_as_it_was(value: str) -> None:
    assert filter_v1_to_v2(value) is None


async def test_a_version_8_database_keeps_its_articles_known_and_its_queue(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "v8.db"
    await database_at(path, 8)
    with raw(path) as db:
        db.execute(
            "INSERT INTO chats (id, type, created_at, updated_at) VALUES (1, 'private', 0, 0)"
        )
        db.execute("INSERT INTO sources (id, name, url, created_at) VALUES (1, 'S', 'u', 0)")
        db.execute(
            "INSERT INTO articles (id, source_id, url, url_norm, title, teaser, first_seen_at) "
            "VALUES (1, 1, 'https://s/1', 'https://s/1', 'Story 1', '', ?)",
            (clock.now,),
        )
        db.execute("INSERT INTO pushes (chat_id, article_id, created_at) VALUES (1, 1, 0)")
    store = await SqliteStore.open(path, clock=clock)
    try:
        assert await store.schema_version() == LATEST_VERSION
        assert await store.unknown_urls(["https://s/1"]) == set()  # not news again
        assert [s.url_norm for s in await store.recent_stories(0)] == ["https://s/1"]
        assert [(p.chat_id, p.article.title) for p in await store.due_pushes(10)] == [
            (1, "Story 1")
        ]
    finally:
        await store.close()
    assert "pushes_due" not in objects(path)


async def test_a_version_13_database_keeps_every_push_when_pushes_is_rebuilt(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "v13.db"
    await database_at(path, 13)
    columns = (
        "id, chat_id, article_id, batch, status, attempts, next_attempt_at, last_error, "
        "created_at, sent_at, message_id, held"
    )
    rows = [
        (7, 1, 1, "poll1", "sent", 1, 0.0, None, 5.0, 6.0, 42, 0),
        (9, 1, 2, "held9:1", "pending", 0, 99.0, None, 5.0, None, None, 1),
        (11, 2, 1, None, "failed", 3, 0.0, "Forbidden", 5.0, None, None, 0),
    ]
    with raw(path) as db:
        db.executemany(
            "INSERT INTO chats (id, type, created_at, updated_at) VALUES (?, 'private', 0, 0)",
            [(1,), (2,)],
        )
        db.execute("INSERT INTO sources (id, name, url, created_at) VALUES (1, 'S', 'u', 0)")
        db.executemany(
            "INSERT INTO articles (id, source_id, url, url_norm, title, teaser, first_seen_at) "
            "VALUES (?, 1, ?, ?, 'Story', '', 0)",
            [(n, f"https://s/{n}", f"https://s/{n}") for n in (1, 2)],
        )
        db.executemany(f"INSERT INTO pushes ({columns}) VALUES ({marks(12)})", rows)
    store = await SqliteStore.open(path, clock=clock)
    await store.close()
    with raw(path) as db:
        assert db.execute(f"SELECT {columns} FROM pushes ORDER BY id").fetchall() == rows
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'pushes'").fetchone()
    assert "REFERENCES articles" not in sql  # the prune deletes pushes itself
    assert "pushes_by_article" not in objects(path)
