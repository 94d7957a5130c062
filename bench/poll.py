"""Poll 50 sources on fake news sites on 127.0.0.1, some slow; print the figures of issue 3.

    python bench/poll.py [--sites 10] [--per-site 5] [--slow 5] [--delay 1.0]

Each site serves RSS, Atom and an HTML listing with conditional GET (tests/fakes/news_site.py);
the slow sources answer after `--delay` seconds. The real Poller, Fetcher, parsers, classifier
and SQLite store run three polls: cold (every body fetched and parsed), warm (nothing changed:
all 304s) and mixed (half the sites published one article). For each it prints sources/s,
bytes fetched and the 304 share, and compares the poll's time with the slowest single source.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.classify.classifier import Classifier
from bot.config import Settings
from bot.models import FetchResult, SourceSpec
from bot.pipeline.poll import PER_HOST_CONCURRENCY, Poller
from bot.sources.fetch import Fetcher, make_client
from bot.sources.read import read_source
from bot.store.sqlite import SqliteStore
from tests.fakes.news_site import FakeArticle, FakeNewsSite

PATHS = ("/feed/", "/atom.xml", "/category/news/", "/feed/?copy=2", "/atom.xml?copy=2")


class SlowableSite(FakeNewsSite):
    """A fake site whose requests carrying ?slow=1 answer after a delay."""

    delay = 1.0

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("slow"):
            await asyncio.sleep(self.delay)
        return await super()._handle(request)


class CountingFetcher(Fetcher):
    """Counts bytes of body and 304 answers."""

    bytes = 0
    responses = 0
    not_modified = 0

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        guarded: bool = False,
    ) -> FetchResult:
        result = await super().fetch(url, etag=etag, last_modified=last_modified, guarded=guarded)
        self.bytes += len(result.body)
        self.responses += 1
        self.not_modified += result.not_modified
        return result

    def reset(self) -> None:
        self.bytes = self.responses = self.not_modified = 0


def populate(site: FakeNewsSite, n: int, count: int) -> None:
    now = datetime.now(UTC)
    for k in range(count):
        site.add(
            FakeArticle(
                title=f"Site {n} story {k}: dock workers strike in Valparaíso",
                teaser=f"Chilean dock workers at port {n} walked out on day {k}. " * 4,
                slug=f"s{n}-{k}",
                published=now - timedelta(hours=k),
            )
        )


async def main(sites: int, per_site: int, slow: int, delay: float) -> None:
    settings = Settings(fetch_timeout_seconds=10.0)
    fakes = [SlowableSite(title=f"Site {n}") for n in range(sites)]
    for n, fake in enumerate(fakes):
        fake.delay = delay
        await fake.start()
        populate(fake, n, 10)
    specs = []
    for n, fake in enumerate(fakes):
        for k in range(per_site):
            path = PATHS[k % len(PATHS)]
            url = fake.base_url + path
            if k == 0 and n < slow:  # the first source of `slow` sites answers late
                url += "?slow=1"
            specs.append(SourceSpec(f"site{n}-{k}", url))
    slow_urls = [s.url for s in specs if "slow=1" in s.url]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = await SqliteStore.open(Path(tmp) / "bench.db")
            await store.sync_sources(specs)
            async with make_client(settings) as client:
                fetcher = CountingFetcher(
                    client,
                    max_bytes=settings.fetch_max_bytes,
                    timeout_seconds=settings.fetch_timeout_seconds,
                )
                started = time.monotonic()
                await read_source(fetcher, slow_urls[0], None)
                slowest = time.monotonic() - started
                poller = Poller(
                    store,
                    fetcher,
                    Classifier.default(),
                    interval_seconds=300,
                    concurrency=settings.fetch_concurrency,
                    digest_threshold=5,
                )
                print(
                    f"{len(specs)} sources on {sites} fake sites (127.0.0.1), {len(slow_urls)} "
                    f"slow ({delay:g}s); FETCH_CONCURRENCY={settings.fetch_concurrency}, "
                    f"per host {PER_HOST_CONCURRENCY}, HTTP/2 on (loopback speaks HTTP/1.1)"
                )
                print(f"slowest single source alone: {slowest:.2f}s")
                for label in ("cold", "warm", "mixed"):
                    if label == "mixed":
                        for n, fake in enumerate(fakes[::2]):
                            populate(fake, n * 2, 11)  # one new article each
                    fetcher.reset()
                    summary = await poller.poll_once()
                    share = fetcher.not_modified / max(fetcher.responses, 1)
                    print(
                        f"{label:>5} poll: {summary.seconds:.2f}s "
                        f"({summary.seconds / slowest:.2f}x the slowest source), "
                        f"{len(specs) / summary.seconds:.0f} sources/s, "
                        f"{fetcher.bytes / 1024:.0f} KiB fetched, 304 share {share:.0%}, "
                        f"{summary.sources_failed} failed, {summary.new_articles} new articles"
                    )
            await store.close()
    finally:
        for fake in fakes:
            await fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--per-site", type=int, default=5)
    parser.add_argument("--slow", type=int, default=5)
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args()
    asyncio.run(main(args.sites, args.per_site, args.slow, args.delay))
