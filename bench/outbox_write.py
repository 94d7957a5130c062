"""Write one big poll's outbox while a user sends commands; print the write time and their wait.

    python bench/outbox_write.py [--chats 100000] [--articles 1000] [--per-chat 25]
                                 [--hot 0] [--probe-every 0.1] [--pending 0] [--prune]

Builds a real SQLite store in a temporary directory with `--chats` chats (each subscribed to
one country), then applies one PollIntent of `--articles` new articles whose pushes come as
the poll makes them (a `Plan`, chat by chat): each chat gets `--per-chat` random articles,
and `--hot` articles go to every chat (1,000 x 100,000 at 25 per chat is ~2.5 M rows).
While the write runs, a command-like store call (what /subscribe does: add a subscription,
then list the chat's subscriptions) starts every `--probe-every` seconds; the worst and
median waits are printed. `--pending N` then tops the outbox up to N pending pushes and
times the sender's pass (`due_pushes(500, per_chat=30)`). It also times `story_recipients`
of 10 of the new stories, and with `--prune` the prune of the whole poll (pushes and all).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing, suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.models import NewArticle, PollIntent, SourcePoll, SourceSpec, Target, TargetKind
from bot.pipeline.match import Plan
from bot.store.sqlite import SqliteStore

SENDER_BATCH = 500  # bot/delivery/sender.py BATCH
SENDER_PER_CHAT = 30  # DIGEST_MAX_ITEMS


def seed_chats(path: Path, chats: int) -> None:
    """Chats and one subscription each, written directly: setting up is not what is timed."""
    with closing(sqlite3.connect(path)) as db, db:
        db.executemany(
            "INSERT INTO chats (id, type, title, created_at, updated_at) "
            "VALUES (?, 'private', '', 0, 0)",
            ((chat_id,) for chat_id in range(1, chats + 1)),
        )
        db.executemany(
            "INSERT INTO subscriptions (chat_id, kind, value, label, created_at) "
            "VALUES (?, 'country', 'PE', 'Peru', 0)",
            ((chat_id,) for chat_id in range(1, chats + 1)),
        )


def new_article(source_id: int, n: int, prefix: str) -> NewArticle:
    return NewArticle(
        source_id=source_id,
        url=f"https://bench.example/{prefix}{n}",
        url_norm=f"https://bench.example/{prefix}{n}",
        title=f"Bench article {prefix}{n}",
        teaser="A teaser long enough to look like one.",
        guid=None,
        author=None,
        published_at=None,
        countries=("PE",),
        topics=("labor",),
    )


def poll_plan(
    keys: list[str], chats: int, per_chat: int, hot: int, rng: random.Random, batch: str
) -> Plan:
    """Each chat gets `per_chat` random articles plus the `hot` first ones, as the matcher says."""
    hot_mask = (1 << hot) - 1
    cold = range(hot, len(keys))
    per_chat_masks: dict[int, int] = {}
    for chat_id in range(1, chats + 1):
        mask = hot_mask
        for position in rng.sample(cold, min(per_chat, len(cold))):
            mask |= 1 << position
        per_chat_masks[chat_id] = mask
    return Plan(keys, per_chat_masks, dict.fromkeys(per_chat_masks, batch))


async def probe(store: SqliteStore, every: float, stop: asyncio.Event) -> list[float]:
    """A /subscribe every `every` seconds: add a subscription, read the chat's list back."""
    waits: list[float] = []
    chat_id = 1
    while not stop.is_set():
        started = time.perf_counter()
        target = Target(TargetKind.TOPIC, f"t{len(waits)}", f"Topic {len(waits)}")
        await store.add_subscriptions(chat_id, [target])
        await store.list_subscriptions(chat_id)
        waits.append(time.perf_counter() - started)
        chat_id += 1
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
    return waits


