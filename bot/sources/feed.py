"""Reading RSS 2.0, RSS 1.0 (RDF) and Atom bodies into ParsedPage, via feedparser."""

from __future__ import annotations

import calendar
import io
import re
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urljoin

import feedparser

from bot.errors import ParseError
from bot.models import MAX_ARTICLES, ParsedArticle, ParsedPage, SourceKind
from bot.text import clean_text, clean_title, shorten
from bot.urls import is_http_url

# Teasers are stored; a feed that ships whole articles must not fill the database with them.
TEASER_MAX_CHARS = 1000
TITLE_FROM_TEASER_CHARS = 120
_T = TypeVar("_T")
_SUBSET_END = re.compile(rb"\][ \t\r\n]*>")
_ENTITY_VALUE = re.compile(rb"""(<!ENTITY\s+(?:%\s+)?[^\s>"']+\s+)(?:"[^"]*"|'[^']*')""")
_ITEM_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")
_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
# Items read at each end of a long feed: ten times what a page keeps, so the newest are
# surely among them, whichever way the feed is ordered.
ITEMS_READ_MAX = 10 * MAX_ARTICLES
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedPage:
    """Read whatever articles a feed holds, even a broken one, so one typo costs nothing."""
    try:
        parts = [
            feedparser.parse(io.BytesIO(part), response_headers=_headers(url, content_type))
            for part in _bounded(body)
        ]
    except Exception as exc:  # feedparser has crashes of its own on hostile bytes: not our bug
        detail = " ".join(str(exc).split())[:200]
        raise ParseError(f"not a readable feed: {type(exc).__name__}: {detail}") from exc
    parsed = parts[0]
    # Twice the cap of entries is cleaned, so entries without a link do not shrink the page
    # much while the cleaning costs what 400 entries do.
    every = [entry for part in parts for entry in part.entries]
    entries = _newest(every, 2 * MAX_ARTICLES, _published)
    articles = [article for entry in entries if (article := _article(entry, base=url))]
    articles = _newest(articles, MAX_ARTICLES, lambda article: article.published)
    version = str(parsed.get("version") or "")
    if not articles and (parsed.bozo or not version):
        raise ParseError(_why_unusable(body, parsed))
    feed_title = clean_title(str(parsed.feed.get("title") or "")) or None
    return ParsedPage(kind=_kind(version, body), articles=articles, title=feed_title)


def _newest(items: list[_T], count: int, published: Callable[[_T], datetime | None]) -> list[_T]:
    """Items as they are when they fit, else the `count` newest (undated last, in feed order)."""
    if len(items) <= count:
        return items
    order = sorted(
        range(len(items)),
        key=lambda i: ((when := published(items[i])) is None, -when.timestamp() if when else 0, i),
    )
    return [items[i] for i in order[:count]]


def _bounded(body: bytes) -> list[bytes]:
    """The body as feedparser may read it: entities declared empty, items cut at a bound."""
    return _ends_of(_without_entity_values(body))


def _without_entity_values(body: bytes) -> bytes:
    """The body with the entities its DOCTYPE declares emptied: expanded, they can make
    megabytes of feed into gigabytes of title while staying under expat's limit."""
    if b"<!ENTITY" not in body:
        return body
    start = body.find(b"<!DOCTYPE")
    subset = body.find(b"[", start) if start >= 0 else -1
    end = _SUBSET_END.search(body, subset) if subset >= 0 else None
    if end is None:
        return body  # no internal subset: nothing is declared in the prolog
    declarations = _ENTITY_VALUE.sub(rb'\1""', body[subset : end.end()])
    return body[:subset] + declarations + body[end.end() :]


def _ends_of(body: bytes) -> list[bytes]:
    """The whole body, or, past ITEMS_READ_MAX items, its first and its last ITEMS_READ_MAX.

    feedparser's time grows with every item. Most feeds list their newest first, some their
    oldest: with both ends read, the newest are found either way, and a feed of 100,000
    items costs what one of 4,000 does. A cut body no longer closes its root (or the head
    before the last items); feedparser reads such a feed all the same.
    """
    ends = [found.end() for found in _ITEM_END.finditer(body)]
    if len(ends) <= 2 * ITEMS_READ_MAX:
        return [body]
    head = body[: ends[ITEMS_READ_MAX - 1]]
    start = _ITEM_START.search(body)
    prolog = body[: start.start()] if start is not None else b""
    return [head, prolog + body[ends[-ITEMS_READ_MAX - 1] :]]


