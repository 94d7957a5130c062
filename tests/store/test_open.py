"""DATABASE_URL picks the backend: sqlite:/// a file, postgresql:// or postgres:// a server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings
from bot.store.open import describe, is_postgres, open_store
from bot.store.sqlite import SqliteStore


@pytest.mark.parametrize(
    ("url", "postgres"),
    [
        ("sqlite:///data/newsbot.db", False),
        ("postgresql://bot:pw@db:5432/newsbot", True),
        ("postgres://bot@db/newsbot", True),
    ],
)
def test_settings_accept_both_backends(url: str, postgres: bool) -> None:
    assert is_postgres(Settings(database_url=url).database_url) is postgres


def test_another_scheme_names_the_two_that_work() -> None:
    with pytest.raises(ValidationError, match=r"sqlite:///PATH .* or postgresql://"):
        Settings(database_url="mysql://db/newsbot")


def test_reports_name_a_path_or_a_url_without_its_password() -> None:
    assert describe("sqlite:///data/newsbot.db") == "data/newsbot.db"
    assert describe("postgresql://bot:pw@db:5432/newsbot") == "postgresql://bot:***@db:5432/newsbot"


async def test_a_sqlite_url_opens_the_sqlite_store(tmp_path: Path) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/x.db")
    try:
        assert isinstance(store, SqliteStore)
    finally:
        await store.close()
    assert (tmp_path / "x.db").is_file()
