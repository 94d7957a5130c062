"""The PostgreSQL connection pool: opening it, atomic steps, and driver errors as StorageError.

Every mixin of the backend builds on `PgBase`: an asyncpg pool, a transaction per write
method (read committed: the sender and the poll job never wait for each other's reads), and
the injected clock. Rows are `asyncpg.Record`, read by column name.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.errors import StorageError

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

Record = asyncpg.Record
# a connection of its own (the leader's lock) or one lent by the pool
Connection: TypeAlias = "asyncpg.Connection | PoolConnectionProxy[Record]"
# what the driver raises when the server refuses, the connection drops or cannot be made
DRIVER_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, asyncio.TimeoutError)
POOL_SIZE = 8  # the poll job, the sender and concurrent handlers; PostgreSQL's default is 100
CONNECT_TIMEOUT = 10.0


def redacted(url: str) -> str:
    """The URL without its password, for messages and reports."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}{host}"))


async def connect_pool(url: str, *, read_only: bool = False) -> asyncpg.Pool[Record]:
    """A pool of connections to `url`; a read-only one refuses every write server-side."""
    settings = {"default_transaction_read_only": "on"} if read_only else {}
    try:
        pool = await asyncpg.create_pool(
            url,
            min_size=1,
            max_size=POOL_SIZE,
            timeout=CONNECT_TIMEOUT,
            server_settings=settings,
        )
    except (*DRIVER_ERRORS, ValueError) as exc:
        raise StorageError(f"cannot open database {redacted(url)}: {exc}") from exc
    assert pool is not None
    return pool


@asynccontextmanager
async def storage_errors() -> AsyncIterator[None]:
    """Driver errors become StorageError, like sqlite's in the SQLite backend."""
    try:
        yield
    except DRIVER_ERRORS as exc:
        raise StorageError(str(exc) or type(exc).__name__) from exc


class PgBase:
    """A pool of connections; each method is one transaction."""

    def __init__(self, pool: asyncpg.Pool[Record], clock: Callable[[], float]) -> None:
        self._pool = pool
        self._clock = clock

    async def close(self) -> None:
        await self._pool.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Connection]:
        async with storage_errors(), self._pool.acquire() as db, db.transaction():
            yield db

    async def _fetch(self, sql: str, *args: Any) -> list[Record]:
        async with storage_errors():
            return await self._pool.fetch(sql, *args)

    async def _fetchrow(self, sql: str, *args: Any) -> Record | None:
        async with storage_errors():
            return await self._pool.fetchrow(sql, *args)

    async def _execute(self, sql: str, *args: Any) -> str:
        """One statement in its own transaction; its status line (e.g. `DELETE 3`)."""
        async with storage_errors():
            return await self._pool.execute(sql, *args)


def row_count(status: str) -> int:
    """The number at the end of a command status: `INSERT 0 2` -> 2."""
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0
