"""In-memory builders for the pipeline's plain data: sources, reads and articles, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import ParsedArticle, SourceKind, SourceRead, SourceState


def source(
    source_id: int = 1, *, initialized: bool = True, failures: int = 0, next_poll_after: float = 0
) -> SourceState:
    return SourceState(
        id=source_id,
        name=f"Source {source_id}",
        url=f"https://s{source_id}.test/feed/",
        kind=SourceKind.RSS,
        initialized=initialized,
        etag=None,
        last_modified=None,
        last_polled_at=None,
        last_ok_at=None,
        last_error=None,
        failures=failures,
        next_poll_after=next_poll_after,
    )


def parsed(
    slug: str, title: str = "", teaser: str = "", *, host: str = "news.test"
) -> ParsedArticle:
    return ParsedArticle(
        url=f"https://{host}/{slug}/",
        title=title or slug.replace("-", " ").title(),
        teaser=teaser,
        published=datetime(2026, 11, 30, 12, tzinfo=UTC),
    )


def read(*articles: ParsedArticle, etag: str | None = "v1") -> SourceRead:
    """A source that answered with these articles, newest first as pages list them."""
    return SourceRead(articles=list(articles), kind=SourceKind.RSS, etag=etag)
