"""Two replicas on one PostgreSQL database: SIGKILL the leader mid fan-out to 1,000 chats.

The standby takes over, every (chat, article) push arrives, and the only duplicates are the
sends that were in flight when the leader died. Needs the test PostgreSQL server.
"""

from __future__ import annotations

import signal
import time
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
from tests.store.backends import postgres_schema

CHATS = range(4_000_001, 4_001_001)  # 1,000 private chats
RATE = 100  # pushes per second: the fan-out lasts ~10 s, long enough to kill mid-way
LEADS = "newsbot started as"


async def test_the_standby_takes_over_a_killed_leaders_fan_out(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    async with postgres_schema() as url:
        await subscribe_everyone(url, CHATS)
        env = dict(
            bot_env,
            DATABASE_URL=url,
            PAID_BROADCAST="true",  # over the free 30/s so the test is quick; the fake bills none
            PAID_BROADCAST_RATE_PER_SECOND=str(RATE),
        )
        site.add(article("backlog", "Backlog From Lima", "Recorded, not pushed."))
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        first, second = BotProcess(env, tmp_path / "a"), BotProcess(env, tmp_path / "b")
        await first.start()
        await telegram.wait_for(lambda: LEADS in first.log(), timeout=60, what="a leader")
        await second.start()
        try:
            await telegram.wait_for(lambda: "standby" in second.log(), timeout=60, what="a standby")
            await polls_after(site, 1, deadline=30)
            news = site.add(PERU)
            await telegram.wait_for(
                lambda: sum(pushes_per_chat(telegram, news).values()) >= 300,
                timeout=60,
                what="300 pushes before the kill",
            )
            assert await first.stop(signal.SIGKILL) == -signal.SIGKILL
            killed = time.monotonic()
            at_kill = pushes_per_chat(telegram, news)
            assert len(at_kill) < len(CHATS), "the fan-out finished before the kill"
            await telegram.wait_for(
                lambda: sum(pushes_per_chat(telegram, news).values()) > sum(at_kill.values()),
                timeout=30,
                what="the standby's first push",
            )
            takeover = time.monotonic() - killed
            await telegram.wait_for(
                lambda: set(pushes_per_chat(telegram, news)) >= set(CHATS),
                timeout=60,
                what="every chat's push",
            )
            await polls_after(site, 2)
        except BaseException:
            print(first.log()[-3000:], second.log()[-3000:])
            raise
        finally:
            await second.stop()
            if first._process is not None:
                await first.stop()
    counts = pushes_per_chat(telegram, news)
    duplicates = sum(counts.values()) - len(CHATS)
    in_flight_cap = max(4, int(RATE * INFLIGHT_SECONDS))
    assert set(counts) == set(CHATS)
    assert 0 <= duplicates <= in_flight_cap, f"{duplicates} duplicates"
    assert takeover < 15, f"the standby took {takeover:.1f}s"
    print(
        f"pushes before the kill: {sum(at_kill.values())}, takeover after {takeover:.1f}s, "
        f"duplicates: {duplicates}"
    )
