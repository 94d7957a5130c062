"""Copying an SQLite installation into an empty PostgreSQL database (`newsbot migrate-db`).

Every table is copied whole, ids included, so pushes still point at their articles and a
sent push still stops a repeat; the copy is one PostgreSQL transaction (all or nothing)
and ends by comparing the row counts of each table on both sides.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiosqlite
import asyncpg

from bot.errors import SchemaError, StorageError
from bot.store.postgres.connection import Connection, redacted, storage_errors
from bot.store.postgres.store import PostgresStore
from bot.store.sqlite import schema as sqlite_schema
from bot.store.sqlite.connection import connect_read_only

# parents before children, as the foreign keys need
TABLES = ("chats", "sources", "subscriptions", "articles", "article_tags", "pruned_urls", "pushes")
CHUNK = 10_000  # rows read and sent per COPY


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    rows: int


async def copy_sqlite_to_postgres(
    sqlite_path: Path, postgres_url: str, *, progress: Callable[[TableCopy], None] | None = None
) -> list[TableCopy]:
    """Copy every table; StorageError if the target is not empty or the counts differ."""
    source = await connect_read_only(sqlite_path)
    try:
        version = await sqlite_schema.schema_version(source)
        if version != sqlite_schema.LATEST_VERSION:
            raise SchemaError(
                f"database {sqlite_path} has schema version {version}, this newsbot copies "
                f"{sqlite_schema.LATEST_VERSION}: start the bot on it once to migrate it"
            )
        await (await PostgresStore.open(postgres_url)).close()  # the schema, migrated
        async with storage_errors():
            target = await asyncpg.connect(postgres_url)
        try:
            async with storage_errors(), target.transaction():
                await _refuse_non_empty(target, postgres_url)
                copies = []
                for table in TABLES:
                    copied = TableCopy(table, await _copy_table(source, target, table))
                    await _reset_identity(target, table)
                    copies.append(copied)
                    if progress:
                        progress(copied)
                await _verify(source, target, copies)
        finally:
            await target.close()
    except sqlite3.Error as exc:
        raise StorageError(f"cannot read {sqlite_path}: {exc}") from exc
    finally:
        await source.close()
    return copies


async def _refuse_non_empty(target: Connection, url: str) -> None:
    for table in TABLES:
        if await target.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
            raise StorageError(
                f"{redacted(url)} is not empty (table {table} has rows): "
                "migrate-db copies into a new database only"
            )


async def _target_columns(target: Connection, table: str) -> dict[str, str]:
    rows = await target.fetch(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1",
        table,
    )
    return {str(row["column_name"]): str(row["data_type"]) for row in rows}


async def _copy_table(source: aiosqlite.Connection, target: Connection, table: str) -> int:
    """COPY one table's rows across in chunks; SQLite's 0/1 become PostgreSQL booleans."""
    async with source.execute(f"SELECT * FROM {table} LIMIT 0") as cursor:
        columns = [str(d[0]) for d in cursor.description]
    types = await _target_columns(target, table)
    missing = [c for c in columns if c not in types]
    if missing:
        raise SchemaError(f"PostgreSQL table {table} has no column {', '.join(missing)}")
    booleans = {i for i, c in enumerate(columns) if types[c] == "boolean"}
    order = "ORDER BY id" if "id" in columns else ""
    copied = 0
    async with source.execute(f"SELECT {', '.join(columns)} FROM {table} {order}") as cursor:
        while rows := await cursor.fetchmany(CHUNK):
            records = [
                tuple(bool(v) if i in booleans and v is not None else v for i, v in enumerate(r))
                for r in rows
            ]
            await target.copy_records_to_table(table, records=records, columns=columns)
            copied += len(records)
    return copied


async def _reset_identity(target: Connection, table: str) -> None:
    """New rows get ids after the copied ones."""
    if "id" not in await _target_columns(target, table):
        return
    sequence = await target.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
    if sequence:
        await target.execute(
            f"SELECT setval($1, COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)", sequence
        )


async def _verify(
    source: aiosqlite.Connection, target: Connection, copies: list[TableCopy]
) -> None:
    for copied in copies:
        async with source.execute(f"SELECT COUNT(*) FROM {copied.table}") as cursor:
            row = await cursor.fetchone()
        expected = int(row[0]) if row else 0
        found = int(await target.fetchval(f"SELECT COUNT(*) FROM {copied.table}"))
        if found != expected or copied.rows != expected:
            raise StorageError(
                f"table {copied.table}: {expected} rows in SQLite, {found} in PostgreSQL "
                "after the copy; nothing was committed"
            )
