"""The outbox's walk for waiting chats goes past long queues that can't be sent (each backend)."""

from __future__ import annotations

from bot.models import PlannedPush, PollIntent, SourceSpec
from bot.store.base import Store
from tests.store.builders import article


async def test_a_paused_chats_long_queue_does_not_hide_the_chat_behind_it(store: Store) -> None:
    for chat_id in (1, 2, 3):
        await store.upsert_chat(chat_id, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    articles = [article(source.id, n) for n in range(1_500)]
    first = [PlannedPush(1, a.url_norm) for a in articles]  # more than a page of the walk
    then = [PlannedPush(2, articles[-1].url_norm), PlannedPush(3, articles[-1].url_norm)]
    await store.apply(PollIntent([], articles, [*first, *then]))
    await store.set_paused(1, True)
    due = await store.due_pushes(limit=1)
    assert [p.chat_id for p in due] == [2]
    assert [p.chat_id for p in await store.due_pushes(limit=5)] == [2, 3]
    await store.set_paused(1, False)
    resumed = await store.due_pushes(limit=5, per_chat=2)
    assert [(p.chat_id, p.article.title) for p in resumed] == [
        (1, "Article 0"),
        (1, "Article 1"),
        (2, "Article 1499"),
        (3, "Article 1499"),
    ]
