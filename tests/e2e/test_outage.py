"""Telegram out of reach: at start the bot keeps trying, one line a try; mid-run it says so
once when the outage starts and once when it ends, with no traceback and never the token."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.e2e.harness import BotProcess, polls_after
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.proxy import CuttableProxy
from tests.fakes.telegram import FakeTelegram

READER = 1001


async def wait_for_log(bot: BotProcess, text: str, count: int = 1, seconds: float = 30) -> None:
    for _ in range(int(seconds * 10)):
        if bot.log().count(text) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} not {count}x in the log:\n{bot.log()[-3000:]}")


async def test_telegram_unreachable_at_start_is_retried_one_line_a_try(
    tmp_path: Path, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    async with CuttableProxy(telegram.port) as proxy:
        await proxy.cut()  # nothing listens on the proxy's port yet
        env = dict(bot_env, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{proxy.port}/bot")
        bot = BotProcess(env, tmp_path)
        await bot.start()
        try:
            await wait_for_log(bot, "cannot reach the Bot API at", count=2)
            await proxy.restore()  # Telegram comes up: the bot starts and answers
            await telegram.wait_for_call("setMyCommands", timeout=60)
            telegram.send_text(READER, "/help")
            await telegram.wait_for_messages(READER, 1, method="sendMessage", timeout=15)
        finally:
            await bot.stop()
    log = bot.log()
    assert "Traceback" not in log
    assert telegram.token not in log
    assert all("retrying" in line for line in log.splitlines() if "cannot reach" in line)


async def test_an_outage_mid_run_is_said_once_when_it_starts_and_once_when_it_ends(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    async with CuttableProxy(telegram.port) as proxy:
        env = dict(bot_env, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{proxy.port}/bot")
        bot = BotProcess(env, tmp_path)
        await bot.start()
        try:
            await telegram.wait_for_call("setMyCommands", timeout=30)
            await polls_after(site, 1, deadline=30)
            await proxy.cut()
            await wait_for_log(bot, "Telegram is unreachable")
            await asyncio.sleep(5)  # several getUpdates retries meanwhile
            await proxy.restore()
            await wait_for_log(bot, "Telegram answers again after", seconds=60)
            telegram.send_text(READER, "/help")
            await telegram.wait_for_messages(READER, 1, method="sendMessage", timeout=15)
        finally:
            await bot.stop()
    log = bot.log()
    assert log.count("Telegram is unreachable") == 1
    assert log.count("Telegram answers again after") == 1
    assert "Traceback" not in log
    assert telegram.token not in log
