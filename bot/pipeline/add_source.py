"""Adding a source at run time (/addsource): check the address, read it once, then store it.

The handler only renders the outcome; every decision and refusal is a typed value here.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.models import SourceKind, SourceSpec, SourceState
from bot.pipeline.identity import unique
from bot.sources.fetch import Fetcher
from bot.sources.guard import UnsafeURLError, check_public_url
from bot.sources.read import read_source
from bot.store.base import Store
from bot.urls import is_http_url, normalize_url

NAME_CHARS = 80


@dataclass(frozen=True, slots=True)
class NotAUrl:
    """The words are not an absolute http(s) address."""


@dataclass(frozen=True, slots=True)
class Refused:
    """A guarded bot does not fetch private, loopback or link-local addresses."""

    reason: str


@dataclass(frozen=True, slots=True)
class AlreadyPolled:
    name: str


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Fetching or parsing failed; nothing was stored."""

    error: str


@dataclass(frozen=True, slots=True)
class Added:
    source: SourceState
    kind: SourceKind | None
    feed_url: str | None  # the feed the page announced, read instead of the page
    articles: int


AddOutcome = NotAUrl | Refused | AlreadyPolled | Unreadable | Added


def _host(url: str) -> str | None:
    """The host of an absolute http(s) URL, or None for anything else."""
    return urlsplit(url).hostname if is_http_url(url) else None


def source_name(wanted: str, title: str | None, host: str, taken: set[str]) -> str:
    """The operator's name, else the feed's own title, else the host; never one already used."""
    name = " ".join((wanted or title or host).split())[:NAME_CHARS]
    if name.casefold() in taken:
        name = f"{name} ({host})"[:NAME_CHARS]
    return name


async def add_source(
    store: Store, fetcher: Fetcher, url: str, name: str = "", *, guarded: bool
) -> AddOutcome:
    """Read the address once, as a poll would, and store it only if that worked."""
    host = _host(url)
    if host is None:
        return NotAUrl()
    if guarded:
        try:
            await check_public_url(url)
        except UnsafeURLError as exc:
            return Refused(str(exc))
    existing = await store.list_sources()
    key = normalize_url(url)
    for source in existing:
        if key in (normalize_url(source.url), normalize_url(source.feed_url or "")):
            return AlreadyPolled(source.name)
    read = await read_source(fetcher, url, None, guarded=guarded)
    if read.error:
        return Unreadable(read.error)
    taken = {source.name.casefold() for source in existing}
    spec = SourceSpec(source_name(name, read.title, host, taken), url)
    state = await store.add_source(spec, guarded=guarded)
    return Added(state, read.kind, read.feed_url, len(unique(read.articles)))
