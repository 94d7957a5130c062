"""The whole bot as an operator runs it (`python -m bot run`), against a fake Bot API and news site.

Both fakes listen on 127.0.0.1 inside the test; the bot is a real subprocess, so a restart is a
real restart.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.news_site import FakeArticle, FakeNewsSite
from tests.fakes.telegram import FakeTelegram, SentMessage

READER = 1001
REPO = Path(__file__).resolve().parents[2]


class BotProcess:
    """`python -m bot run` in a subprocess, with its log kept for failure reports."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self._env = env
        self._workdir = workdir
        self.log_path = workdir / "bot.log"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self._workdir,
                env=self._env,
                stdout=log,
                stderr=log,
            )

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        assert self._process is not None
        if self._process.returncode is None:
            self._process.send_signal(sig)
        code = await asyncio.wait_for(self._process.wait(), timeout=20)
        self._process = None
        return code

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


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


def article(slug: str, title: str, teaser: str) -> FakeArticle:
    return FakeArticle(title=title, teaser=teaser, slug=slug, published=datetime.now(UTC))


PERU = article(
    "peru-miners-strike",
    "Peruvian Miners Strike In Arequipa",
    "Thousands of miners in Peru walked off the job demanding a share of copper profits.",
)
FRANCE = article(
    "paris-pension-march",
    "Paris Workers Rally Against Pension Reform",
    "French unions marched through Paris against the government's plan to raise the age.",
)
PERU_LATER = article(
    "lima-teachers",
    "Teachers In Lima Walk Out Over Pay",
    "Peruvian teachers in Lima began an indefinite strike over unpaid wages.",
)


async def polls_after(site: FakeNewsSite, count: int, deadline: float = 15.0) -> None:
    """Wait until the bot has fetched the feed `count` more times, so 'nothing came' means it."""
    await site.wait_for_requests("/feed/", len(site.requests_to("/feed/")) + count, deadline)


async def say(telegram: FakeTelegram, text: str) -> SentMessage:
    """Send a command as the reader and return the bot's reply."""
    before = len(telegram.messages_to(READER, method="sendMessage"))
    telegram.send_text(READER, text)
    replies = await telegram.wait_for_messages(READER, before + 1, method="sendMessage")
    return replies[before]


def pushes(telegram: FakeTelegram, url: str) -> list[SentMessage]:
    """The pushes of one article: a message that opens with its bold, linked title."""
    opening = f'<b><a href="{url}">'
    return [
        m for m in telegram.messages_to(READER, method="sendMessage") if m.text.startswith(opening)
    ]


async def test_subscribe_poll_push_latest_restart_unsubscribe(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    backlog_url = site.add(
        article("old-lima-story", "An Older Story From Lima", "Peru's backlog is not pushed.")
    )
    bot = BotProcess(bot_env, tmp_path)
    await bot.start()
    try:
        await telegram.wait_for_call("setMyCommands", timeout=30)
        assert {"subscribe", "latest", "unsubscribe"} <= {c["command"] for c in telegram.commands}
        await polls_after(site, 1, deadline=30)

        reply = await say(telegram, "/subscribe Peru")
        assert "Subscribed to" in reply.text and "Peru" in reply.text

        peru_url = site.add(PERU)
        france_url = site.add(FRANCE)
        await telegram.wait_for(lambda: bool(pushes(telegram, peru_url)), timeout=20, what="push")
        await polls_after(site, 2)
        (push,) = pushes(telegram, peru_url)
        assert PERU.title in push.text and push.parse_mode == "HTML"
        assert "#Peru" in push.text and "Fake" in push.text
        assert pushes(telegram, france_url) == []
        assert pushes(telegram, backlog_url) == []

        latest = await say(telegram, "/latest")
        assert PERU.title in latest.text and FRANCE.title not in latest.text
        latest_france = await say(telegram, "/latest France")
        assert FRANCE.title in latest_france.text

        assert await bot.stop() == 0
        sent_before_restart = len(telegram.messages_to(READER, method="sendMessage"))
        await bot.start()
        await polls_after(site, 3, deadline=30)
        assert len(telegram.messages_to(READER, method="sendMessage")) == sent_before_restart
        assert len(pushes(telegram, peru_url)) == 1

        reply = await say(telegram, "/unsubscribe Peru")
        assert "Unsubscribed" in reply.text
        later_url = site.add(PERU_LATER)
        await polls_after(site, 3)
        assert pushes(telegram, later_url) == []
        assert "Traceback" not in bot.log()
    except BaseException:
        print(bot.log())
        raise
    finally:
        if bot._process is not None:
            await bot.stop()


async def test_missing_token_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env["PYTHONPATH"] = str(REPO)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0]
    assert out == b""
