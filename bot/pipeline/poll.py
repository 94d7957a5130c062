"""One poll: fetch every due source at once, classify what is new, store it with its pushes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from bot.classify.classifier import Classifier
from bot.models import (
    NewArticle,
    ParsedArticle,
    PollIntent,
    SourcePoll,
    SourceState,
    Tags,
)
from bot.pipeline.match import Candidate, candidate, route
from bot.pipeline.stories import WINDOW_SECONDS, StoryIndex
from bot.sources.fetch import Fetcher
from bot.sources.read import SourceRead, read_source
from bot.store.base import Store
from bot.urls import normalize_url

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 6 * 3600
PER_HOST_CONCURRENCY = 2  # sources of one site fetched at once: polite, and HTTP/2 multiplexes


@dataclass(frozen=True, slots=True)
class PollSummary:
    sources_ok: int
    sources_failed: int
    not_modified: int
    new_articles: int
    pushes_queued: int
    seconds: float

    def log_line(self) -> str:
        return (
            f"poll: {self.sources_ok} sources ok ({self.not_modified} unchanged), "
            f"{self.sources_failed} failed, {self.new_articles} new articles, "
            f"{self.pushes_queued} pushes queued in {self.seconds:.1f}s"
        )


def tag(classifier: Classifier, article: ParsedArticle) -> Tags:
    return classifier.classify(article.title, article.teaser, article.categories)


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
    ) -> None:
        self._store = store
        self._fetcher = fetcher
        self._classifier = classifier
        self._interval = interval_seconds
        self._semaphore = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self._per_host)
        )
        self._digest_threshold = digest_threshold
        self._clock = clock

    async def poll_once(self) -> PollSummary:
        started = time.monotonic()
        now = self._clock()
        sources = [s for s in await self._store.list_sources() if s.next_poll_after <= now]
        reads = await asyncio.gather(*(self._read(source) for source in sources))
        polls = [self._poll_state(s, r, now) for s, r in zip(sources, reads, strict=True)]
        for source, read in zip(sources, reads, strict=True):
            if read.error:
                log.warning("source %s failed: %s", source.name, read.error)
        found = _first_by_url(sources, reads)
        unknown = await self._store.unknown_urls(list(found))
        articles: list[NewArticle] = []
        pushable: list[Candidate] = []
        stories = StoryIndex(
            await self._store.recent_stories(now - WINDOW_SECONDS) if unknown else ()
        )
        for url_norm, (source, parsed) in found.items():
            if url_norm not in unknown:
                continue
            article = self._classified(source, parsed, url_norm)
            story = stories.find(source.id, parsed.title, parsed.teaser)
            if story is not None:  # a republished story: stored, but pushed once per chat
                article = replace(article, story_key=story)
            stories.add(url_norm, source.id, parsed.title, parsed.teaser)
            articles.append(article)
            if source.initialized:  # a new source's backlog is recorded, not pushed
                pushable.append(candidate(article, url_norm))
        pushes = await route(
            self._store,
            pushable,
            digest_threshold=self._digest_threshold,
            batch=f"poll{now:.0f}",
            now=now,
        )
        record = await self._store.apply(PollIntent(polls, articles, pushes))
        failed = sum(1 for read in reads if read.error)
        summary = PollSummary(
            sources_ok=len(reads) - failed,
            sources_failed=failed,
            not_modified=sum(1 for read in reads if read.not_modified),
            new_articles=len(record.new_articles),
            pushes_queued=record.pushes_queued,
            seconds=time.monotonic() - started,
        )
        log.info(summary.log_line())
        return summary

    async def _read(self, source: SourceState) -> SourceRead:
        host = urlsplit(source.feed_url or source.url).netloc.lower()
        async with self._hosts[host], self._semaphore:
            return await read_source(
                self._fetcher,
                source.url,
                source.kind,
                etag=source.etag,
                last_modified=source.last_modified,
                feed_url=source.feed_url,
                selectors=source.selectors,
                guarded=source.guarded,
            )

    def _poll_state(self, source: SourceState, read: SourceRead, now: float) -> SourcePoll:
        if read.error:
            backoff = min(self._interval * 2 ** min(source.failures, 16), MAX_BACKOFF_SECONDS)
            return SourcePoll(
                source.id, now, ok=False, error=read.error, next_poll_after=now + backoff
            )
        return SourcePoll(
            source.id,
            now,
            ok=True,
            kind=read.kind,
            etag=read.etag,
            last_modified=read.last_modified,
            feed_url=read.feed_url,
        )

    def _classified(self, source: SourceState, parsed: ParsedArticle, url_norm: str) -> NewArticle:
        tags = tag(self._classifier, parsed)
        return NewArticle(
            source_id=source.id,
            url=parsed.url,
            url_norm=url_norm,
            title=parsed.title,
            teaser=parsed.teaser,
            guid=parsed.guid,
            author=parsed.author,
            published_at=parsed.published.timestamp() if parsed.published else None,
            countries=tags.countries,
            topics=tags.topics,
            categories=parsed.categories,
        )


def _first_by_url(
    sources: Sequence[SourceState], reads: Sequence[SourceRead]
) -> dict[str, tuple[SourceState, ParsedArticle]]:
    """Each article once per poll, from the first source that listed it, oldest first."""
    found: dict[str, tuple[SourceState, ParsedArticle]] = {}
    for source, read in zip(sources, reads, strict=True):
        for parsed in reversed(read.articles):
            found.setdefault(normalize_url(parsed.url), (source, parsed))
    return found
