"""The outbox in the store (each backend): due pushes in order and fairly, sent, retried, failed."""

from __future__ import annotations

from bot.models import PlannedPush, PollIntent, SourceSpec
from bot.store.base import Store
from tests.clock import Clock
from tests.store.builders import article


async def test_outbox_sent_retry_failed(store: Store, clock: Clock) -> None:
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
    stats = await store.delivery_stats()
    assert (stats.pending, stats.held, stats.sent_last_day, stats.failed) == (1, 1, 1, 1)
    assert (stats.active_chats, stats.inactive_chats) == (1, 0)
    assert stats.failure_reasons == [("refused", 1)]
    clock.now += 31
    (retried,) = await store.due_pushes(10)
    assert retried.id == two.id and retried.attempts == 1


async def test_paused_chat_keeps_its_queue_until_it_resumes(store: Store) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(1, "https://example.org/1")])
    )
    await store.set_paused(1, True)
    assert await store.due_pushes(10) == []
    await store.set_paused(1, False)
    assert [p.chat_id for p in await store.due_pushes(10)] == [1]


async def test_a_long_queue_does_not_starve_other_chats(store: Store) -> None:
    for chat_id in (1, 2):
        await store.upsert_chat(chat_id, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    articles = [article(source.id, n) for n in range(40)]
    pushes = [PlannedPush(1, f"https://example.org/{n}") for n in range(40)]
    await store.apply(PollIntent([], articles, [*pushes, PlannedPush(2, "https://example.org/39")]))
    due = await store.due_pushes(limit=2, per_chat=5)
    assert [p.chat_id for p in due] == [1] * 5 + [2]  # chat 2's one push comes in the same pass
    assert [p.article.title for p in due[:5]] == [f"Article {n}" for n in range(5)]
