"""Reading one source: fetch, discover its feed, parse; a failure is a value, not an abort."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace

from bot.errors import SourceError
from bot.models import FetchResult, ListingSelectors, ParsedPage, SourceKind, SourceRead
from bot.sources.discover import discover_feed
from bot.sources.fetch import Fetcher
from bot.sources.parse import detect_kind, parse_source

log = logging.getLogger(__name__)


async def read_source(
    fetcher: Fetcher,
    url: str,
    kind: SourceKind | None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    feed_url: str | None = None,
    selectors: ListingSelectors | None = None,
    guarded: bool = False,
    body_hash: str | None = None,
) -> SourceRead:
    """Fetch and parse one source; its failure is a value, so the other sources go on.

    A page that announces its own feed is read through the feed, now and in later polls
    (`feed_url`); a 304, or the body last read again (`body_hash`), costs no parsing.
    """
    try:
        fetched = await fetcher.fetch(
            feed_url or url, etag=etag, last_modified=last_modified, guarded=guarded
        )
        if fetched.not_modified:
            return SourceRead(
                kind=kind,
                etag=etag,
                last_modified=last_modified,
                not_modified=True,
                feed_url=feed_url,
                body_hash=body_hash,
            )
        size = len(fetched.body)
        digest = hash_body(fetched.body)
        if body_hash is not None and digest == body_hash:
            return SourceRead(
                kind=kind,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                not_modified=True,
                feed_url=feed_url,
                bytes_fetched=size,
                body_hash=digest,
            )
        if (
            feed_url is None
            and selectors is None
            and kind is not SourceKind.HTML
            and detect_kind(fetched.body, fetched.content_type) is SourceKind.HTML
        ):
            found = discover_feed(fetched.body, url=fetched.url, content_type=fetched.content_type)
            if found is not None:
                feed = await _read_feed(fetcher, found, guarded=guarded)
                if feed.error is None:
                    return replace(feed, bytes_fetched=size + feed.bytes_fetched)
                log.info("feed %s announced by %s unusable: %s", found, url, feed.error)
                kind = SourceKind.HTML  # fall back to reading the page as a listing
        page = parse_source(
            fetched.body,
            url=fetched.url,
            content_type=fetched.content_type,
            kind=kind,
            selectors=selectors,
        )
    except SourceError as exc:
        return SourceRead(error=str(exc) or type(exc).__name__)
    return _page_read(page, fetched, feed_url=feed_url, size=size, digest=digest)


def hash_body(body: bytes) -> str:
    """What tells a body from the last one read: feeds without validators send it again."""
    return hashlib.sha256(body).hexdigest()


async def _read_feed(fetcher: Fetcher, url: str, *, guarded: bool) -> SourceRead:
    """A discovered feed, read as a feed whatever it looks like."""
    try:
        fetched = await fetcher.fetch(url, guarded=guarded)
        kind = detect_kind(fetched.body, fetched.content_type)
        if kind is SourceKind.HTML:
            return SourceRead(error="the announced feed is an HTML page")
        page = parse_source(
            fetched.body, url=fetched.url, content_type=fetched.content_type, kind=kind
        )
    except SourceError as exc:
        return SourceRead(error=str(exc) or type(exc).__name__)
    return _page_read(
        page, fetched, feed_url=url, size=len(fetched.body), digest=hash_body(fetched.body)
    )


def _page_read(
    page: ParsedPage, fetched: FetchResult, *, feed_url: str | None, size: int, digest: str
) -> SourceRead:
    return SourceRead(
        articles=page.articles,
        kind=page.kind,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        feed_url=feed_url,
        bytes_fetched=size,
        title=page.title,
        body_hash=digest,
    )
