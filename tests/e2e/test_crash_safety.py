"""Kill the bot with SIGKILL in the middle of a fan-out to 1,000 chats, restart it, count.

Every (chat, article) push must arrive; the only duplicates allowed are the sends that were in
flight at the kill (accepted by Telegram, not yet marked sent), never a replay of the outbox.
"""

from __future__ import annotations

import signal
from pathlib import Path

from bot.delivery.sender import INFLIGHT_SECONDS
from tests.e2e.harness import (
    PERU,
    BotProcess,
    article,
    polls_after,
    pushes_per_chat,
    subscribe_everyone,
)
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import FakeTelegram

CHATS = range(2_000_001, 2_001_001)  # 1,000 private chats
RATE = 200  # pushes per second, so the test is quick; the fake does not enforce limits here


async def test_sigkill_mid_fanout_loses_nothing_and_replays_nothing(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    await subscribe_everyone(f"sqlite:///{tmp_path / 'newsbot.db'}", CHATS)
    # over the free 30/s, so the test is quick: the fake Bot API bills no Stars
    bot_env.update(PAID_BROADCAST="true", PAID_BROADCAST_RATE_PER_SECOND=str(RATE))
    site.add(article("backlog", "Backlog From Lima", "Recorded, not pushed."))
    bot = BotProcess(bot_env, tmp_path)
    await bot.start()
    try:
        await polls_after(site, 1, deadline=30)
        url = site.add(PERU)
        await telegram.wait_for(
            lambda: sum(pushes_per_chat(telegram, url).values()) >= 300,
            timeout=30,
            what="300 pushes before the kill",
        )
        assert await bot.stop(signal.SIGKILL) == -signal.SIGKILL
        at_kill = pushes_per_chat(telegram, url)
        assert len(at_kill) < len(CHATS), "the fan-out finished before the kill"

        await bot.start()
        await telegram.wait_for(
            lambda: set(pushes_per_chat(telegram, url)) >= set(CHATS),
            timeout=60,
            what="every chat's push after the restart",
        )
        await polls_after(site, 2)
        counts = pushes_per_chat(telegram, url)
        duplicates = sum(counts.values()) - len(CHATS)
        in_flight_cap = max(4, int(RATE * INFLIGHT_SECONDS))
        assert set(counts) == set(CHATS)
        assert 0 <= duplicates <= in_flight_cap, f"{duplicates} duplicates"
        assert all(n <= 2 for n in counts.values())
        print(
            f"pushes before kill: {sum(at_kill.values())}, duplicates after restart: {duplicates}"
        )
    except BaseException:
        print(bot.log()[-5000:])
        raise
    finally:
        if bot._process is not None:
            await bot.stop()
