"""A slow command holds back only its own chat: /help elsewhere is answered at once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.e2e.harness import BotProcess, polls_after
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import FakeError, FakeTelegram
from tests.sources.minisite import MiniSite

ADMIN = 4242
READER = 1001


async def test_help_is_answered_while_an_admins_addsource_waits_on_a_slow_site(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    env = dict(
        bot_env, ADMIN_IDS=str(ADMIN), ALLOW_PRIVATE_SOURCES="true", FETCH_TIMEOUT_SECONDS="8"
    )
    bot = BotProcess(env, tmp_path)
    async with MiniSite(delay=5.0) as slow:
        feed = slow.serve("/feed/", "<rss version='2.0'><channel></channel></rss>", "text/xml")
        await bot.start()
        try:
            await telegram.wait_for_call("setMyCommands", timeout=30)
            await polls_after(site, 1, deadline=30)
            telegram.send_text(ADMIN, f"/addsource {feed}")
            for _ in range(200):  # the site, not Telegram, sees this: poll it
                if slow.requests:
                    break
                await asyncio.sleep(0.05)
            assert slow.requests, "the bot never fetched the new source"
            started = time.monotonic()
            telegram.send_text(READER, "/help")
            await telegram.wait_for_messages(READER, 1, method="sendMessage", timeout=5)
            waited = time.monotonic() - started
            assert telegram.messages_to(ADMIN, method="sendMessage") == []  # still fetching
        finally:
            await bot.stop()
    assert waited < 1.0, f"/help waited {waited:.2f}s behind the admin's /addsource"


async def test_ten_commands_from_one_user_in_two_seconds_all_get_their_reply(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    """Telegram allows about one message a second to a private chat: replies wait, none is lost.

    The second reply of the burst meets an injected 429 and is sent again after the asked time.
    """
    telegram.enforce_limits = True
    bot = BotProcess(bot_env, tmp_path)
    await bot.start()
    try:
        await telegram.wait_for_call("setMyCommands", timeout=30)
        await polls_after(site, 1, deadline=30)
        telegram.send_text(READER, "/help")
        await telegram.wait_for_messages(READER, 1, method="sendMessage", timeout=10)
        telegram.fail_next(READER, FakeError.retry_after(2))
        for n in range(10):
            telegram.send_text(READER, "/help" if n % 2 else "/start")
            await asyncio.sleep(0.2)
        await telegram.wait_for_messages(READER, 11, method="sendMessage", timeout=40)
    finally:
        await bot.stop()
    assert len(telegram.messages_to(READER, method="sendMessage")) == 11
    assert telegram.too_many_requests == 0  # the injected 429 is not the flood control's
    assert "Telegram asked to wait 2s; the reply waits" in bot.log()
