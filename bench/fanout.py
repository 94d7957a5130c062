"""Breaking stories for N readers: the real sender against a Bot API enforcing Telegram's limits.

    python bench/fanout.py --chats 10000 [--stories 1] [--rate 28] [--latency 0.1]
    python bench/fanout.py --chats 1000 --stories 3         # three stories published together
    python bench/fanout.py --chats 10000 --mix 20           # each chat 1-5 of 20 new stories
    python bench/fanout.py --chats 10000 --replies 5        # 5 people write during the fan-out
    python bench/fanout.py ... --coalesce-backlog 1000000   # as before coalescing
    python bench/fanout.py ... --database-url postgresql://…  # an empty PostgreSQL database

The fake Bot API runs in a child process (so the peak memory printed is the sender's own) and
answers 429 whenever the bot exceeds 30 messages/s overall or 1/s to one private chat, as
Telegram does. Prints (chat, article) pairs delivered, duplicated and missing, messages sent,
429 responses, the achieved rate and its ratio to the configured one, time to first push, when
the median and the last reader had all their articles, the replies' waits, and peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import re
import resource
import statistics
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
from bot.delivery.sender import COALESCE_BACKLOG, Sender
from bot.models import NewArticle, PlannedPush, PollIntent, SourceSpec
from bot.store.open import open_store
from tests.fakes.telegram import FakeTelegram

FIRST_CHAT = 5_000_000
FIRST_REPLY_USER = 9_000_000
STORY = re.compile(r"Story (\d+) ")


def serve(conn: Connection, latency: float) -> None:
    """Child process: the fake Bot API until told to stop, then what it was sent."""

    async def main() -> dict[str, Any]:
        async with FakeTelegram() as tg:
            tg.enforce_limits = True
            tg.send_delay = latency
            conn.send((tg.token, tg.base_url))
            await asyncio.get_running_loop().run_in_executor(None, conn.recv)
            sends = [m for m in tg.sent if m.method == "sendMessage"]
            return {
                "messages": [(m.chat_id, m.time, m.plain_text) for m in sends],
                "too_many_requests": tg.too_many_requests,
            }

    conn.send(asyncio.run(main()))


def plan(chats: int, stories: int, mix: int, seed: int = 7) -> dict[int, list[int]]:
    """Which stories each chat is to get: all of them, or a seeded mix of 1-5 of `mix`."""
    chat_ids = range(FIRST_CHAT, FIRST_CHAT + chats)
    if not mix:
        return {chat: list(range(stories)) for chat in chat_ids}
    rng = random.Random(seed)
    return {chat: sorted(rng.sample(range(mix), rng.randint(1, min(5, mix)))) for chat in chat_ids}


def story(source_id: int, n: int) -> NewArticle:
    slug = f"peru-general-strike-{n}"
    return NewArticle(
        source_id=source_id,
        url=f"https://peoplesdispatch.org/2026/11/21/{slug}/",
        url_norm=f"https://peoplesdispatch.org/2026/11/21/{slug}",
        title=f"Story {n} of the day: General Strike Paralyses Peru",
        teaser="Unions and Indigenous organisations across Peru stopped work today.",
        guid=None,
        author=None,
        published_at=None,
        countries=("PE",),
        topics=("labor", "protest"),
    )


async def reply_during(bot: ExtBot[Any], replies: int, spread: float) -> list[float]:
    """People writing during the fan-out: each reply's wait, sent as a handler sends it."""
    waits: list[float] = []
    for n in range(replies):
        await asyncio.sleep(spread / max(1, replies))
        asked = time.monotonic()
        await bot.send_message(FIRST_REPLY_USER + n, "Commands: /subscribe, /list, /latest")
        waits.append(time.monotonic() - asked)
    return waits


