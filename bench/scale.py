"""The poll's costs at scale (issue 12): matching, syndication and whole polls; print them.

    python bench/scale.py [--subscriptions 10000,100000,1000000] [--sources 50,500,2000]
                          [--recent 4000,40000] [--poll-subscriptions 10000] [--quick]

- matching: 1,000 articles against each number of subscriptions (bench/match.py's
  `measure`: real SQLite store, the poll's own `load_followers` and `plan`), time and
  tracemalloc peak;
- syndication: a first poll (two new articles per source, nothing known) and a steady poll
  (200 new against each number of recent articles) through the poll's `StoryIndex`;
- whole polls: the real Poller, Fetcher, parsers, classifier and SQLite store against
  in-process feeds (httpx.MockTransport), a first poll (two articles per source, the
  backlog) and a steady poll (one source in ten published one article).

The corpus is made up but shaped like news: a place name, common words and rarer ones, and
one article in four a republished copy of an earlier one. `--quick` is a smoke test of a few
seconds (tests/bench/test_scale.py runs it).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.match import COMMON, measure, populate, vocabulary
from bot.classify.classifier import Classifier
from bot.classify.countries import all_countries
from bot.models import RecentStory, SourceSpec
from bot.pipeline.poll import Poller
from bot.pipeline.stories import WINDOW_SECONDS, StoryIndex
from bot.sources.fetch import Fetcher
from bot.store.sqlite import SqliteStore

ARTICLES_MATCHED = 1_000
STEADY_NEW = 200
COPY_SHARE = 0.25  # one article in four republishes an earlier one


def _scales(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part]


class Corpus:
    """Made-up news: titles and teasers, some of them republished copies of earlier ones."""

    def __init__(self, seed: int = 12) -> None:
        self._rng = random.Random(seed)
        self._vocab = vocabulary(self._rng, 20_000)
        self._weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(self._vocab))]
        self._places = [country.name for country in all_countries()]
        self._made: list[tuple[str, str]] = []

    def _words(self, count: int) -> list[str]:
        rare = self._rng.choices(self._vocab, self._weights, k=count)
        common = self._rng.choices(COMMON, k=count)
        return [rare[n] if self._rng.random() < 0.6 else common[n] for n in range(count)]

    def story(self) -> tuple[str, str]:
        rng = self._rng
        if self._made and rng.random() < COPY_SHARE:
            title, teaser = rng.choice(self._made[-2000:])  # republished within days
            title = rng.choice((title, title.upper(), f"{title} - Dispatch", f"News: {title}"))
            teaser = teaser[: rng.randint(60, len(teaser))]
        else:
            title = " ".join([rng.choice(self._places), *self._words(rng.randint(5, 10))])
            teaser = " ".join(self._words(rng.randint(20, 45))) + "."
        self._made.append((title, teaser))
        return title, teaser

    def stories(self, count: int) -> list[tuple[str, str]]:
        return [self.story() for _ in range(count)]


# -- syndication ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyndicationFigures:
    build_seconds: float  # reading the recent articles into the index: once, at start
    poll_seconds: float  # one poll's finds and additions
    copies_found: int


def syndicate(recent: int, new: int, sources: int, seed: int = 12) -> SyndicationFigures:
    """`new` articles against `recent` known ones, as `fresh_articles` does (find, then add)."""
    corpus = Corpus(seed)
    now = 10 * WINDOW_SECONDS
    known = [
        RecentStory(f"r{n}", n % sources, "", title, teaser, first_seen_at=now - 60.0)
        for n, (title, teaser) in enumerate(corpus.stories(recent))
    ]
    arriving = corpus.stories(new)
    started = time.perf_counter()
    index = StoryIndex(known)
    built = time.perf_counter() - started
    started = time.perf_counter()
    index.move_to(now)
    found = 0
    for n, (title, teaser) in enumerate(arriving):
        source_id = (n * 7) % sources
        found += index.find(source_id, title, teaser) is not None
        index.add(f"n{n}", source_id, title, teaser)
    index.commit({f"n{n}" for n in range(new)})
    return SyndicationFigures(built, time.perf_counter() - started, found)


# -- whole polls ---------------------------------------------------------------------------

FEEDS = "https://feeds.test"


class Feeds:
    """RSS feeds served in process: source n's articles at /feed/n, with ETags."""

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus
        self._items: dict[int, list[tuple[str, str, str]]] = {}
        self.transport = httpx.MockTransport(self._handle)

    def publish(self, source: int, count: int = 1) -> None:
        items = self._items.setdefault(source, [])
        for title, teaser in self._corpus.stories(count):
            items.insert(0, (f"{FEEDS}/{source}/{len(items)}", title, teaser))

    def _handle(self, request: httpx.Request) -> httpx.Response:
        source = int(request.url.path.rsplit("/", 1)[1])
        body = self._rss(source).encode()
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"etag": etag})
        headers = {"etag": etag, "content-type": "application/rss+xml"}
        return httpx.Response(200, content=body, headers=headers)

    def _rss(self, source: int) -> str:
        published = format_datetime(datetime.now(UTC), usegmt=True)
        items = "".join(
            f"<item><title>{escape(title)}</title><link>{url}</link><guid>{url}</guid>"
            f"<pubDate>{published}</pubDate><description>{escape(teaser)}</description></item>"
            for url, title, teaser in self._items.get(source, ())
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Source {source}</title><link>{FEEDS}/</link>{items}</channel></rss>"
        )


