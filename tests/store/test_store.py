"""The composed store (each backend): it is a Store, and a poll's intent is applied in one step."""

from __future__ import annotations

from dataclasses import replace

from bot.models import PlannedPush, PollIntent, SourcePoll, SourceSpec
from bot.store.base import Store
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
