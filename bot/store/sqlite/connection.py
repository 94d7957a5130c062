"""The SQLite connection: opening it, its pragmas, atomic steps, and sqlite errors as StorageError.

Every mixin of the backend builds on `SqliteBase`: one aiosqlite connection whose rows are
`sqlite3.Row` (read by column name), a lock that makes each store method one atomic step,
and the injected clock.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StorageError

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    # 64 MiB of pages (the default is 2 MiB): a big poll's outbox write touches the push
    # indexes all over, and re-reading them from the OS is most of what such a write costs
    "PRAGMA cache_size=-65536",
)

Params = Mapping[str, Any] | Sequence[Any]


async def connect(path: Path | str) -> aiosqlite.Connection:
    """Open the database in autocommit mode (we begin our own transactions), WAL, named rows."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        db = await aiosqlite.connect(str(path), isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open database {path}: {exc}") from exc
    try:
        db.row_factory = sqlite3.Row
        for pragma in PRAGMAS:
            await db.execute(pragma)
    except sqlite3.Error as exc:
        await db.close()
        raise StorageError(f"cannot open database {path}: {exc}") from exc
    return db


def _read_only_uri(path: Path) -> str:
    """A URI that opens an existing file without creating or writing it."""
    if not path.is_file():
        raise StorageError(f"no database at {path}: the bot has not run with this DATABASE_URL")
    return f"{path.resolve().as_uri()}?mode=ro"


async def connect_read_only(path: Path) -> aiosqlite.Connection:
    """For report commands: the file must exist, and nothing is created or written."""
    try:
        db = await aiosqlite.connect(_read_only_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open database {path}: {exc}") from exc
    try:
        db.row_factory = sqlite3.Row
        await db.execute("PRAGMA busy_timeout=5000")
    except sqlite3.Error as exc:
        await db.close()
        raise StorageError(f"cannot open database {path}: {exc}") from exc
    return db


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; sqlite errors become StorageError."""
    try:
        await db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        await db.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StorageError(str(exc)) from exc


IN_CHUNK = 500  # values in one IN (...) list, well under SQLite's variable limit


def marks(count: int) -> str:
    """`?, ?, ?` for an IN list of `count` values."""
    return ",".join("?" * count)


class SqliteBase:
    """One aiosqlite connection; a lock makes each method one atomic step."""

    def __init__(self, connection: aiosqlite.Connection, clock: Callable[[], float]) -> None:
        self._db = connection
        self._lock = asyncio.Lock()
        self._clock = clock

    async def close(self) -> None:
        await self._db.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock, transaction(self._db) as db:
            yield db

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """Several reads under the lock, without a write transaction."""
        async with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise StorageError(str(exc)) from exc

    async def _fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._reading() as db, db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None
