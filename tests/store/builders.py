"""Builders the store tests share: targets, new articles, and databases at an old version."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from bot.models import NewArticle, Target, TargetKind
from bot.store.sqlite.connection import connect
from bot.store.sqlite.schema import migrate

PERU = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")
LABOR = Target(TargetKind.TOPIC, "labor", "✊ Labor")
LITHIUM = Target(TargetKind.KEYWORD, "lithium mining", '🔎 "lithium mining"')


def article(
    source_id: int,
    n: int,
    countries: tuple[str, ...] = ("PE",),
    *,
    topics: tuple[str, ...] = ("labor",),
    title: str | None = None,
) -> NewArticle:
    """The n-th article of a source, at https://example.org/n."""
    return NewArticle(
        source_id=source_id,
        url=f"https://example.org/{n}/",
        url_norm=f"https://example.org/{n}",
        title=title if title is not None else f"Article {n}",
        teaser=f"Teaser {n}",
        guid=f"guid-{n}",
        author=None,
        published_at=None,
        countries=countries,
        topics=topics,
    )


async def database_at(path: Path, version: int) -> None:
    """A database file brought up to `version` by the real migrations, as that code left it."""
    db = await connect(path)
    try:
        await migrate(db, to=version)
    finally:
        await db.close()


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """The database file without the store: committed and closed on leaving."""
    with closing(sqlite3.connect(path)) as db, db:
        yield db


def schema_of(path: Path) -> set[tuple[str, str]]:
    """Every table and index by (type, name)."""
    with raw(path) as db:
        return {
            (row[0], row[1])
            for row in db.execute(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        }
