"""The sender's outbox pass at 1,000,000 pending pushes: how long `due_pushes` takes.

    python bench/outbox_pass.py [--chats 10000] [--articles 100] [--passes 5]
                                [--database-url postgresql://… (an empty database)]

Queues every article to every chat through one `apply` (the poll's write: timed too), then
runs the sender's pass as it does (`due_pushes(BATCH, per_chat=DIGEST_MAX_ITEMS)`), marks
what it returned as sent, and goes again; prints each pass, `pending_count` and
`delivery_stats`. By default on SQLite in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.delivery.sender import BATCH, DIGEST_MAX_ITEMS
from bot.models import NewArticle, PlannedPush, PollIntent, SourceSpec
from bot.store.base import Store
from bot.store.open import describe, open_store


def new_articles(source_id: int, count: int) -> list[NewArticle]:
    return [
        NewArticle(
            source_id=source_id,
            url=f"https://example.org/{n}/",
            url_norm=f"https://example.org/{n}",
            title=f"Article {n}",
            teaser="",
            guid=None,
            author=None,
            published_at=None,
            countries=("PE",),
            topics=(),
        )
        for n in range(count)
    ]


def fan_out(chats: int, articles: list[NewArticle]) -> Iterator[PlannedPush]:
    """Article by article, as the pipeline plans them: every chat gets every article."""
    for article in articles:
        for n in range(chats):
            yield PlannedPush(10_000 + n, article.url_norm)


async def populate(store: Store, chats: int, articles: int) -> float:
    for n in range(chats):
        await store.upsert_chat(10_000 + n, "private", "")
    (source,) = await store.sync_sources([SourceSpec("S", "https://example.org/feed")])
    batch = new_articles(source.id, articles)
    started = time.perf_counter()
    record = await store.apply(PollIntent([], batch, fan_out(chats, batch)))
    seconds = time.perf_counter() - started
    assert record.pushes_queued == chats * articles, record.pushes_queued
    return seconds


async def passes(store: Store, count: int) -> list[tuple[float, int]]:
    timed: list[tuple[float, int]] = []
    for _ in range(count):
        started = time.perf_counter()
        due = await store.due_pushes(BATCH, per_chat=DIGEST_MAX_ITEMS)
        timed.append((time.perf_counter() - started, len(due)))
        await store.mark_sent([push.id for push in due], message_id=1)
    return timed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--database-url", help="default: SQLite in a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/outbox.db"
        store = await open_store(url)
        try:
            print(f"database: {describe(url)}")
            seconds = await populate(store, args.chats, args.articles)
            total = args.chats * args.articles
            print(f"apply: {total:,} pushes queued in one poll in {seconds:.1f}s")
            timed = await passes(store, args.passes)
            for n, (took, returned) in enumerate(timed, 1):
                print(f"pass {n}: due_pushes returned {returned:,} pushes in {took * 1000:.0f} ms")
            median = statistics.median(took for took, _ in timed)
            print(f"median pass: {median * 1000:.0f} ms at ~{total:,} pending")
            started = time.perf_counter()
            pending = await store.pending_count()
            print(f"pending_count: {pending:,} in {(time.perf_counter() - started) * 1000:.0f} ms")
            started = time.perf_counter()
            await store.delivery_stats()
            print(f"delivery_stats: {(time.perf_counter() - started) * 1000:.0f} ms")
        finally:
            await store.close()


if __name__ == "__main__":
    asyncio.run(main())
