"""Plain data passed between the core modules; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SourceKind(StrEnum):
    RSS = "rss"
    ATOM = "atom"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class ListingSelectors:
    """Per-source CSS selectors for a listing page, overriding the generic extractor."""

    item: str  # one element per article
    title: str | None = None  # within an item; default: the first headline link
    link: str | None = None  # within an item; default: the title's link
    teaser: str | None = None
    date: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One entry of the sources file."""

    name: str
    url: str
    kind: SourceKind | None = None  # None: detect from the response
    selectors: ListingSelectors | None = None


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article as a parser found it, before classification and storage."""

    url: str
    title: str
    teaser: str
    guid: str | None = None
    published: datetime | None = None
    categories: tuple[str, ...] = ()
    author: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedPage:
    kind: SourceKind
    articles: list[ParsedArticle]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched body, or status 304 with an empty body when the source has not changed."""

    status: int
    url: str
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class Tags:
    """What an article is about: ISO 3166-1 alpha-2 codes and topic slugs, most relevant first."""

    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


class TargetKind(StrEnum):
    COUNTRY = "country"
    TOPIC = "topic"
    KEYWORD = "keyword"
    REGION = "region"  # value: a region slug, e.g. "latin-america"
    FILTER = "filter"  # value: a boolean filter as JSON, see bot.classify.filters


@dataclass(frozen=True, slots=True)
class Target:
    """Something a chat can subscribe to, as understood from the reader's words."""

    kind: TargetKind
    value: str  # ISO2 code, topic slug, or normalised keyword phrase
    label: str  # what the reader sees, e.g. "🇵🇪 Peru"


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Words we could not understand, with what the reader probably meant."""

    term: str
    message: str
    suggestions: tuple[Target, ...] = field(default=())
