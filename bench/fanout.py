"""A breaking story for N readers: the real sender against a Bot API enforcing Telegram's limits.

    python bench/fanout.py --chats 10000 [--rate 28] [--latency 0.1]

The fake Bot API runs in a child process (so the peak memory printed is the sender's own) and
answers 429 whenever the bot exceeds 30 messages/s overall or 1/s to one private chat, as
Telegram does. Prints pushes delivered, duplicates, missing, 429 responses, the achieved rate
and its ratio to the configured one, time to first push, and peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram.ext import ExtBot

from bot.delivery.pacer import Pacer
from bot.delivery.sender import Sender
from bot.models import NewArticle, PlannedPush, PollIntent, SourceSpec
from bot.store.sqlite import SqliteStore
from tests.fakes.telegram import FakeTelegram

FIRST_CHAT = 5_000_000


def serve(conn: Connection, latency: float) -> None:
    """Child process: the fake Bot API until told to stop, then its counts."""

    async def main() -> dict[str, Any]:
        async with FakeTelegram() as tg:
            tg.enforce_limits = True
            tg.send_delay = latency
            conn.send((tg.token, tg.base_url))
            await asyncio.get_running_loop().run_in_executor(None, conn.recv)
            sends = [m for m in tg.sent if m.method == "sendMessage"]
            return {
                "per_chat": Counter(m.chat_id for m in sends),
                "too_many_requests": tg.too_many_requests,
                "times": sorted(m.time for m in sends),
            }

    conn.send(asyncio.run(main()))


async def fan_out(token: str, base_url: str, chats: int, rate: float) -> tuple[float, float]:
    """Queue one push per chat and run the sender until the outbox is empty."""
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "fanout.db")
        (source,) = await store.sync_sources([SourceSpec("Peoples Dispatch", "https://x.test/")])
        for chat_id in range(FIRST_CHAT, FIRST_CHAT + chats):
            await store.upsert_chat(chat_id, "private", "")
        story = NewArticle(
            source_id=source.id,
            url="https://peoplesdispatch.org/2026/11/21/peru-general-strike/",
            url_norm="https://peoplesdispatch.org/2026/11/21/peru-general-strike",
            title="General Strike Paralyses Peru",
            teaser="Unions and Indigenous organisations across Peru stopped work today.",
            guid=None,
            author=None,
            published_at=None,
            countries=("PE",),
            topics=("labor", "protest"),
        )
        pushes = (PlannedPush(c, story.url_norm) for c in range(FIRST_CHAT, FIRST_CHAT + chats))
        await store.apply(PollIntent([], [story], pushes))
        limiter = Pacer(overall_rate=max(30.0, rate))
        async with ExtBot(token, base_url=base_url, rate_limiter=limiter) as bot:
            sender = Sender(bot, store, rate_per_second=rate)
            started = time.monotonic()
            sender.start()
            while True:
                if not await store.pending_count():
                    break
                await asyncio.sleep(0.25)
            finished = time.monotonic()
            await sender.stop()
        await store.close()
    return started, finished


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=28.0, help="SEND_RATE_PER_SECOND")
    parser.add_argument("--latency", type=float, default=0.1, help="fake round trip, seconds")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=(theirs, args.latency), daemon=True)
    server.start()
    token, base_url = ours.recv()
    started, finished = asyncio.run(fan_out(token, base_url, args.chats, args.rate))
    ours.send("stop")
    result = ours.recv()
    server.join(timeout=10)

    per_chat: Counter[int] = result["per_chat"]
    times: list[float] = result["times"]
    expected = set(range(FIRST_CHAT, FIRST_CHAT + args.chats))
    delivered = len(expected & set(per_chat))
    duplicates = sum(per_chat.values()) - len(per_chat)
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"chats: {args.chats}, configured rate: {args.rate:g}/s, fake latency {args.latency}s")
    print(
        f"pushes delivered: {delivered}, duplicates: {duplicates}, "
        f"missing: {len(expected) - delivered}"
    )
    print(f"429 responses: {result['too_many_requests']}")
    print(f"achieved: {achieved:.2f} messages/s, ratio to configured: {achieved / args.rate:.3f}")
    print(f"time to first push: {times[0] - started:.3f}s; all sent in {finished - started:.1f}s")
    print(f"peak memory (sender process, max RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
