"""Sources in the store (each backend): the file's list, admin sources, selectors and poll state."""

from __future__ import annotations

from pathlib import Path

from bot.models import ListingSelectors, PollIntent, SourceKind, SourcePoll, SourceSpec
from bot.store.base import Store
from tests.store.backends import sqlite_only
from tests.store.builders import raw


async def test_sync_sources_enables_file_sources_and_resets_changed_url(
    store: Store,
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


async def test_failed_poll_counts_failures(store: Store) -> None:
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


async def test_selectors_and_discovered_feed_round_trip(store: Store) -> None:
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


async def test_admin_sources_are_added_guarded_and_disabled(store: Store) -> None:
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


async def test_a_failing_discovered_feed_takes_its_validators_with_it(store: Store) -> None:
    """The page is asked afresh, not with the feed's ETag (which could earn a wrong 304)."""
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


@sqlite_only  # writes the file behind the store's back
async def test_unreadable_stored_selectors_are_ignored(store: Store, tmp_path: Path) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    with raw(tmp_path / "db" / "newsbot.db") as db:  # written by something else
        db.execute("UPDATE sources SET selectors = '{\"nope\": 1}' WHERE id = ?", (source.id,))
    (state,) = await store.list_sources()
    assert state.selectors is None


async def test_the_body_hash_is_kept_until_the_source_changes(store: Store) -> None:
    """A failed poll keeps the hash; new selectors or a new URL read the body afresh."""
    specs = [SourceSpec("A", "https://a.example/"), SourceSpec("B", "https://b.example/")]
    a, b = await store.sync_sources(specs)
    ok = [SourcePoll(s.id, 1.0, ok=True, kind=SourceKind.HTML, body_hash="h") for s in (a, b)]
    await store.apply(PollIntent(ok, [], []))
    failed = SourcePoll(a.id, 2.0, ok=False, error="HTTP 503", next_poll_after=9.0)
    await store.apply(PollIntent([failed], [], []))
    assert [s.body_hash for s in await store.list_sources()] == ["h", "h"]
    assert [s.body_hash for s in await store.sync_sources(specs)] == ["h", "h"]
    changed = [
        SourceSpec("A", "https://a.example/", selectors=ListingSelectors(item=".card")),
        SourceSpec("B", "https://b.example/other"),
    ]
    assert [s.body_hash for s in await store.sync_sources(changed)] == [None, None]
