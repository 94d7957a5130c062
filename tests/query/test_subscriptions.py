"""Following and unfollowing through the one home every handler calls."""

from __future__ import annotations

from bot.models import Target, TargetKind, UnresolvedReason
from bot.query.resolver import Resolver
from bot.query.subscriptions import (
    MAX_SUBSCRIPTIONS,
    subscribe,
    subscribe_text,
    unsubscribe,
    unsubscribe_all,
    unsubscribe_key,
    unsubscribe_text,
)
from bot.store.sqlite import SqliteStore

RESOLVER = Resolver.default()
PERU = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")
LABOR = Target(TargetKind.TOPIC, "labor", "✊ Labor")
CHAT = 7


async def followed(store: SqliteStore) -> set[Target]:
    return {sub.target for sub in await store.list_subscriptions(CHAT)}


async def test_subscribe_text_follows_words_and_reports_the_rest(store: SqliteStore) -> None:
    await store.upsert_chat(CHAT, "private", "reader")
    outcome = await subscribe_text(store, RESOLVER, CHAT, "Peru, labor, Perj")
    assert outcome.changed == [PERU, LABOR]
    assert [item.reason for item in outcome.unresolved] == [UnresolvedReason.TYPO]
    assert outcome.notes == []
    read = await subscribe_text(store, RESOLVER, CHAT, "Chilee, labor")
    assert ([target.value for target in read.changed], read.unchanged) == (["CL"], [LABOR])
    assert read.notes == ["Chilee → 🇨🇱 Chile"]
    nothing = await subscribe_text(store, RESOLVER, CHAT, "???")
    assert [item.reason for item in nothing.unresolved] == [UnresolvedReason.NO_WORD]
    again = await subscribe_text(store, RESOLVER, CHAT, "Peru")
    assert (again.changed, again.unchanged) == ([], [PERU])
    assert await followed(store) == {PERU, LABOR, Target(TargetKind.COUNTRY, "CL", "🇨🇱 Chile")}


async def test_subscribe_stops_at_the_limit(store: SqliteStore) -> None:
    await store.upsert_chat(CHAT, "private", "reader")
    many = [Target(TargetKind.KEYWORD, f"word {n}", f"w{n}") for n in range(MAX_SUBSCRIPTIONS + 2)]
    outcome = await subscribe(store, CHAT, many)
    assert outcome.changed == many[:MAX_SUBSCRIPTIONS]
    assert outcome.over_limit == many[MAX_SUBSCRIPTIONS:]


async def test_unsubscribe_reports_what_was_not_followed(store: SqliteStore) -> None:
    await store.upsert_chat(CHAT, "private", "reader")
    await subscribe(store, CHAT, [PERU])
    outcome = await unsubscribe(store, CHAT, [PERU, LABOR])
    assert (outcome.changed, outcome.unchanged) == ([PERU], [LABOR])
    assert await followed(store) == set()


async def test_unsubscribe_text_accepts_names_and_labels(store: SqliteStore) -> None:
    await store.upsert_chat(CHAT, "private", "reader")
    await subscribe_text(store, RESOLVER, CHAT, "Peru, labor")
    await subscribe_text(store, RESOLVER, CHAT, "Peru AND strike")  # a filter: one target
    [wanted] = [t for t in await followed(store) if t.kind is TargetKind.FILTER]
    outcome = await unsubscribe_text(store, RESOLVER, CHAT, f"unions, {wanted.label}, xyzzy")
    assert outcome.changed == [LABOR, wanted]
    assert [item.reason for item in outcome.unresolved] == [UnresolvedReason.UNKNOWN]
    assert await followed(store) == {PERU}


async def test_a_button_unsubscribes_by_kind_and_value_with_the_stored_label(
    store: SqliteStore,
) -> None:
    await store.upsert_chat(CHAT, "private", "reader")
    await subscribe(store, CHAT, [PERU, LABOR])
    outcome = await unsubscribe_key(store, CHAT, TargetKind.COUNTRY, "PE")
    assert outcome.changed == [PERU]
    assert (await unsubscribe_key(store, CHAT, TargetKind.COUNTRY, "PE")).changed == []
    assert await unsubscribe_all(store, CHAT) == 1
    assert await followed(store) == set()
