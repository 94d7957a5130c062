"""Following and unfollowing: the reader's words resolved into targets and stored.

The one home of (un)subscribing: /subscribe, /unsubscribe and their buttons all come here.
Two targets are the same subscription when kind and value are equal, or for filters when
their canonical trees are (`strike AND Peru` is `Peru AND strike`). A button names a
subscription by `short_id`, never by its text, so every button fits Telegram's 64 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.classify.normalize import collapse, fold
from bot.i18n import ENGLISH, Translator
from bot.models import Target, TargetKind, Unresolved, UnresolvedReason
from bot.query.filter_tree import canonical_text
from bot.query.filters import looks_like_filter
from bot.query.resolver import Resolver, split_terms
from bot.query.words import dropped_terms, notes, read_all, split_readings
from bot.store.base import Store
from bot.text import echo

MAX_SUBSCRIPTIONS = 100
POPULAR = ("Peru", "Palestine", "Venezuela", "Cuba", "labor", "protest", "climate", "housing")
SHORT_ID_BYTES = 6  # 8 characters; a chat follows at most MAX_SUBSCRIPTIONS things
_NUMBERS = re.compile(r"^#?\d{1,4}(?:\s*[,\s]\s*#?\d{1,4})*$")
_LIST_SEPARATOR = re.compile(r"[,;\n]")  # several things to unfollow, not one filter
_SHOWN_PREFIX = re.compile(r"^(?:\d{1,4}[.)]\s*|[•·]\s*)?(?:🧩\s*)?")


@dataclass(slots=True)
class Outcome:
    """What a /subscribe or /unsubscribe did, for the reply."""

    changed: list[Target] = field(default_factory=list)
    unchanged: list[Target] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    over_limit: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how loosely typed words were read
    dropped: list[str] = field(default_factory=list)  # terms past MAX_TERMS, not read at all


def popular(resolver: Resolver) -> list[Target]:
    """A few targets readers of this kind of news often follow, for /start's buttons."""
    return [t for word in POPULAR if isinstance(t := resolver.resolve(word), Target)]


def short_id(target: Target) -> str:
    """A subscription's name on a button: 8 characters from its kind and stored value."""
    key = f"{target.kind.value}|{target.value}".encode()
    digest = hashlib.blake2s(key, digest_size=SHORT_ID_BYTES).digest()
    return base64.urlsafe_b64encode(digest).decode()


def same_subscription(a: Target, b: Target) -> bool:
    """Whether two targets are one subscription: equal, or filters equal up to order."""
    if a.kind is not b.kind:
        return False
    if a.value == b.value:
        return True
    if a.kind is not TargetKind.FILTER:
        return False
    first = canonical_text(a.value)
    return first is not None and first == canonical_text(b.value)


def followed_as(current: Sequence[Target], target: Target) -> Target | None:
    """The stored subscription that is the same as `target`, if the chat has one."""
    return next((t for t in current if same_subscription(t, target)), None)


async def subscribe(store: Store, chat_id: int, targets: list[Target]) -> Outcome:
    """Follow the targets, up to MAX_SUBSCRIPTIONS a chat."""
    current = [sub.target for sub in await store.list_subscriptions(chat_id)]
    room = max(MAX_SUBSCRIPTIONS - len(current), 0)
    unchanged: list[Target] = []
    new: list[Target] = []
    for target in targets:
        known = followed_as(current, target)
        if known is not None:
            unchanged.append(known)
        else:
            new.append(target)
    added = await store.add_subscriptions(chat_id, new[:room])
    return Outcome(changed=added, unchanged=unchanged, over_limit=new[room:])


async def subscribe_text(
    store: Store, resolver: Resolver, chat_id: int, text: str, tr: Translator = ENGLISH
) -> Outcome:
    """Follow what the reader's words name; words that name nothing come back unresolved."""
    readings = read_all(resolver, text, tr=tr)
    targets, unresolved = split_readings(readings)
    outcome = await subscribe(store, chat_id, targets)
    outcome.unresolved = unresolved
    outcome.notes = notes(readings)
    outcome.dropped = dropped_terms(text)
    return outcome


async def unsubscribe(store: Store, chat_id: int, targets: Sequence[Target]) -> Outcome:
    """Stop following the targets; those the chat did not follow come back unchanged."""
    removed = await store.remove_subscriptions(chat_id, targets)
    return Outcome(changed=removed, unchanged=[t for t in targets if t not in removed])


