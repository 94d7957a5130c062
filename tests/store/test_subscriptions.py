"""Subscriptions in the store (each backend): following, unfollowing, and who follows a target."""

from __future__ import annotations

from bot.models import TargetKind
from bot.store.base import Store
from tests.store.builders import LABOR, LITHIUM, PERU


async def test_subscriptions_add_list_remove(store: Store) -> None:
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


async def test_subscribers_skip_paused_and_inactive_chats(store: Store) -> None:
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


async def test_keyword_and_filter_followers_are_listed_by_kind(store: Store) -> None:
    await store.upsert_chat(1, "private", "")
    await store.upsert_chat(2, "private", "")
    await store.add_subscriptions(1, [PERU, LITHIUM])
    await store.set_paused(2, True)
    await store.add_subscriptions(2, [LITHIUM])
    assert [(s.chat_id, s.kind, s.value) for s in await store.keyword_subscribers()] == [
        (1, TargetKind.KEYWORD, "lithium mining")
    ]
    assert await store.filter_subscribers() == []
    assert await store.subscribers(TargetKind.COUNTRY, []) == []


async def test_follower_ids_per_target_skip_paused_and_inactive_chats(store: Store) -> None:
    for chat_id in (1, 2, 3, 4):
        await store.upsert_chat(chat_id, "private", "")
        await store.add_subscriptions(chat_id, [PERU, LITHIUM] if chat_id < 3 else [LITHIUM])
    await store.set_paused(2, True)
    await store.deactivate_chat(4, "blocked")
    found = await store.follower_ids(TargetKind.COUNTRY, ["PE", "FR"])
    assert {value: list(ids) for value, ids in found.items()} == {"PE": [1]}
    keywords = await store.follower_ids(TargetKind.KEYWORD, None)
    assert {value: sorted(ids) for value, ids in keywords.items()} == {"lithium mining": [1, 3]}
    assert await store.followed_phrases() == ["lithium mining"]
    assert await store.follower_ids(TargetKind.COUNTRY, []) == {}
