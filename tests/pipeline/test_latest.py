"""/latest: the newest matching articles across the whole retention window, not a recent slice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from bot.models import NewArticle, PollIntent, SourceSpec, StoredArticle, Target, TargetKind
from bot.pipeline.match import latest
from bot.query.filters import parse_filter
from bot.query.resolver import Resolver
from bot.store.base import ArticleStore, Store
from tests.clock import Clock
from tests.store.builders import article

PERU = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")
LATAM = Target(TargetKind.REGION, "latin-america", "🌎 Latin America")
LABOR = Target(TargetKind.TOPIC, "labor", "✊ Labor")
LITHIUM = Target(TargetKind.KEYWORD, "lithium mining", '🔎 "lithium mining"')


class Counting:
    """The store, counting how /latest reads it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pages = 0
        self.tag_lookups = 0
        self.word_lookups = 0

    async def recent_articles(
        self, limit: int, *, older_than: StoredArticle | None = None
    ) -> list[StoredArticle]:
        self.pages += 1
        return await self.store.recent_articles(limit, older_than=older_than)

    async def tagged_articles(
        self, *, countries: Sequence[str] = (), topics: Sequence[str] = (), limit: int
    ) -> list[StoredArticle]:
        self.tag_lookups += 1
        return await self.store.tagged_articles(countries=countries, topics=topics, limit=limit)

    async def articles_with_phrases(
        self, phrases: Sequence[str], *, limit: int, older_than: StoredArticle | None = None
    ) -> list[StoredArticle]:
        self.word_lookups += 1
        return await self.store.articles_with_phrases(phrases, limit=limit, older_than=older_than)

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)


async def one_old_among_many(store: Store, clock: Clock, old: NewArticle) -> None:
    """`old` first, then 5,000 newer articles about France and climate."""
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    await store.apply(PollIntent([], [replace(old, source_id=source.id)], []))
    clock.now += 60
    others = [
        article(source.id, n, ("FR",), topics=("climate",), title=f"France {n}")
        for n in range(1, 5001)
    ]
    await store.apply(PollIntent([], others, []))


async def test_one_peru_article_among_5000_newer_others_is_found(
    store: Store, clock: Clock
) -> None:
    await one_old_among_many(store, clock, article(0, 0, ("PE",), title="Strike in Lima"))
    counting = Counting(store)
    found = await latest(cast(ArticleStore, counting), [PERU], limit=5)
    assert [a.title for a in found] == ["Strike in Lima"]
    assert (counting.tag_lookups, counting.pages) == (1, 0)  # the index, not a scan
    assert [a.title for a in await latest(store, [LATAM], limit=5)] == ["Strike in Lima"]
    assert [a.title for a in await latest(store, [LABOR], limit=5)] == ["Strike in Lima"]


async def test_one_keyword_article_among_5000_newer_others_is_found(
    store: Store, clock: Clock
) -> None:
    old = article(0, 0, ("CL",), topics=(), title="Lithium mining expands in the Atacama")
    await one_old_among_many(store, clock, old)
    counting = Counting(store)
    found = await latest(cast(ArticleStore, counting), [LITHIUM], limit=5, page=1000)
    assert [a.title for a in found] == ["Lithium mining expands in the Atacama"]
    assert (counting.word_lookups, counting.pages) == (1, 0)  # the word index, not a scan
    resolver = Resolver.default()
    chile_mining = parse_filter(resolver, '"lithium mining" AND NOT France')
    assert [a.title for a in await latest(store, [chile_mining], limit=5)] == [old.title]


async def test_tags_and_words_merge_newest_first(store: Store, clock: Clock) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    titles = ["Peru 1", "lithium mining 2", "Peru 3", "France 4", "lithium mining 5", "Peru 6"]
    for n, title in enumerate(titles, start=1):
        clock.now += 60
        countries = ("PE",) if title.startswith("Peru") else ("FR",)
        await store.apply(PollIntent([], [article(source.id, n, countries, title=title)], []))
    found = await latest(store, [PERU, LITHIUM], limit=4)
    assert [a.title for a in found] == ["Peru 6", "lithium mining 5", "Peru 3", "lithium mining 2"]
    counting = Counting(store)
    found = await latest(cast(ArticleStore, counting), [PERU, LITHIUM], limit=2, page=1)
    assert [a.title for a in found] == ["Peru 6", "lithium mining 5"]
    assert (counting.tag_lookups, counting.word_lookups, counting.pages) == (1, 1, 0)


async def test_the_word_index_finds_what_the_keyword_matcher_says(
    store: Store, clock: Clock
) -> None:
    """Accents, case and hyphens fold alike; a word inside another word is no match."""
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    titles = ["Lithium-mining in PERÚ", "A woman speaks", "Oman talks", "Mining lithium"]
    for n, title in enumerate(titles, start=1):
        clock.now += 60
        await store.apply(PollIntent([], [article(source.id, n, ("FR",), title=title)], []))
    phrase = Target(TargetKind.KEYWORD, "lithium mining", "")
    peru = Target(TargetKind.KEYWORD, "peru", "")
    oman = Target(TargetKind.KEYWORD, "oman", "")
    assert [a.title for a in await latest(store, [phrase], limit=5)] == [titles[0]]
    assert [a.title for a in await latest(store, [peru], limit=5)] == [titles[0]]
    assert [a.title for a in await latest(store, [oman], limit=5)] == ["Oman talks"]
    await store.prune_articles(clock.now + 1, forget_pruned_before=0)  # deleted: not found
    assert await latest(store, [oman, peru, phrase], limit=5) == []


async def test_25_keywords_over_many_articles_use_the_index(store: Store, clock: Clock) -> None:
    await one_old_among_many(store, clock, article(0, 0, ("CL",), title="Copper strike in Chile"))
    counting = Counting(store)
    keywords = [Target(TargetKind.KEYWORD, f"nothing{n} here", "") for n in range(24)]
    keywords.append(Target(TargetKind.KEYWORD, "copper strike", ""))
    found = await latest(cast(ArticleStore, counting), keywords, limit=10)
    assert [a.title for a in found] == ["Copper strike in Chile"]
    assert (counting.word_lookups, counting.pages) == (1, 0)


async def test_without_targets_the_newest_of_all(store: Store, clock: Clock) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    for n in range(1, 4):
        clock.now += 60
        await store.apply(PollIntent([], [article(source.id, n)], []))
    assert [a.title for a in await latest(store, [], limit=2)] == ["Article 3", "Article 2"]
    assert await latest(store, [Target(TargetKind.COUNTRY, "UY", "Uruguay")], limit=2) == []
