"""Following and unfollowing: the reader's words resolved into targets and stored.

The one home of (un)subscribing: /subscribe, /unsubscribe and their buttons all come here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.classify.normalize import fold
from bot.models import Target, TargetKind, Unresolved
from bot.query.resolver import Resolver, split_terms
from bot.query.words import notes, read_all, split_readings
from bot.store.base import Store

MAX_SUBSCRIPTIONS = 100
POPULAR = ("Peru", "Palestine", "Venezuela", "Cuba", "labor", "protest", "climate", "housing")


@dataclass(slots=True)
class Outcome:
    """What a /subscribe or /unsubscribe did, for the reply."""

    changed: list[Target] = field(default_factory=list)
    unchanged: list[Target] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    over_limit: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how loosely typed words were read


def popular(resolver: Resolver) -> list[Target]:
    """A few targets readers of this kind of news often follow, for /start's buttons."""
    return [t for word in POPULAR if isinstance(t := resolver.resolve(word), Target)]


async def subscribe(store: Store, chat_id: int, targets: list[Target]) -> Outcome:
    """Follow the targets, up to MAX_SUBSCRIPTIONS a chat."""
    current = await store.list_subscriptions(chat_id)
    room = MAX_SUBSCRIPTIONS - len(current)
    followed = {sub.target for sub in current}
    new = [t for t in targets if t not in followed]
    added = await store.add_subscriptions(chat_id, new[: max(room, 0)])
    return Outcome(
        changed=added,
        unchanged=[t for t in targets if t in followed],
        over_limit=new[max(room, 0) :],
    )


async def subscribe_text(store: Store, resolver: Resolver, chat_id: int, text: str) -> Outcome:
    """Follow what the reader's words name; words that name nothing come back unresolved."""
    readings = read_all(resolver, text)
    targets, unresolved = split_readings(readings)
    outcome = await subscribe(store, chat_id, targets)
    outcome.unresolved = unresolved
    outcome.notes = notes(readings)
    return outcome


async def unsubscribe(store: Store, chat_id: int, targets: Sequence[Target]) -> Outcome:
    """Stop following the targets; those the chat did not follow come back unchanged."""
    removed = await store.remove_subscriptions(chat_id, targets)
    return Outcome(changed=removed, unchanged=[t for t in targets if t not in removed])


async def unsubscribe_key(store: Store, chat_id: int, kind: TargetKind, value: str) -> Outcome:
    """Stop following what a button names by kind and value, reported with its stored label."""
    current = [sub.target for sub in await store.list_subscriptions(chat_id)]
    return await unsubscribe(
        store, chat_id, [t for t in current if t.kind is kind and t.value == value]
    )


async def unsubscribe_all(store: Store, chat_id: int) -> int:
    """Stop following everything; how many subscriptions there were."""
    return await store.remove_all_subscriptions(chat_id)


async def unsubscribe_text(store: Store, resolver: Resolver, chat_id: int, text: str) -> Outcome:
    """Unfollow by the reader's words, also accepting a subscription's label as shown in /list."""
    current = {sub.target for sub in await store.list_subscriptions(chat_id)}
    by_label = {fold(t.label): t for t in current} | {fold(t.value): t for t in current}
    targets: list[Target] = []
    unresolved: list[Unresolved] = []
    for term in split_terms(text):
        known = by_label.get(fold(term).strip('"'))
        result = known if known is not None else resolver.resolve(term)
        if isinstance(result, Target):
            targets.append(result)
        else:
            unresolved.append(result)
    outcome = await unsubscribe(store, chat_id, targets)
    outcome.unresolved = unresolved
    return outcome
