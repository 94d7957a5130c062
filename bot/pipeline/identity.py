"""An article's identity, and the one place duplicates are dropped.

Identity is the normalised URL: the same story listed by a feed, its section page and a
republisher's `?utm_…` link is one article, which a GUID (unique per feed) cannot tell.
Parsers return what a page lists; duplicates within a page and across the sources of one
poll are dropped here, and what the store already knows is dropped by `fresh`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TypeVar

from bot.models import ParsedArticle
from bot.urls import normalize_url

S = TypeVar("S")


def article_key(article: ParsedArticle) -> str:
    return normalize_url(article.url)


def unique(articles: Iterable[ParsedArticle]) -> list[ParsedArticle]:
    """One article per key, where it first appears; a later copy with a teaser beats one without.

    Listing pages link a post twice (headline, "read more"); feeds repeat entries.
    """
    by_key: dict[str, ParsedArticle] = {}
    for article in articles:
        key = article_key(article)
        existing = by_key.get(key)
        if existing is None or (not existing.teaser and article.teaser):
            by_key[key] = article
    return list(by_key.values())


def first_listed(
    pages: Iterable[tuple[S, Sequence[ParsedArticle]]],
) -> dict[str, tuple[S, ParsedArticle]]:
    """Each article once per poll, from the first source that listed it, oldest first.

    Pages list newest first; walking them backwards stores a backlog in publication order.
    """
    found: dict[str, tuple[S, ParsedArticle]] = {}
    for source, articles in pages:
        for parsed in reversed(unique(articles)):
            found.setdefault(article_key(parsed), (source, parsed))
    return found


def fresh(
    found: dict[str, tuple[S, ParsedArticle]], unknown: Collection[str]
) -> dict[str, tuple[S, ParsedArticle]]:
    """What the store has never seen (nor pruned): the only articles a poll classifies."""
    return {key: item for key, item in found.items() if key in unknown}
