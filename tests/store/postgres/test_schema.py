"""The PostgreSQL schema: the same tables and columns as SQLite's, versioned, refused if newer."""

from __future__ import annotations

import asyncpg
import pytest

from bot.errors import SchemaError, StorageError
from bot.models import SourceSpec
from bot.store.open import open_store
from bot.store.postgres import PostgresStore
from bot.store.postgres.schema import LATEST_VERSION
from tests.store.backends import postgres_schema
from tests.store.test_schema import TABLES


async def test_an_empty_database_gets_the_tables_and_columns_sqlite_has() -> None:
    async with postgres_schema() as url:
        store = await PostgresStore.open(url)
        try:
            assert await store.schema_version() == LATEST_VERSION
        finally:
            await store.close()
        db = await asyncpg.connect(url)
        try:
            rows = await db.fetch(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name <> 'newsbot_schema'"
            )
        finally:
            await db.close()
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["table_name"], set()).add(row["column_name"])
    # SQLite's FTS5 word index has no table here: /latest reads the text back instead
    assert found == {
        table: columns for table, columns in TABLES.items() if table != "article_words"
    }


async def test_opening_twice_migrates_once_and_a_newer_database_is_refused() -> None:
    async with postgres_schema() as url:
        await (await PostgresStore.open(url)).close()
        second = await PostgresStore.open(url)  # already current: nothing to do
        await second.close()
        db = await asyncpg.connect(url)
        try:
            assert await db.fetchval("SELECT COUNT(*) FROM newsbot_schema") == 1
            await db.execute("UPDATE newsbot_schema SET version = $1", LATEST_VERSION + 1)
        finally:
            await db.close()
        with pytest.raises(SchemaError, match="newer than this newsbot"):
            await PostgresStore.open(url)


async def test_report_commands_read_only_a_current_database() -> None:
    async with postgres_schema() as url:
        with pytest.raises(SchemaError, match="start the bot once"):
            await open_store(url, read_only=True)
        await (await open_store(url)).close()
        reader = await open_store(url, read_only=True)
        try:
            assert await reader.list_sources() == []
            with pytest.raises(StorageError, match="read-only"):
                await reader.sync_sources([SourceSpec("A", "https://a.example/")])
        finally:
            await reader.close()


async def test_an_unreachable_server_is_one_storage_error_without_the_password() -> None:
    with pytest.raises(StorageError) as raised:
        await open_store("postgresql://newsbot:s3cret@127.0.0.1:1/newsbot")
    assert "cannot open database" in str(raised.value)
    assert "s3cret" not in str(raised.value) and "127.0.0.1:1" in str(raised.value)
