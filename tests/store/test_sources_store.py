"""The store's side of issue 3: migration 2, admin sources, selectors, stories and pruning."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from bot.models import ListingSelectors, PlannedPush, PollIntent, SourceKind, SourcePoll, SourceSpec
from bot.store.schema import LATEST_VERSION, MIGRATIONS
from bot.store.sqlite import SqliteStore
from tests.clock import Clock
from tests.store.test_sqlite_store import article


async def test_a_version_1_database_migrates_keeping_its_articles(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as db, db:
        for statement in MIGRATIONS[1]:
            db.execute(statement)
        db.execute(
            "INSERT INTO sources (id, name, url, created_at) VALUES (1, 'A', 'https://a/', 0)"
        )
        db.execute(
            "INSERT INTO articles (source_id, url, url_norm, title, teaser, first_seen_at) "
            "VALUES (1, 'https://a/1', 'https://a/1', 'T', '', 0)"
        )
        db.execute("PRAGMA user_version = 1")
    store = await SqliteStore.open(path, clock=clock)
    try:
        assert await store.schema_version() == LATEST_VERSION
        (source,) = await store.list_sources()
        assert (source.feed_url, source.selectors, source.guarded) == (None, None, False)
        assert source.article_count == 1
    finally:
        await store.close()
    with closing(sqlite3.connect(path)) as db, db:
        assert db.execute("SELECT story_id FROM articles").fetchall() == [(1,)]
        assert db.execute("SELECT COUNT(*) FROM pruned_urls").fetchone() == (0,)


async def test_selectors_and_discovered_feed_round_trip(store: SqliteStore) -> None:
    selectors = ListingSelectors(item=".card", teaser=".dek")
    (source,) = await store.sync_sources(
        [SourceSpec("Odd", "https://odd.example/", SourceKind.HTML, selectors)]
    )
    assert source.selectors == selectors
    await store.apply(
        PollIntent(
            [SourcePoll(source.id, 1.0, ok=True, feed_url="https://odd.example/feed/")], [], []
        )
    )
    (source,) = await store.list_sources()
    assert source.feed_url == "https://odd.example/feed/"
    await store.apply(PollIntent([SourcePoll(source.id, 2.0, ok=False, error="HTTP 404")], [], []))
    (source,) = await store.list_sources()
    assert source.feed_url is None  # looked for again on the page next time


async def test_admin_sources_are_added_guarded_and_disabled(store: SqliteStore) -> None:
    await store.sync_sources([SourceSpec("File", "https://f.example/feed/")])
    added = await store.add_source(SourceSpec("Mine", "https://m.example/"), guarded=True)
    assert (added.origin, added.guarded, added.initialized) == ("admin", True, False)
    # a restart syncing the file keeps sources added in chat
    await store.sync_sources([SourceSpec("File", "https://f.example/feed/")])
    assert [s.name for s in await store.list_sources()] == ["File", "Mine"]
    removed = await store.disable_source("mine")
    assert removed is not None and removed.name == "Mine"
    assert await store.disable_source("mine") is None
    assert [s.name for s in await store.list_sources()] == ["File"]


async def test_one_push_per_story_and_pushes_name_the_other_sources(store: SqliteStore) -> None:
    await store.upsert_chat(1, "private", "")
    a, b = await store.sync_sources(
        [SourceSpec("A", "https://a.example/"), SourceSpec("B", "https://b.example/")]
    )
    first = article(a.id, 1)
    copy = replace(article(b.id, 2), story_key=first.url_norm)
    record = await store.apply(
        PollIntent(
            [], [first, copy], [PlannedPush(1, first.url_norm), PlannedPush(1, copy.url_norm)]
        )
    )
    assert len(record.new_articles) == 2 and record.pushes_queued == 1
    (push,) = await store.due_pushes(10)
    assert push.article.source_name == "A" and push.article.also_in == ("B",)


async def test_prune_deletes_old_articles_with_tags_and_pushes(
    store: SqliteStore, clock: Clock
) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(1, "https://example.org/1")])
    )
    clock.now += 10 * 86400
    await store.apply(
        PollIntent([], [article(source.id, 2)], [PlannedPush(1, "https://example.org/2")])
    )
    assert await store.prune_articles(clock.now - 5 * 86400) == 1
    assert [a.title for a in await store.recent_articles(10)] == ["Article 2"]
    assert await store.pending_count() == 1
    assert await store.unknown_urls(["https://example.org/1", "https://example.org/3"]) == {
        "https://example.org/3"
    }


async def test_a_failing_discovered_feed_takes_its_validators_with_it(tmp_path: Path) -> None:
    """The page is asked afresh, not with the feed's ETag (which could earn a wrong 304)."""
    store = await SqliteStore.open(tmp_path / "v.db")
    (source,) = await store.sync_sources([SourceSpec("Site", "https://site.test/")])
    found = "https://site.test/feed/"
    await store.apply(
        PollIntent(
            [SourcePoll(source.id, 1.0, ok=True, kind=SourceKind.RSS, etag='"f"', feed_url=found)],
            [],
            [],
        )
    )
    (state,) = await store.list_sources()
    assert state.feed_url == found and state.etag == '"f"'
    await store.apply(PollIntent([SourcePoll(source.id, 2.0, ok=False, error="HTTP 500")], [], []))
    (state,) = await store.list_sources()
    assert state.feed_url is None and state.etag is None and state.last_modified is None
    await store.close()
