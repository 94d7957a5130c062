"""News sources: the sources file, fetching over HTTP, and parsing feeds and listing pages."""

from __future__ import annotations

from bot.sources.catalog import load_sources
from bot.sources.feed import parse_feed
from bot.sources.fetch import Fetcher, make_client
from bot.sources.listing import parse_listing
from bot.sources.parse import detect_kind, parse_source

__all__ = [
    "Fetcher",
    "detect_kind",
    "load_sources",
    "make_client",
    "parse_feed",
    "parse_listing",
    "parse_source",
]
