"""Which chats get which new articles: lookups by (kind, value), never a loop over all chats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
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
from bot.query.filter_tree import Node, stored
from bot.store.base import ArticleStore


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
        tree = stored(target.value)  # decoded once per distinct filter, not per article
        return tree is not None and _filter_matches(tree, item)
    return keyword_in(target.value, item.text)


def _filter_matches(tree: Node, item: Candidate) -> bool:
    """A boolean filter's terms are matched like subscriptions of their own kind."""
    return tree.matches(lambda term: matches(Target(term.kind, term.value, ""), item))


@dataclass(frozen=True, slots=True)
class Followers:
    """Who follows the targets new articles carry: chat ids per (kind, value).

    `keywords` is the automaton of every followed phrase; the poller keeps it between polls
    (`KeywordCache`), so a million subscriptions cost a few thousand id arrays, not an object
    each and a rebuilt automaton.
    """

    chats: Mapping[tuple[TargetKind, str], Collection[int]]
    keywords: KeywordIndex
    found: Mapping[str, Collection[str]] = field(default_factory=dict)  # text -> phrases in it

    def phrases_in(self, text: str) -> Collection[str]:
        """The followed phrases in `text`: found once while loading, else looked up now."""
        known = self.found.get(text)
        return self.keywords.found(text) if known is None else known

    @classmethod
    def of(cls, subscribers: Iterable[Subscriber]) -> Followers:
        """The same from single subscriptions, as tests and small callers have them."""
        chats: dict[tuple[TargetKind, str], list[int]] = defaultdict(list)
        for sub in subscribers:
            chats[(sub.kind, sub.value)].append(sub.chat_id)
        phrases = (value for kind, value in chats if kind is TargetKind.KEYWORD)
        return cls(dict(chats), KeywordIndex(phrases))


