"""Poll each hostile source of issue 13 once, for real, and print what it costs the bot.

    python bench/hostile.py [--inline] [--case NAME ...]

Each case is one source on a loopback site (tests/sources/minisite.py) read by the real
Poller, Fetcher, parsers, classifier and a SQLite store in a temporary directory: deep HTML
nesting (3,000 and 10,000 levels), a 208 KB teaser of boilerplate look-alikes, a feed of
100,000 items and a feed whose declared entity expands quadratically (kept under expat's
amplification limit). For each it prints the first poll's seconds, the longest the event
loop was blocked meanwhile (what a reader's /help would wait), the second poll's seconds
(the same body again), the articles stored, the source's error, and RSS growth of this
process and the highest peak RSS of a live parse worker. `--inline` parses on the event loop, as
newsbot did before the parse pool.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.classify.classifier import Classifier
from bot.models import SourceSpec
from bot.pipeline.poll import Poller
from bot.sources.fetch import Fetcher
from bot.sources.read import INLINE, ParsePool, Parser
from bot.store.sqlite import SqliteStore
from tests.sources.minisite import MiniSite

RSS = (
    '<?xml version="1.0"?>{doctype}<rss version="2.0">'
    "<channel><title>Hostile</title>{items}</channel></rss>"
)
POSTS = (
    '<article><h2><a href="/2024/one/">Strike in Lima</a></h2><p>Peruvian miners.</p></article>'
    '<article><h2><a href="/2024/two/">March in Quito</a></h2><p>Ecuador protest.</p></article>'
)


def nested(levels: int) -> tuple[bytes, str]:
    body = '<div class="post">' * levels + POSTS + "</div>" * levels
    return f"<html><body>{body}</body></html>".encode(), "text/html"


def big_teaser() -> tuple[bytes, str]:
    teaser = ("The post Read more \u201c " * 10_000)[:208_000]
    item = f"<item><title>T</title><link>https://h.example/a</link><description>{teaser}</description></item>"
    return RSS.format(doctype="", items=item).encode(), "application/rss+xml"


def many_items() -> tuple[bytes, str]:
    items = "".join(
        f"<item><title>Item {n}</title><link>https://h.example/{n}</link></item>"
        for n in range(100_000)
    )
    return RSS.format(doctype="", items=items).encode(), "application/rss+xml"


def entities() -> tuple[bytes, str]:
    doctype = '<!DOCTYPE rss [<!ENTITY e "' + "x" * 270 + '">]>'
    title = "&e;" * 1_500_000
    item = f"<item><title>{title}</title><link>https://h.example/a</link></item>"
    return RSS.format(doctype=doctype, items=item).encode(), "application/rss+xml"


CASES: dict[str, Callable[[], tuple[bytes, str]]] = {
    "nesting-3000": lambda: nested(3000),
    "nesting-10000": lambda: nested(10_000),
    "teaser-208KB": big_teaser,
    "items-100000": many_items,
    "entities": entities,
}


def rss_mb() -> float:
    """This process's resident set now, in MB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1e6


def pids(parser: Parser) -> list[int]:
    return parser.worker_pids if isinstance(parser, ParsePool) else []


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident set (VmHWM), in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1e3
    return 0.0


async def loop_lag(stop: asyncio.Event, worst: list[float]) -> None:
    """The longest a 10 ms timer came late: how long the loop was blocked."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        worst[0] = max(worst[0], time.perf_counter() - started - 0.01)


async def run_case(name: str, make: Callable[[], tuple[bytes, str]], parser: Parser) -> None:
    body, content_type = make()
    later = [0.0]
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "bench.db")
        async with MiniSite() as site, httpx.AsyncClient() as client:
            url = site.serve("/source", body, content_type)
            await store.sync_sources([SourceSpec(name, url)])
            poller = Poller(
                store,
                Fetcher(client, max_bytes=10_000_000, timeout_seconds=60),
                Classifier.default(),
                interval_seconds=1,
                concurrency=8,
                digest_threshold=5,
                parser=parser,
                clock=lambda: time.time() + later[0],
            )
            before = rss_mb()
            stop, worst = asyncio.Event(), [0.0]
            ticker = asyncio.create_task(loop_lag(stop, worst))
            first = await poller.poll_once()
            stop.set()
            await ticker
            grown = rss_mb() - before
            (state,) = await store.list_sources()
            later[0] += 3600  # the source is due again
            second_started = time.perf_counter()
            second = await poller.poll_once()
            second_seconds = time.perf_counter() - second_started
        await store.close()
    workers = max((peak_rss_mb(pid) for pid in pids(parser)), default=0.0)
    print(
        f"{name:14} {len(body) / 1e3:8.0f} KB  poll {first.seconds:6.2f}s  "
        f"loop blocked {worst[0]:6.2f}s  again {second_seconds:5.2f}s "
        f"({second.not_modified} unchanged)  stored {first.new_articles:4}  "
        f"RSS +{grown:5.0f} MB  workers' peak {workers:5.0f} MB  "
        f"error: {state.last_error or '-'}",
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inline", action="store_true", help="parse on the event loop")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="run only these")
    args = parser.parse_args()
    pool = None if args.inline else ParsePool(workers=2, timeout_seconds=10)
    try:
        for name in args.case or list(CASES):
            await run_case(name, CASES[name], pool or INLINE)
    finally:
        if pool is not None:
            await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
