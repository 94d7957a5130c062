"""Parsing in worker processes: the same pages as inline, and a time budget per parse."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.models import SourceKind
from bot.sources.read import INLINE, ParsePool

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
FEED = (FIXTURES / "popular_resistance_feed.xml").read_bytes()
URL = "https://popularresistance.org/feed/"


def slow_feed(references: int) -> bytes:
    """A feed feedparser reads in seconds: undefined entities send it to its slow parser."""
    title = "&zz;" * references
    item = f"<item><title>{title}</title><link>https://slow.example/a</link></item>"
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{item}</channel></rss>'.encode()


@pytest.fixture
async def pool() -> AsyncIterator[ParsePool]:
    parse_pool = ParsePool(workers=1, timeout_seconds=0.5)
    yield parse_pool
    await parse_pool.close()


async def test_a_worker_parses_what_the_inline_parser_does(pool: ParsePool) -> None:
    inline = await INLINE.parse(FEED, url=URL, content_type=None, kind=None)
    pooled = await pool.parse(FEED, url=URL, content_type=None, kind=None)
    assert pooled == inline and pooled.kind is SourceKind.RSS and pooled.articles


async def test_a_parse_error_in_a_worker_is_the_same_parse_error(pool: ParsePool) -> None:
    with pytest.raises(ParseError, match="empty body"):
        await pool.parse(b"", url=URL, content_type=None, kind=SourceKind.RSS)
    assert pool.workers_started == 1  # the worker is kept


async def test_a_parse_over_budget_fails_and_its_worker_is_replaced(pool: ParsePool) -> None:
    await pool.parse(FEED, url=URL, content_type=None, kind=None)
    started = time.perf_counter()
    with pytest.raises(ParseError, match=r"^parse took longer than 0.5s$"):
        await pool.parse(slow_feed(1_000_000), url=URL, content_type=None, kind=SourceKind.RSS)
    assert time.perf_counter() - started < 2.0
    started = time.perf_counter()
    page = await pool.parse(FEED, url=URL, content_type=None, kind=None)
    assert page.articles and time.perf_counter() - started < 2.0  # not queued behind it
    assert pool.workers_started == 2


KILLED_PARENT = """
import asyncio, os, signal, sys
from bot.sources.read import ParsePool

async def main():
    pool = ParsePool(workers=1, timeout_seconds=5)
    feed = b"<rss version='2.0'><channel><item><link>https://a.example/1</link><title>T</title></item></channel></rss>"
    await pool.parse(feed, url="https://a.example/", content_type=None, kind=None)
    print(*pool.worker_pids, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_exit_when_the_bot_is_killed() -> None:
    """SIGKILL leaves no parse worker (nor the fork server it keeps alive) behind."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_PARENT], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == -signal.SIGKILL
    (pid,) = (int(p) for p in done.stdout.split())
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)


PAGE_WITH_FEED = (
    b"<html><head><link rel='alternate' type='application/rss+xml' href='/feed/'></head>"
    b"<body><p>News</p></body></html>"
)


async def test_feed_discovery_runs_in_a_worker_like_inline(pool: ParsePool) -> None:
    """An HTML page is parsed to find its feed: that parse gets the same worker and budget."""
    inline = await INLINE.discover(PAGE_WITH_FEED, url=URL, content_type="text/html")
    pooled = await pool.discover(PAGE_WITH_FEED, url=URL, content_type="text/html")
    assert pooled == inline == "https://popularresistance.org/feed/"
    assert pool.workers_started == 1