class KeywordCache:
    """The automaton of every followed phrase, rebuilt only when the set of phrases changes."""

    def __init__(self) -> None:
        self._phrases: frozenset[str] = frozenset()
        self._index = KeywordIndex(())

    def index(self, phrases: Iterable[str]) -> KeywordIndex:
        followed = frozenset(phrases)
        if followed != self._phrases:
            self._index, self._phrases = KeywordIndex(followed), followed
        return self._index


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
        for chat_id in sorted(self.per_chat):  # in id order: the store's indexes grow in order
            mask = self.per_chat[chat_id]
            batch = self.batches.get(chat_id)
            held = chat_id in self.hold_until
            not_before = self.hold_until.get(chat_id, 0.0)
            for position in _positions(mask):
                yield PlannedPush(chat_id, self.keys[position], batch, not_before, held)

    def hold(self, schedules: dict[int, Schedule], now: float) -> None:
        """Keep pushes for chats in quiet hours or on a daily digest until their release.

        Everything held until the same moment shares one batch, so it arrives as one digest;
        the batch name is only that digest's key, the pushes carry `held` themselves.
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


def plan(
    items: Sequence[Candidate],
    subscribers: Followers | Iterable[Subscriber],
    *,
    digest_threshold: int,
    batch: str,
    stories: Stories | None = None,
) -> Plan:
    """One push per (chat, story); a chat with more than `digest_threshold` gets one digest.

    Articles are indexed by the (kind, value) targets they carry; each follower of a target
    then ORs its target's articles into its chat, so the work follows subscriptions and
    matches, never chats times articles.
    """
    followers = subscribers if isinstance(subscribers, Followers) else Followers.of(subscribers)
    articles_for: dict[tuple[TargetKind, str], int] = defaultdict(int)
    for position, item in enumerate(items):
        bit = 1 << position
        for code in item.countries:
            articles_for[(TargetKind.COUNTRY, code)] |= bit
        for slug in item.topics:
            articles_for[(TargetKind.TOPIC, slug)] |= bit
        for slug in regions_of(item.countries):
            articles_for[(TargetKind.REGION, slug)] |= bit
        for phrase in followers.phrases_in(item.text):
            articles_for[(TargetKind.KEYWORD, phrase)] |= bit
    for value in [value for kind, value in followers.chats if kind is TargetKind.FILTER]:
        tree = stored(value)
        if tree is None:
            continue
        for position, item in enumerate(items):
            if _filter_matches(tree, item):
                articles_for[(TargetKind.FILTER, value)] |= 1 << position
    per_chat: dict[int, int] = defaultdict(int)
    for target, found in articles_for.items():
        for chat_id in followers.chats.get(target, ()):
            per_chat[chat_id] |= found
    if stories is not None:
        _once_per_story(per_chat, [item.key for item in items], stories)
    batches = {
        chat_id: f"{batch}:{chat_id}"
        for chat_id, mask in per_chat.items()
        if mask.bit_count() > digest_threshold
    }
    return Plan([item.key for item in items], dict(per_chat), batches)


@dataclass(frozen=True, slots=True)
class Stories:
    """Which story each new article tells, and who already got each story.

    `roots` names each article's story by its earliest article; `recipients` holds, for the
    stories that began before this poll, the chats that already have a push of them.
    """

    roots: Mapping[str, str]
    recipients: Mapping[str, frozenset[int]] = field(default_factory=dict)


def _once_per_story(per_chat: dict[int, int], keys: Sequence[str], stories: Stories) -> None:
    """A republished story reaches each chat once: its first copy, unless the chat had it."""
    groups: dict[str, int] = defaultdict(int)
    for position, key in enumerate(keys):
        groups[stories.roots.get(key, key)] |= 1 << position
    shared = {
        root: mask
        for root, mask in groups.items()
        if mask.bit_count() > 1 or stories.recipients.get(root)
    }
    if not shared:
        return
    any_shared = 0
    for mask in shared.values():
        any_shared |= mask
    for chat_id, mask in list(per_chat.items()):
        if not mask & any_shared:
            continue
        for root, group in shared.items():
            mine = mask & group
            if mine:
                mask &= ~group
                if chat_id not in stories.recipients.get(root, frozenset()):
                    mask |= mine & -mine  # the oldest copy
        if mask:
            per_chat[chat_id] = mask
        else:
            del per_chat[chat_id]


@dataclass(frozen=True, slots=True)
class Wanted:
    """The targets new articles carry: only their subscribers are loaded from the store."""

    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


def wanted(items: Sequence[Candidate]) -> Wanted:
    countries = sorted({code for item in items for code in item.countries})
    return Wanted(
        countries=tuple(countries),
        topics=tuple(sorted({slug for item in items for slug in item.topics})),
        regions=tuple(sorted(regions_of(countries))),
    )


async def latest(
    store: ArticleStore, targets: Sequence[Target], *, limit: int, page: int = 500
) -> list[StoredArticle]:
    """The newest stored articles matching any target (all of them when `targets` is empty).

    Countries, topics and regions come from the store's tag index, so a rare country is found
    across the whole retention window; keywords and filters can't use it, so the articles
    are read back newest first, `page` at a time, until enough match or none are left.
    """
    if not targets:
        return await store.recent_articles(limit)
    countries = {t.value for t in targets if t.kind is TargetKind.COUNTRY}
    for target in targets:
        found_region = region(target.value) if target.kind is TargetKind.REGION else None
        if found_region is not None:
            countries |= found_region.countries
    topics = {t.value for t in targets if t.kind is TargetKind.TOPIC}
    tagged = (
        await store.tagged_articles(countries=sorted(countries), topics=sorted(topics), limit=limit)
        if countries or topics
        else []
    )
    keywords = [t for t in targets if t.kind is TargetKind.KEYWORD]
    filters = [t for t in targets if t.kind is TargetKind.FILTER]
    if not keywords and not filters:
        return tagged
    # an article older than the limit-th tagged one cannot make the list
    floor = _newest_first_key(tagged[-1]) if len(tagged) >= limit else None
    found = await _with_keywords(store, keywords, limit=limit) if keywords else []
    if filters:  # a filter's NOT and OR can't use the word index: read back and check
        found += await _read_back(store, filters, limit=limit, page=page, floor=floor)
    merged = {article.id: article for article in [*tagged, *found]}
    return sorted(merged.values(), key=_newest_first_key, reverse=True)[:limit]


async def _with_keywords(
    store: ArticleStore, targets: Sequence[Target], *, limit: int
) -> list[StoredArticle]:
    """Keyword matches through the store's word index, each confirmed by the keyword matcher.

    The index finds the words in a row; the matcher decides (whole words, hyphens as spaces),
    so the rare candidate it refuses costs one more page, never a wrong line.
    """
    phrases = sorted({t.value for t in targets})
    index = KeywordIndex(phrases)
    found: list[StoredArticle] = []
    older_than: StoredArticle | None = None
    while len(found) < limit:
        chunk = await store.articles_with_phrases(phrases, limit=limit, older_than=older_than)
        found += [a for a in chunk if index.found(f"{a.title}\n{a.teaser}")]
        if len(chunk) < limit:
            break
        older_than = chunk[-1]
    return found[:limit]


def _newest_first_key(article: StoredArticle) -> tuple[float, float, int]:
    """The store's newest-first order: first seen, then published, then id."""
    return (article.first_seen_at, article.published_at or 0.0, article.id)


async def _read_back(
    store: ArticleStore,
    targets: Sequence[Target],
    *,
    limit: int,
    page: int,
    floor: tuple[float, float, int] | None,
) -> list[StoredArticle]:
    """Articles matching `targets`, newest first, reading the store one page at a time."""
    found: list[StoredArticle] = []
    older_than: StoredArticle | None = None
    while True:
        chunk = await store.recent_articles(page, older_than=older_than)
        for article in chunk:
            if floor is not None and _newest_first_key(article) <= floor:
                return found
            if any(matches(t, candidate(article, article.url)) for t in targets):
                found.append(article)
                if len(found) >= limit:
                    return found
        if len(chunk) < page or not chunk:
            return found
        older_than = chunk[-1]
