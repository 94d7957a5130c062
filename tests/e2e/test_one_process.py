"""Two bots never send twice: one database refuses a second process; one token a second poller."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.e2e.harness import BotProcess, polls_after, run_to_exit
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import FakeTelegram


async def test_a_second_process_on_the_same_database_refuses_to_start(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    first = BotProcess(bot_env, tmp_path)
    await first.start()
    try:
        await polls_after(site, 1, deadline=30)
        code, out = await run_to_exit(bot_env, tmp_path)
    finally:
        await first.stop()
    assert code == 2
    assert out.strip().splitlines() == [out.strip()] and "another newsbot (pid" in out, out


async def test_a_second_poller_with_the_same_token_stops_the_first_with_a_clear_line(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    """The older poller gets the 409 and stops; it never fights. (The newer one may get the
    409 of the older one's last getUpdates and stop as well: both then say why, and nothing
    is sent twice.)"""
    first = BotProcess(bot_env, tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    second = BotProcess(dict(bot_env, DATABASE_URL=f"sqlite:///{other / 'newsbot.db'}"), other)
    await first.start()
    try:
        await telegram.wait_for_call("getUpdates", timeout=30)
        await second.start()
        for _ in range(300):
            if first.returncode() is not None:
                break
            await asyncio.sleep(0.1)
        polls = len(telegram.calls_to("getUpdates"))
        await asyncio.sleep(2)
        assert len(telegram.calls_to("getUpdates")) <= polls + 3  # nobody fights on
    finally:
        code = await first.stop()
        await second.stop()
    assert code == 2, first.log()
    assert "409 Conflict" in first.log() and "run one newsbot per token" in first.log()
