"""Fixtures of the end-to-end tests: both fakes on 127.0.0.1 and the bot's environment."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.harness import REPO
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import FakeTelegram


@pytest.fixture
async def site() -> AsyncIterator[FakeNewsSite]:
    async with FakeNewsSite() as fake:
        yield fake


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def bot_env(tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram) -> dict[str, str]:
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "Fake Dispatch"\nurl = "{site.rss_url}"\n')
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    env.update(
        TELEGRAM_BOT_TOKEN=telegram.token,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'newsbot.db'}",
        SOURCES_FILE=str(sources),
        POLL_INTERVAL_SECONDS="1",
        LOG_LEVEL="INFO",
        PYTHONPATH=str(REPO),
    )
    return env