@dataclass(frozen=True, slots=True)
class PollFigures:
    first_seconds: float
    first_new: int
    steady_seconds: float
    steady_new: int
    steady_pushes: int


async def whole_polls(sources: int, subscriptions: int, seed: int = 12) -> PollFigures:
    """A first and a steady poll of `sources` feeds by the real Poller on an SQLite store."""
    rng = random.Random(seed)
    feeds = Feeds(Corpus(seed))
    for source in range(sources):
        feeds.publish(source, 2)
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "bench.db")
        await populate(store, rng, max(subscriptions // 3, 1), subscriptions, vocabulary(rng, 2000))
        await store.sync_sources([SourceSpec(f"s{n}", f"{FEEDS}/feed/{n}") for n in range(sources)])
        async with httpx.AsyncClient(transport=feeds.transport) as client:
            poller = Poller(
                store,
                Fetcher(client, max_bytes=1_000_000, timeout_seconds=30),
                Classifier.default(),
                interval_seconds=0,  # every source is due at every poll
                concurrency=50,
                digest_threshold=5,
            )
            first = await poller.poll_once()
            for source in rng.sample(range(sources), max(sources // 10, 1)):
                feeds.publish(source)
            steady = await poller.poll_once()
        await store.close()
    return PollFigures(
        first.seconds, first.new_articles, steady.seconds, steady.new_articles, steady.pushes_queued
    )


# -- the report ----------------------------------------------------------------------------


async def report(
    subscriptions: Sequence[int],
    sources: Sequence[int],
    recent: Sequence[int],
    poll_subscriptions: int,
) -> None:
    print("matching: 1,000 articles; steady = the automaton kept from the poll before")
    for count in subscriptions:
        m = await measure(count, min(30_000, max(count // 3, 1)), ARTICLES_MATCHED)
        print(
            f"  {count:>9,} subscriptions: {m.warm_seconds:.3f}s steady, {m.cold_seconds:.3f}s "
            f"first, peak {m.peak_mib:.1f} MiB, {m.pairs:,} pairs to {m.chats_reached:,} chats"
        )
    print("syndication: the poll's StoryIndex (find, then add, per new article)")
    for count in sources:
        s = syndicate(0, 2 * count, count)
        print(
            f"  first poll, {count:>5,} sources, {2 * count:,} new: {s.poll_seconds:.3f}s, "
            f"{s.copies_found:,} copies found"
        )
    for known in recent:
        s = syndicate(known, STEADY_NEW, 500)
        print(
            f"  steady poll, {STEADY_NEW} new vs {known:,} recent: {s.poll_seconds:.3f}s "
            f"(index read at start: {s.build_seconds:.2f}s, once), {s.copies_found} copies found"
        )
    print(f"whole polls: real Poller, SQLite, {poll_subscriptions:,} subscriptions, MockTransport")
    for count in sources:
        p = await whole_polls(count, poll_subscriptions)
        print(
            f"  {count:>5,} sources: first poll {p.first_seconds:.2f}s ({p.first_new:,} new), "
            f"steady poll {p.steady_seconds:.2f}s ({p.steady_new} new, "
            f"{p.steady_pushes:,} pushes queued)"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--subscriptions", type=_scales, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--sources", type=_scales, default=[50, 500, 2_000])
    parser.add_argument("--recent", type=_scales, default=[4_000, 40_000])
    parser.add_argument("--poll-subscriptions", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="small scales: a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.subscriptions, args.sources, args.recent = [1_000], [10], [400]
        args.poll_subscriptions = 300
    started = time.perf_counter()
    asyncio.run(report(args.subscriptions, args.sources, args.recent, args.poll_subscriptions))
    print(f"(one run, {time.perf_counter() - started:.0f}s; a shared machine is noisy)")


if __name__ == "__main__":
    main()
