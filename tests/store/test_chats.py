"""Chats in the store (each backend): activity, pausing, migration to a supergroup, schedules."""

from __future__ import annotations

from bot.models import PlannedPush, PollIntent, Schedule, SourceSpec
from bot.store.base import Store
from tests.clock import Clock
from tests.store.builders import PERU, article


async def test_deactivating_a_chat_fails_its_pending_pushes(store: Store) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(1, "https://example.org/1")])
    )
    await store.deactivate_chat(1, "Forbidden: bot was blocked by the user")
    assert await store.pending_count() == 0
    chat = await store.get_chat(1)
    assert chat is not None and not chat.active


async def test_migrated_chat_keeps_subscriptions_and_queue(store: Store) -> None:
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


async def test_migration_into_a_chat_that_spoke_first_keeps_the_old_settings(
    store: Store,
) -> None:
    # the supergroup's service message stores the new chat (defaults) before the move
    lima = Schedule(-300, 22, 7, None, "America/Lima")
    await store.upsert_chat(-100, "group", "Comrades")
    await store.add_subscriptions(-100, [PERU])
    await store.set_schedule(-100, lima)
    await store.set_paused(-100, True)
    await store.upsert_chat(-1001234, "supergroup", "Comrades")
    await store.migrate_chat(-100, -1001234)
    assert await store.get_schedule(-1001234) == lima
    moved = await store.get_chat(-1001234)
    assert moved is not None and moved.paused
    assert [s.target for s in await store.list_subscriptions(-1001234)] == [PERU]
    await store.migrate_chat(-100, -1001234)  # the second service message: nothing changes
    assert await store.get_schedule(-1001234) == lima


async def test_migration_merges_when_both_chats_chose_settings(store: Store) -> None:
    await store.upsert_chat(-100, "group", "")
    await store.set_schedule(-100, Schedule(120, 22, 7, None))
    await store.upsert_chat(-1001234, "supergroup", "")
    await store.set_schedule(-1001234, Schedule(0, None, None, 8, "Europe/Madrid"))
    await store.migrate_chat(-100, -1001234)
    # the supergroup's zone and digest, the group's quiet hours
    assert await store.get_schedule(-1001234) == Schedule(0, 22, 7, 8, "Europe/Madrid")


async def test_a_named_zone_round_trips(store: Store) -> None:
    await store.upsert_chat(1, "private", "")
    madrid = Schedule(60, 23, 8, None, "Europe/Madrid")
    await store.set_schedule(1, madrid)
    assert await store.get_schedule(1) == madrid
    assert await store.schedules() == {1: madrid}


async def test_schedules_round_trip_and_list_only_chats_that_hold(store: Store) -> None:
    for chat_id in (1, 2, 3):
        await store.upsert_chat(chat_id, "private", "")
    quiet = Schedule(tz_offset_minutes=-300, quiet_start=22, quiet_end=7)
    await store.set_schedule(1, quiet)
    await store.set_schedule(2, Schedule(digest_hour=8))
    await store.set_schedule(3, Schedule(quiet_start=1, quiet_end=2))
    await store.deactivate_chat(3, "gone")
    assert await store.get_schedule(1) == quiet
    assert await store.get_schedule(99) == Schedule()
    assert await store.schedules() == {1: quiet, 2: Schedule(digest_hour=8)}


async def test_back_to_immediate_releases_held_pushes(store: Store, clock: Clock) -> None:
    await store.upsert_chat(1, "private", "")
    await store.set_schedule(1, Schedule(quiet_start=0, quiet_end=23))
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    held = PlannedPush(1, "https://example.org/1", "held99:1", clock.now + 3600, held=True)
    await store.apply(PollIntent([], [article(source.id, 1)], [held]))
    assert await store.due_pushes(10) == []
    await store.set_schedule(1, Schedule())
    assert [p.batch for p in await store.due_pushes(10)] == ["held99:1"]


async def test_the_hold_is_the_field_not_the_batch_name(store: Store, clock: Clock) -> None:
    await store.upsert_chat(1, "private", "")
    await store.set_schedule(1, Schedule(digest_hour=8))
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    later = clock.now + 3600
    await store.apply(
        PollIntent(
            [],
            [article(source.id, 1), article(source.id, 2)],
            [
                PlannedPush(1, "https://example.org/1", "digest:1", later, held=True),
                PlannedPush(1, "https://example.org/2", "held-looking:1", later),
            ],
        )
    )
    await store.set_schedule(1, Schedule())
    assert [p.batch for p in await store.due_pushes(10)] == ["digest:1"]


async def test_the_first_language_sticks_until_the_chat_chooses_another(store: Store) -> None:
    assert (await store.upsert_chat(7, "group", "")).language is None
    assert (await store.upsert_chat(7, "group", "", language="es")).language == "es"
    assert (await store.upsert_chat(7, "group", "", language="en")).language == "es"
    await store.set_language(7, "en")
    chat = await store.get_chat(7)
    assert chat is not None and chat.language == "en"


async def test_pushes_carry_their_chats_language(store: Store) -> None:
    await store.upsert_chat(1, "private", "", language="es")
    await store.upsert_chat(2, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    pushes = [PlannedPush(1, "https://example.org/1"), PlannedPush(2, "https://example.org/1")]
    await store.apply(PollIntent([], [article(source.id, 1)], pushes))
    assert {p.chat_id: p.language for p in await store.due_pushes(10)} == {1: "es", 2: None}


async def test_migration_keeps_a_language_either_chat_chose(store: Store) -> None:
    await store.upsert_chat(-100, "group", "", language="es")
    await store.upsert_chat(-1001, "supergroup", "")
    await store.migrate_chat(-100, -1001)
    merged = await store.get_chat(-1001)
    assert merged is not None and merged.language == "es"
    await store.upsert_chat(-200, "group", "", language="es")
    await store.migrate_chat(-200, -2001)
    moved = await store.get_chat(-2001)
    assert moved is not None and moved.language == "es"