async def unsubscribe_id(store: Store, chat_id: int, sid: str) -> Outcome:
    """Stop following the subscription a button names by its short id."""
    current = [sub.target for sub in await store.list_subscriptions(chat_id)]
    return await unsubscribe(store, chat_id, [t for t in current if short_id(t) == sid])


async def unsubscribe_key(store: Store, chat_id: int, kind: TargetKind, value: str) -> Outcome:
    """Stop following what a button sent before short ids names by kind and value."""
    current = [sub.target for sub in await store.list_subscriptions(chat_id)]
    return await unsubscribe(
        store, chat_id, [t for t in current if t.kind is kind and t.value == value]
    )


async def unsubscribe_all(store: Store, chat_id: int) -> int:
    """Stop following everything; how many subscriptions there were."""
    return await store.remove_all_subscriptions(chat_id)


def _shown_key(text: str) -> str:
    """A label as pasted from /list, compared without its number, bullet or 🧩."""
    return fold(_SHOWN_PREFIX.sub("", collapse(text))).strip('"')


def by_number(
    current: Sequence[Target], text: str, tr: Translator = ENGLISH
) -> list[Target | Unresolved] | None:
    """`3` or `2, 5`: subscriptions by their number in /list; None when the text is no numbers."""
    if not _NUMBERS.match(text.strip()):
        return None
    picked: list[Target | Unresolved] = []
    for word in re.findall(r"\d+", text):
        number = int(word)
        if 1 <= number <= len(current):
            picked.append(current[number - 1])
        else:
            message = (
                tr.gettext("/list has no number {number} (its numbers: 1 to {last}).")
                if current
                else tr.gettext("/list has no number {number}: this chat follows nothing.")
            ).format(number=number, last=len(current))
            picked.append(Unresolved(word, UnresolvedReason.UNKNOWN, message))
    return picked


def _not_followed(item: Unresolved, tr: Translator) -> Unresolved:
    """An unknown word in /unsubscribe: the chat follows nothing of that name."""
    if item.reason is not UnresolvedReason.UNKNOWN:
        return item
    message = tr.gettext(
        "This chat follows nothing called “{term}”: /list shows what it does."
    ).format(term=echo(item.term))
    return Unresolved(item.term, item.reason, message, item.suggestions)


def _read_unfollow(
    resolver: Resolver, current: Sequence[Target], text: str, tr: Translator
) -> list[Target | Unresolved]:
    """What /unsubscribe's words name: a label or number from /list, a filter, or terms."""
    labels = {_shown_key(label): t for t in current for label in (t.label, tr.label(t))}
    whole = labels.get(_shown_key(text))
    if whole is not None:
        return [whole]
    numbers = by_number(current, text, tr)
    if numbers is not None:
        return numbers
    if looks_like_filter(text) and not _LIST_SEPARATOR.search(text):
        return _read(resolver, text, tr)
    values = {fold(t.value): t for t in current if t.kind is not TargetKind.FILTER}
    found: list[Target | Unresolved] = []
    for term in split_terms(text):
        known = labels.get(_shown_key(term)) or values.get(fold(term).strip('"'))
        if known is not None:
            found.append(known)
        else:  # "Peru AND strike, Chile": a term may be a filter of its own
            found += _read(resolver, term, tr)
    return found


def _read(resolver: Resolver, text: str, tr: Translator) -> list[Target | Unresolved]:
    """Words read as /subscribe reads them; an unknown word is one the chat does not follow."""
    readings = read_all(resolver, text, keyword_hint=False, tr=tr)
    return [
        r if isinstance(r := reading.result, Target) else _not_followed(r, tr)
        for reading in readings
    ]


async def unsubscribe_text(
    store: Store, resolver: Resolver, chat_id: int, text: str, tr: Translator = ENGLISH
) -> Outcome:
    """Unfollow by the reader's words, a filter equal up to order, a /list label or number."""
    current = [sub.target for sub in await store.list_subscriptions(chat_id)]
    targets: list[Target] = []
    unresolved: list[Unresolved] = []
    for result in _read_unfollow(resolver, current, text, tr):
        if isinstance(result, Unresolved):
            unresolved.append(result)
            continue
        target = followed_as(current, result) or result
        if target not in targets:
            targets.append(target)
    outcome = await unsubscribe(store, chat_id, targets)
    outcome.unresolved = unresolved
    outcome.dropped = dropped_terms(text)
    return outcome
