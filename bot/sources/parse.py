"""Choosing the parser for a fetched body: sniffing feed or HTML, then dispatching."""

from __future__ import annotations

import codecs
import re

from bot.models import ListingSelectors, ParsedPage, SourceKind
from bot.sources.feed import parse_feed
from bot.sources.listing import parse_listing

_SNIFF_BYTES = 2048
# Skip the XML declaration, processing instructions, comments and a doctype to reach the root.
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>|\s+)*", re.S | re.I
)
_ROOT_TAG = re.compile(r"<([A-Za-z_][\w:.-]*)")


def detect_kind(body: bytes, content_type: str | None) -> SourceKind:
    """Tell a feed from a web page by its root element, so sources need not declare their kind."""
    head = _head_text(body)
    prolog = _PROLOG.match(head)
    match = _ROOT_TAG.match(head, prolog.end() if prolog else 0)
    root = match.group(1).lower() if match else ""
    local = root.rsplit(":", 1)[-1]
    if local == "rss" or local == "rdf":
        return SourceKind.RSS
    if local == "feed":
        return SourceKind.ATOM
    if local == "html":
        return SourceKind.HTML
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type == "application/atom+xml":
        return SourceKind.ATOM
    if media_type in ("application/rss+xml", "application/rdf+xml"):
        return SourceKind.RSS
    return SourceKind.HTML


def parse_source(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    kind: SourceKind | None,
    selectors: ListingSelectors | None = None,
) -> ParsedPage:
    """Parse a body as its source declares, or as its content shows when it declares nothing."""
    if selectors is not None:
        return parse_listing(body, url=url, content_type=content_type, selectors=selectors)
    if kind is None:
        kind = detect_kind(body, content_type)
    if kind is SourceKind.HTML:
        return parse_listing(body, url=url, content_type=content_type)
    return parse_feed(body, url=url, content_type=content_type)


def _head_text(body: bytes) -> str:
    """The start of the body as text, enough to find the root element in any common encoding."""
    head = body[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