async def top_up(path: Path, pending: int) -> None:
    """More pending pushes (one article per chat round), written directly, not timed."""
    with closing(sqlite3.connect(path)) as db, db:
        have = db.execute("SELECT COUNT(*) FROM pushes WHERE status = 'pending'").fetchone()[0]
        chats = db.execute("SELECT MAX(id) FROM chats").fetchone()[0]
        source = db.execute("SELECT MIN(id) FROM sources").fetchone()[0]
        n = 0
        while have < pending:
            n += 1
            cursor = db.execute(
                "INSERT INTO articles (source_id, url, url_norm, title, teaser, first_seen_at) "
                "VALUES (?, ?, ?, 'Old', '', 0)",
                (source, f"https://bench.example/old{n}", f"https://bench.example/old{n}"),
            )
            count = min(chats, pending - have)
            db.executemany(
                "INSERT INTO pushes (chat_id, article_id, created_at) VALUES (?, ?, 0)",
                ((chat_id, cursor.lastrowid) for chat_id in range(1, count + 1)),
            )
            have += count


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--per-chat", type=int, default=25)
    parser.add_argument("--hot", type=int, default=0)
    parser.add_argument("--probe-every", type=float, default=0.1)
    parser.add_argument("--pending", type=int, default=0)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--prune", action="store_true", help="then time pruning it all")
    parser.add_argument("--chunk", type=int, default=SqliteStore.push_chunk, help="pushes a txn")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = await SqliteStore.open(path)
        (source,) = await store.sync_sources([SourceSpec("Bench", "https://bench.example/feed")])
        await store.close()
        seed_chats(path, args.chats)
        store = await SqliteStore.open(path)
        store.push_chunk = args.chunk
        articles = [new_article(source.id, n, "a") for n in range(args.articles)]
        keys = [a.url_norm for a in articles]
        pushes = poll_plan(keys, args.chats, args.per_chat, args.hot, rng, "poll1")
        rows = len(pushes)
        intent = PollIntent([SourcePoll(source.id, time.time(), ok=True)], articles, pushes)

        stop = asyncio.Event()
        probing = asyncio.create_task(probe(store, args.probe_every, stop))
        await asyncio.sleep(0.3)  # the probe's first calls see an idle store
        started, cpu = time.perf_counter(), time.process_time()
        record = await store.apply(intent)
        write, cpu = time.perf_counter() - started, time.process_time() - cpu
        stop.set()
        waits = await probing
        print(
            f"outbox write: {args.articles} articles x {args.chats} chats = {rows} push rows "
            f"({record.pushes_queued} queued) in {write:.1f} s ({rows / write:,.0f} rows/s, "
            f"{cpu:.1f} s CPU, chunks of {args.chunk:,})"
        )
        print(
            f"command during it: {len(waits)} calls, worst {max(waits) * 1000:.0f} ms, "
            f"median {statistics.median(waits) * 1000:.0f} ms"
        )
        started = time.perf_counter()
        await store.story_recipients(keys[:10])
        print(
            f"story_recipients of 10 stories at {args.chats:,} chats: "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )
        if args.prune:
            stop = asyncio.Event()
            probing = asyncio.create_task(probe(store, args.probe_every, stop))
            started = time.perf_counter()
            pruned = await store.prune_articles(time.time() + 1, forget_pruned_before=0)
            took = time.perf_counter() - started
            stop.set()
            waits = await probing
            print(
                f"prune of those {pruned} articles and {await store.pending_count():,} pushes "
                f"left: {took:.1f} s; command worst {max(waits) * 1000:.0f} ms"
            )
        if args.pending:
            await store.close()
            await top_up(path, args.pending)
            store = await SqliteStore.open(path)
            pending = await store.pending_count()
            times = []
            for _ in range(3):
                started = time.perf_counter()
                due = await store.due_pushes(SENDER_BATCH, per_chat=SENDER_PER_CHAT)
                times.append(time.perf_counter() - started)
            print(
                f"outbox pass at {pending:,} pending: due_pushes({SENDER_BATCH}, "
                f"per_chat={SENDER_PER_CHAT}) -> {len(due)} pushes, best of 3 "
                f"{min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"
            )
            started = time.perf_counter()
            await store.delivery_stats()
            print(f"delivery_stats (/status) {(time.perf_counter() - started) * 1000:.0f} ms")
        await store.close()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {rss:.0f} MiB; db {path.stat().st_size / 2**20:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
