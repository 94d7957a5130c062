"""Which chats get which new articles: lookups by (kind, value), never a loop over all chats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from bot.classify.keywords import KeywordIndex, keyword_in
from bot.classify.regions import region, regions_of
from bot.models import (
    NewArticle,
    PlannedPush,
    Schedule,
    StoredArticle,
    Subscriber,
    Target,
    TargetKind,
)
from bot.pipeline.holds import release_at
from bot.query.filters import evaluate
from bot.store.base import Store


@dataclass(frozen=True, slots=True)
class Candidate:
    """The parts of an article that matching looks at."""

    key: str
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    text: str


def candidate(article: NewArticle | StoredArticle, key: str) -> Candidate:
    return Candidate(key, article.countries, article.topics, f"{article.title}\n{article.teaser}")


def matches(target: Target, item: Candidate) -> bool:
    """The one definition of a subscription matching an article (used by /latest)."""
    if target.kind is TargetKind.COUNTRY:
        return target.value in item.countries
    if target.kind is TargetKind.TOPIC:
        return target.value in item.topics
    if target.kind is TargetKind.REGION:
        found = region(target.value)
        return found is not None and not found.countries.isdisjoint(item.countries)
    if target.kind is TargetKind.FILTER:
        return _filter_matches(target.value, item)
    return keyword_in(target.value, item.text)


def _filter_matches(value: str, item: Candidate) -> bool:
    """A boolean filter's terms are matched like subscriptions of their own kind."""

    def leaf(kind: str, term: str) -> bool:
        if kind == TargetKind.FILTER.value or kind not in set(TargetKind):
            return False
        return matches(Target(TargetKind(kind), term, ""), item)

    return evaluate(value, leaf)


def _positions(mask: int) -> Iterator[int]:
    """The set bits of a mask, lowest first: the articles of one chat, oldest first."""
    while mask:
        lowest = mask & -mask
        yield lowest.bit_length() - 1
        mask ^= lowest


@dataclass(frozen=True, slots=True)
class Plan:
    """Which chats get which articles, and which chats get a digest.

    A chat's articles are a bitmask over `keys` (bit i: the i-th article), so the union of a
    chat's subscriptions is a few integer ORs however many articles match. Iterating yields
    one PlannedPush per (chat, article), lazily: a big poll can mean millions of pairs, and
    the store writes them straight from this generator.
    """

    keys: Sequence[str]
    per_chat: dict[int, int]
    batches: dict[int, str]
    hold_until: dict[int, float] = field(default_factory=dict)

    def __iter__(self) -> Iterator[PlannedPush]:
        for chat_id, mask in self.per_chat.items():
            batch = self.batches.get(chat_id)
            not_before = self.hold_until.get(chat_id, 0.0)
            for position in _positions(mask):
                yield PlannedPush(chat_id, self.keys[position], batch, not_before)

    def hold(self, schedules: dict[int, Schedule], now: float) -> None:
        """Keep pushes for chats in quiet hours or on a daily digest until their release.

        Everything held until the same moment shares one batch, so it arrives as one digest.
        """
        for chat_id, schedule in schedules.items():
            if chat_id not in self.per_chat:
                continue
            release = release_at(schedule, now)
            if release is not None:
                self.hold_until[chat_id] = release
                self.batches[chat_id] = f"held{release:.0f}:{chat_id}"

    def __len__(self) -> int:
        return sum(mask.bit_count() for mask in self.per_chat.values())

    def keys_for(self, chat_id: int) -> list[str]:
        return [self.keys[position] for position in _positions(self.per_chat.get(chat_id, 0))]


def plan(
    items: Sequence[Candidate],
    subscribers: Iterable[Subscriber],
    *,
    digest_threshold: int,
    batch: str,
) -> Plan:
    """One push per (chat, article); a chat with more than `digest_threshold` gets one digest.

    Articles are indexed by the (kind, value) targets they carry; each subscription then ORs
    its target's articles into its chat, so the work follows subscriptions and matches, never
    chats times articles.
    """
    subs = list(subscribers)
    keyword_index = KeywordIndex(s.value for s in subs if s.kind is TargetKind.KEYWORD)
    articles_for: dict[tuple[TargetKind, str], int] = defaultdict(int)
    for position, item in enumerate(items):
        bit = 1 << position
        for code in item.countries:
            articles_for[(TargetKind.COUNTRY, code)] |= bit
        for slug in item.topics:
            articles_for[(TargetKind.TOPIC, slug)] |= bit
        for slug in regions_of(item.countries):
            articles_for[(TargetKind.REGION, slug)] |= bit
        for phrase in keyword_index.found(item.text):
            articles_for[(TargetKind.KEYWORD, phrase)] |= bit
    for value in {s.value for s in subs if s.kind is TargetKind.FILTER}:
        for position, item in enumerate(items):
            if _filter_matches(value, item):
                articles_for[(TargetKind.FILTER, value)] |= 1 << position
    per_chat: dict[int, int] = defaultdict(int)
    for sub in subs:
        found = articles_for.get((sub.kind, sub.value))
        if found:
            per_chat[sub.chat_id] |= found
    batches = {
        chat_id: f"{batch}:{chat_id}"
        for chat_id, mask in per_chat.items()
        if mask.bit_count() > digest_threshold
    }
    return Plan([item.key for item in items], dict(per_chat), batches)


async def route(
    store: Store, items: Sequence[Candidate], *, digest_threshold: int, batch: str, now: float
) -> Plan:
    """Plan the pushes for new articles, asking the store only for the targets they carry."""
    if not items:
        return Plan([], {}, {})
    countries = sorted({code for item in items for code in item.countries})
    topics = sorted({slug for item in items for slug in item.topics})
    regions = sorted(regions_of(countries))
    subscribers = [
        *await store.subscribers(TargetKind.COUNTRY, countries),
        *await store.subscribers(TargetKind.TOPIC, topics),
        *await store.subscribers(TargetKind.REGION, regions),
        *await store.keyword_subscribers(),
        *await store.filter_subscribers(),
    ]
    planned = plan(items, subscribers, digest_threshold=digest_threshold, batch=batch)
    planned.hold(await store.schedules(), now)
    return planned


async def latest(
    store: Store, targets: Sequence[Target], *, limit: int, window: int = 500
) -> list[StoredArticle]:
    """The newest stored articles matching any target (all of them when `targets` is empty)."""
    recent = await store.recent_articles(window)
    if not targets:
        return recent[:limit]
    found = [a for a in recent if any(matches(t, candidate(a, a.url)) for t in targets)]
    return found[:limit]
