"""Both backends behind one fixture, so a behaviour can't exist in one of them only.

`store` runs each test that asks for it twice: on a fresh SQLite file, and on a fresh schema
of the PostgreSQL server named by NEWSBOT_TEST_POSTGRES_URL (`.ci/run` starts one). Without
that variable the PostgreSQL runs are skipped with the reason, never passed.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.store.base import Store
from bot.store.sqlite import SqliteStore
from tests.clock import Clock

POSTGRES_URL_VARIABLE = "NEWSBOT_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgres")


def postgres_url() -> str:
    """The test server's URL, or skip the test saying how to run it."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"no PostgreSQL: set {POSTGRES_URL_VARIABLE}=postgresql://… (.ci/run does)")
    return url


@asynccontextmanager
async def postgres_schema() -> AsyncIterator[str]:
    """A database URL whose tables live in a new, empty schema, dropped afterwards."""
    import asyncpg

    url = postgres_url()
    schema = f"test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}search_path={schema}"
    finally:
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await admin.close()


@asynccontextmanager
async def open_backend(backend: str, tmp_path: Path, clock: Clock) -> AsyncIterator[Store]:
    """A fresh, migrated store of `backend` that reads `clock`."""
    if backend == "sqlite":
        opened: Store = await SqliteStore.open(tmp_path / "db" / "newsbot.db", clock=clock)
        try:
            yield opened
        finally:
            await opened.close()
        return
    from bot.store.postgres import PostgresStore

    async with postgres_schema() as url:
        opened = await PostgresStore.open(url, clock=clock)
        try:
            yield opened
        finally:
            await opened.close()


@pytest.fixture(params=BACKENDS)
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> AsyncIterator[Store]:
    async with open_backend(request.param, tmp_path, clock) as opened:
        yield opened


# for a test that reads the SQLite file itself: `store` on SQLite alone
sqlite_only = pytest.mark.parametrize("store", ["sqlite"], indirect=True)
