"""Which backend a DATABASE_URL names, and opening it: the one place that knows both.

`sqlite:///PATH` is the embedded default; `postgresql://…` (or `postgres://…`) is a
PostgreSQL server. Everything else sees a `Store`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bot.errors import ConfigError
from bot.store.base import Store

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def is_postgres(url: str) -> bool:
    return url.startswith(POSTGRES_PREFIXES)


def sqlite_path(url: str) -> Path:
    """sqlite:///data/x.db is relative to the working directory, sqlite:////x.db absolute."""
    return Path(url.removeprefix(SQLITE_PREFIX))


def url_problem(url: str) -> str | None:
    """Why `url` names no backend we have, or None when it does."""
    if url.startswith(SQLITE_PREFIX) or is_postgres(url):
        return None
    return (
        "must be sqlite:///PATH (e.g. sqlite:///data/newsbot.db) or "
        "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
    )


def describe(url: str) -> str:
    """What report commands print as the database they read: a path, or the URL sans password."""
    if is_postgres(url):
        from bot.store.postgres.connection import redacted

        return redacted(url)
    return str(sqlite_path(url))


async def open_store(
    url: str, *, clock: Callable[[], float] = time.time, read_only: bool = False
) -> Store:
    """Open (and migrate, unless `read_only`) the store a DATABASE_URL names."""
    if is_postgres(url):
        from bot.store.postgres import PostgresStore  # asyncpg only where PostgreSQL is used

        return await PostgresStore.open(url, clock=clock, read_only=read_only)
    problem = url_problem(url)
    if problem:
        raise ConfigError(f"DATABASE_URL {url!r}: {problem}")
    from bot.store.sqlite import SqliteStore

    return await SqliteStore.open(sqlite_path(url), clock=clock, read_only=read_only)
