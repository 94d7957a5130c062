"""The `newsbot` fixture every handler test uses (see harness.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.handlers.harness import Newsbot, open_newsbot


@pytest.fixture
async def newsbot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Newsbot]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    async with open_newsbot(tmp_path) as bot:
        yield bot
