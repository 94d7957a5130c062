"""The one poll loop, and the only async part of the pipeline: load -> read -> decide -> apply.

Every decision is made by the pure functions of `decide`; this module only gathers the facts
they need (due sources, their fresh reads, what the store knows) and applies the intent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.classify.classifier import Classifier
from bot.models import SourceRead, SourceState, StoredArticle, TargetKind
from bot.pipeline.decide import (
    PollFacts,
    PollPolicy,
    candidates,
    decide,
    due,
    earlier_stories,
    fresh_articles,
    unexpected,
)
from bot.pipeline.identity import first_listed, fresh
from bot.pipeline.match import Candidate, Followers, KeywordCache, wanted
from bot.pipeline.stories import WINDOW_SECONDS, StoryIndex
from bot.sources.fetch import Fetcher
from bot.sources.read import INLINE, ParsePool, Parser, read_source
from bot.store.base import Store

log = logging.getLogger(__name__)

PER_HOST_CONCURRENCY = 2  # sources of one site fetched at once: polite, and HTTP/2 multiplexes


@dataclass(frozen=True, slots=True)
class PollSummary:
    sources_ok: int
    sources_failed: int
    not_modified: int
    new_articles: int
    pushes_queued: int
    seconds: float
    articles: Sequence[StoredArticle] = field(default=(), repr=False)  # what this poll stored

    def log_line(self) -> str:
        return (
            f"poll: {self.sources_ok} sources ok ({self.not_modified} unchanged), "
            f"{self.sources_failed} failed, {self.new_articles} new articles, "
            f"{self.pushes_queued} pushes queued in {self.seconds:.1f}s"
        )


async def load_followers(
    store: Store, items: Sequence[Candidate], keywords: KeywordCache
) -> Followers:
    """Chats following what the new articles carry: phrases found in them, every filter."""
    targets = wanted(items)
    index = keywords.index(await store.followed_phrases())
    found = {item.text: index.found(item.text) for item in items}
    phrases = sorted(set().union(*found.values()))
    chats: dict[tuple[TargetKind, str], Collection[int]] = {}
    for kind, values in (
        (TargetKind.COUNTRY, targets.countries),
        (TargetKind.TOPIC, targets.topics),
        (TargetKind.REGION, targets.regions),
        (TargetKind.KEYWORD, phrases),
        (TargetKind.FILTER, None),
    ):
        if values is None or values:
            ids = await store.follower_ids(kind, values)
            chats.update(((kind, value), chat_ids) for value, chat_ids in ids.items())
    return Followers(chats, index, found)


class Poller:
    """Runs polls; the scheduler calls `poll_once`, never two at a time."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        classifier: Classifier,
        *,
        interval_seconds: float,
        concurrency: int,
        digest_threshold: int,
        per_host: int = PER_HOST_CONCURRENCY,
        clock: Callable[[], float] = time.time,
        parser: Parser = INLINE,
    ) -> None:
        self._store = store
        self._fetcher = fetcher
        self._classifier = classifier
        self._policy = PollPolicy(interval_seconds, digest_threshold)
        self._semaphore = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self._per_host)
        )
        self._clock = clock
        self._parser = parser
        self._stories: StoryIndex | None = None  # read from the store once, then kept
        self._keywords = KeywordCache()

    async def close(self) -> None:
        """Stop the parse workers, if parsing runs in a pool (the bot's shutdown)."""
        if isinstance(self._parser, ParsePool):
            await self._parser.close()

    async def poll_once(self) -> PollSummary:
        started = time.monotonic()
        now = self._clock()
        sources = due(await self._store.list_sources(), now)
        reads = await asyncio.gather(*(self._read(source) for source in sources))
        for source, read in zip(sources, reads, strict=True):
            if read.error:
                log.warning(
                    "source %s failed: %s", source.name, read.error, extra={"source": source.name}
                )
        found = first_listed(zip(sources, (read.articles for read in reads), strict=True))
        new = fresh(found, await self._store.unknown_urls(list(found)))
        stories = await self._recent_stories(now) if new else StoryIndex()
        processed = fresh_articles(new, stories, self._classifier)
        broken = {source_id: unexpected(exc) for source_id, exc in processed.failed.items()}
        for source in sources:
            if source.id in processed.failed:
                log.warning(
                    "source %s failed: %s",
                    source.name,
                    broken[source.id],
                    extra={"source": source.name},
                )
                log.debug("source %s: traceback", source.name, exc_info=processed.failed[source.id])
        items = candidates(processed.articles)
        subscribers = (
            await load_followers(self._store, items, self._keywords) if items else Followers.of(())
        )
        schedules = await self._store.schedules() if items else {}
        earlier = earlier_stories(processed.articles) if items else []
        recipients = await self._store.story_recipients(earlier) if earlier else {}
        facts = PollFacts(
            now, sources, reads, processed.articles, subscribers, schedules, broken, recipients
        )
        record = await self._store.apply(decide(facts, self._policy))
        stories.commit({item.article.url_norm for item in processed.articles})
        failed = sum(1 for read in reads if read.error) + len(broken)
        summary = PollSummary(
            sources_ok=len(reads) - failed,
            sources_failed=failed,
            not_modified=sum(1 for read in reads if read.not_modified),
            new_articles=len(record.new_articles),
            pushes_queued=record.pushes_queued,
            seconds=time.monotonic() - started,
            articles=record.new_articles,
        )
        log.info(summary.log_line())
        return summary

    async def _recent_stories(self, now: float) -> StoryIndex:
        """The articles of the syndication window, kept between polls: new ones are few."""
        if not self._stories:
            self._stories = StoryIndex(await self._store.recent_stories(now - WINDOW_SECONDS))
        self._stories.move_to(now)
        return self._stories

    async def _read(self, source: SourceState) -> SourceRead:
        host = urlsplit(source.feed_url or source.url).netloc.lower()
        async with self._hosts[host], self._semaphore:
            try:
                return await self._read_source(source)
            except Exception as exc:  # a bug met on one source: its failure, not the poll's
                log.debug("source %s: unexpected error while reading", source.name, exc_info=True)
                return SourceRead(error=unexpected(exc))

    async def _read_source(self, source: SourceState) -> SourceRead:
        return await read_source(
            self._fetcher,
            source.url,
            source.kind,
            etag=source.etag,
            last_modified=source.last_modified,
            feed_url=source.feed_url,
            selectors=source.selectors,
            guarded=source.guarded,
            body_hash=source.body_hash,
            parser=self._parser,
        )