async def fan_out(
    token: str, base_url: str, wanted: dict[int, list[int]], args: argparse.Namespace
) -> tuple[float, float, list[float]]:
    """Queue every planned push and run the sender until the outbox is empty."""
    with tempfile.TemporaryDirectory() as tmp:
        store = await open_store(args.database_url or f"sqlite:///{tmp}/fanout.db")
        (source,) = await store.sync_sources([SourceSpec("Peoples Dispatch", "https://x.test/")])
        for chat_id in wanted:
            await store.upsert_chat(chat_id, "private", "")
        count = 1 + max(n for stories in wanted.values() for n in stories)
        articles = [story(source.id, n) for n in range(count)]
        pushes = (  # queued story by story, as one poll queues them
            PlannedPush(chat, articles[n].url_norm)
            for n in range(count)
            for chat, stories in wanted.items()
            if n in stories
        )
        await store.apply(PollIntent([], articles, pushes))
        limiter = Pacer(overall_rate=max(30.0, args.rate))
        async with ExtBot(token, base_url=base_url, rate_limiter=limiter) as bot:
            sender = Sender(
                bot, store, rate_per_second=args.rate, coalesce_backlog=args.coalesce_backlog
            )
            started = time.monotonic()
            sender.start()
            people = asyncio.create_task(reply_during(bot, args.replies, spread=30.0))
            while True:
                if not await store.pending_count():
                    break
                await asyncio.sleep(0.25)
            finished = time.monotonic()
            waits = await people
            await sender.stop()
        await store.close()
    return started, finished, waits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=28.0, help="SEND_RATE_PER_SECOND")
    parser.add_argument("--latency", type=float, default=0.1, help="fake round trip, seconds")
    parser.add_argument("--stories", type=int, default=1, help="stories every chat gets")
    parser.add_argument("--mix", type=int, default=0, help="each chat 1-5 of this many stories")
    parser.add_argument("--replies", type=int, default=0, help="people writing meanwhile")
    parser.add_argument("--coalesce-backlog", type=int, default=COALESCE_BACKLOG)
    parser.add_argument("--database-url", help="an empty database; default SQLite in a temp dir")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=(theirs, args.latency), daemon=True)
    server.start()
    token, base_url = ours.recv()
    wanted = plan(args.chats, args.stories, args.mix)
    started, finished, waits = asyncio.run(fan_out(token, base_url, wanted, args))
    ours.send("stop")
    result = ours.recv()
    server.join(timeout=10)
    report(args, wanted, result, started, finished, waits)


def report(
    args: argparse.Namespace,
    wanted: dict[int, list[int]],
    result: dict[str, Any],
    started: float,
    finished: float,
    waits: list[float],
) -> None:
    shown: Counter[tuple[int, int]] = Counter()
    informed: dict[int, float] = {}  # chat -> when it had every story it wanted
    missing_per_chat = {chat: set(stories) for chat, stories in wanted.items()}
    pushes = [m for m in result["messages"] if m[0] in wanted]
    for chat, at, text in pushes:
        for n in {int(found) for found in STORY.findall(text)}:
            shown[chat, n] += 1
            missing_per_chat[chat].discard(n)
        if not missing_per_chat[chat] and chat not in informed:
            informed[chat] = at
    pairs = sum(len(stories) for stories in wanted.values())
    delivered = sum(1 for (chat, n) in shown if n in wanted[chat])
    duplicates = sum(shown.values()) - len(shown)
    times = sorted(at for _, at, _ in pushes)
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    done = sorted(informed.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stories = f"mix of 1-5 of {args.mix}" if args.mix else f"{args.stories} each"
    print(
        f"chats: {args.chats}, stories: {stories}, configured rate: {args.rate:g}/s, "
        f"fake latency {args.latency}s, coalesce backlog {args.coalesce_backlog}"
    )
    print(
        f"(chat, article) pairs: {pairs}; delivered: {delivered}, duplicates: {duplicates}, "
        f"missing: {pairs - delivered}; messages sent: {len(pushes)}"
    )
    print(f"429 responses: {result['too_many_requests']}")
    print(f"achieved: {achieved:.2f} messages/s, ratio to configured: {achieved / args.rate:.3f}")
    if times and done:
        print(
            f"time to first push: {times[0] - started:.3f}s; median reader informed after "
            f"{statistics.median(done) - started:.1f}s, all after {done[-1] - started:.1f}s; "
            f"outbox empty after {finished - started:.1f}s"
        )
    if waits:
        print(
            f"replies during the fan-out: {len(waits)}, longest wait {max(waits):.3f}s, "
            f"median {statistics.median(waits):.3f}s"
        )
    print(f"peak memory (sender process, max RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
