"""The composed store (each backend): a Store; on SQLite a poll is applied chunk by chunk."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.models import PlannedPush, PollIntent, SourcePoll, SourceSpec
from bot.store.base import Store
from bot.store.sqlite import SqliteStore
from tests.store.backends import sqlite_only
from tests.store.builders import article


async def test_the_sqlite_store_is_a_store(store: Store) -> None:
    typed: Store = store  # mypy checks every domain Protocol against the mixins
    assert await typed.schema_version() > 0


async def test_record_poll_dedupes_and_queues_pushes_once(store: Store) -> None:
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


async def test_a_story_knows_its_recipients_and_pushes_name_the_other_sources(
    store: Store,
) -> None:
    """Who gets a story once is the pipeline's decision; the store says who already has it."""
    await store.upsert_chat(1, "private", "")
    await store.upsert_chat(2, "private", "")
    a, b = await store.sync_sources(
        [SourceSpec("A", "https://a.example/"), SourceSpec("B", "https://b.example/")]
    )
    first = article(a.id, 1)
    copy = replace(article(b.id, 2), story_key=first.url_norm)
    record = await store.apply(PollIntent([], [first, copy], [PlannedPush(1, first.url_norm)]))
    assert len(record.new_articles) == 2 and record.pushes_queued == 1
    (push,) = await store.due_pushes(10)
    assert push.article.source_name == "A" and push.article.also_in == ("B",)
    by_either = await store.story_recipients([first.url_norm, copy.url_norm])
    assert by_either == {first.url_norm: frozenset({1}), copy.url_norm: frozenset({1})}
    assert await store.story_recipients(["https://unknown.example/"]) == {
        "https://unknown.example/": frozenset()
    }


def _pairs(chats: range, articles: range) -> list[PlannedPush]:
    """Chat by chat, as the matcher yields them."""
    return [PlannedPush(c, f"https://example.org/{n}") for c in chats for n in articles]


async def _chats_and_source(store: SqliteStore, chats: range) -> int:
    for chat_id in chats:
        await store.upsert_chat(chat_id, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    return source.id


@sqlite_only  # PostgreSQL writes a poll in one transaction that readers never wait for
async def test_a_command_goes_in_between_the_chunks_of_a_big_poll(store: SqliteStore) -> None:
    source_id = await _chats_and_source(store, range(1, 4))
    store.push_chunk = 2
    loop = asyncio.get_running_loop()
    second_chunk = asyncio.Event()

    def pushes() -> Iterator[PlannedPush]:
        for index, push in enumerate(_pairs(range(1, 4), range(3))):
            if index == store.push_chunk:  # the first chunk is written
                loop.call_soon_threadsafe(second_chunk.set)
            yield push

    intent = PollIntent([], [article(source_id, n) for n in range(3)], pushes())
    applying = asyncio.create_task(store.apply(intent))
    await second_chunk.wait()
    assert 0 < await store.pending_count() < 9  # answered while the poll is still writing
    assert not applying.done()
    assert (await applying).pushes_queued == 9


@sqlite_only
async def test_a_poll_that_dies_half_way_is_finished_by_the_next(
    store: SqliteStore,
) -> None:
    source_id = await _chats_and_source(store, range(1, 4))
    store.push_chunk = 2
    articles = [article(source_id, n) for n in range(3)]
    urls = {a.url_norm for a in articles}
    planned = _pairs(range(1, 4), range(3))

    def dies_in_the_third_chunk() -> Iterator[PlannedPush]:
        yield from planned[:5]
        raise RuntimeError("killed")

    polls = [SourcePoll(source_id, 5.0, ok=True, etag="v2")]
    with pytest.raises(RuntimeError, match="killed"):
        await store.apply(PollIntent(polls, articles, dies_in_the_third_chunk()))
    assert await store.pending_count() == 4  # two chunks were committed
    assert await store.unknown_urls(sorted(urls)) == urls  # so the next poll reads them again
    assert await store.recent_stories(0) == []
    (source,) = await store.list_sources()
    assert source.etag is None  # and gets the feed again, not a 304

    again = await store.apply(PollIntent(polls, articles, planned))
    assert again.pushes_queued == 5
    assert [a.title for a in again.new_articles] == ["Article 0", "Article 1", "Article 2"]
    due = await store.due_pushes(10)
    assert sorted((p.chat_id, p.article.title) for p in due) == sorted(
        (p.chat_id, f"Article {p.url_norm.rsplit('/', 1)[1]}") for p in planned
    )
    assert await store.unknown_urls(sorted(urls)) == set()
    (source,) = await store.list_sources()
    assert source.etag == "v2"
