"""Fixtures many tests share: a stopped clock and a fresh store that reads it.

Being a conftest at the top of tests/ also puts the repo root on sys.path, so any test can
import tests.fakes and friends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.sqlite import SqliteStore
from tests.clock import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[SqliteStore]:
    opened = await SqliteStore.open(tmp_path / "db" / "newsbot.db", clock=clock)
    yield opened
    await opened.close()