def _headers(url: str, content_type: str | None) -> dict[str, str]:
    """HTTP headers for feedparser: the base for relative links and any declared charset."""
    headers = {"content-location": url}
    # Without a charset, feedparser follows RFC 3023 and reads text/xml as US-ASCII; letting the
    # XML prolog decide is what every reader does.
    if content_type and "charset=" in content_type.lower():
        headers["content-type"] = content_type
    else:
        headers["content-type"] = "application/xml"
    return headers


def _article(entry: Mapping[str, Any], *, base: str) -> ParsedArticle | None:
    """One entry as an article, or None when it has no link or nothing to show."""
    link = _link(entry)
    if not link:
        return None
    try:
        url = urljoin(base, link)
    except ValueError:  # "http://[broken" and the like
        return None
    if not is_http_url(url):
        return None
    teaser = shorten(clean_text(_teaser_html(entry), limit=TEASER_MAX_CHARS), TEASER_MAX_CHARS)
    title = clean_title(str(entry.get("title") or ""))
    if not title:
        if not teaser:
            return None
        title = shorten(teaser, TITLE_FROM_TEASER_CHARS)
    return ParsedArticle(
        url=url,
        title=title,
        teaser=teaser,
        guid=str(entry.get("id") or "").strip() or None,
        published=_published(entry),
        categories=_categories(entry.get("tags") or ()),
        author=_author(entry),
    )


def _link(entry: Mapping[str, Any]) -> str:
    """The article's web address: the alternate link, else any non-enclosure link."""
    link = str(entry.get("link") or "").strip()
    if link:
        return link
    for candidate in entry.get("links") or ():
        if candidate.get("rel", "alternate") in ("alternate", "related") and candidate.get("href"):
            return str(candidate["href"]).strip()
    return ""


def _teaser_html(entry: Mapping[str, Any]) -> str:
    """The summary, else the first content block: WordPress puts the excerpt in the summary."""
    summary = str(entry.get("summary") or "")
    if summary.strip():
        return summary
    for content in entry.get("content") or ():
        value = str(content.get("value") or "")
        if value.strip():
            return value
    return ""


def _published(entry: Mapping[str, Any]) -> datetime | None:
    """The publication time as aware UTC; feedparser has already turned it into UTC fields."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # Plain dict lookup: FeedParserDict maps a missing updated_parsed to published_parsed
        # with a DeprecationWarning.
        value = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _categories(tags: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """Category names in feed order, cleaned and without repeats."""
    seen: dict[str, str] = {}
    for tag in tags:
        name = clean_text(str(tag.get("term") or tag.get("label") or ""))
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return tuple(seen.values())


def _author(entry: Mapping[str, Any]) -> str | None:
    """The author's name, preferring the parsed name over a raw 'email (Name)' string."""
    detail = entry.get("author_detail") or {}
    name = clean_text(str(detail.get("name") or entry.get("author") or ""))
    return name or None


def _kind(version: str, body: bytes) -> SourceKind:
    """ATOM for Atom feeds, RSS for every RSS and RDF flavour."""
    if version.startswith("atom"):
        return SourceKind.ATOM
    if not version and b"<feed" in body[:4096]:
        return SourceKind.ATOM
    return SourceKind.RSS


def _why_unusable(body: bytes, parsed: Any) -> str:
    """An operator-facing reason for a body with no articles."""
    if not body.strip():
        return "empty body"
    if _HTML_START.match(body[:4096]):
        return "expected a feed but got an HTML page"
    problem = parsed.get("bozo_exception")
    if problem is not None:
        detail = " ".join(str(problem).split())[:200]
        return f"not a readable feed: {detail}"
    return "not a readable feed"
