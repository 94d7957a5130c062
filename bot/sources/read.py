"""Reading one source: fetch, discover its feed, parse; a failure is a value, not an abort.

Parsing may run in worker processes with a time budget (ParsePool), so one hostile body
costs its own source a timeout instead of freezing every reader's replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any, Protocol, TypeVar

from bot.errors import ParseError, SourceError
from bot.models import FetchResult, ListingSelectors, ParsedPage, SourceKind, SourceRead
from bot.sources.discover import discover_feed
from bot.sources.fetch import Fetcher
from bot.sources.parse import detect_kind, parse_source

log = logging.getLogger(__name__)

_R = TypeVar("_R")

# Workers start from a server process that has imported the parsers once; "fork" would copy
# the bot's threads (and Python warns about it), "spawn" would import them again per worker.
_PRELOAD = ["bot.sources.parse", "bot.sources.discover"]


class Parser(Protocol):
    """Turns a fetched body into a page: in this process, or in a worker with a time budget."""

    async def parse(
        self,
        body: bytes,
        *,
        url: str,
        content_type: str | None,
        kind: SourceKind | None,
        selectors: ListingSelectors | None = None,
    ) -> ParsedPage: ...

    async def discover(self, body: bytes, *, url: str, content_type: str | None) -> str | None:
        """The feed an HTML page announces, if any: parsing the page costs like any parse."""
        ...


class InlineParser:
    """Parses on the calling thread: for /addsource's one page and for tests."""

    async def parse(
        self,
        body: bytes,
        *,
        url: str,
        content_type: str | None,
        kind: SourceKind | None,
        selectors: ListingSelectors | None = None,
    ) -> ParsedPage:
        return parse_source(
            body, url=url, content_type=content_type, kind=kind, selectors=selectors
        )

    async def discover(self, body: bytes, *, url: str, content_type: str | None) -> str | None:
        return discover_feed(body, url=url, content_type=content_type)


INLINE = InlineParser()


class ParseSettings(Protocol):
    """What parsing needs of the settings: bot.config.Settings fits, unimported."""

    @property
    def parse_timeout_seconds(self) -> float: ...
    @property
    def fetch_concurrency(self) -> int: ...


@dataclass(slots=True)
class _Worker:
    executor: ProcessPoolExecutor
    pid: int


class ParsePool:
    """Parses in worker processes, each parse within `timeout_seconds`.

    A parse over its budget becomes its source's ParseError, and its worker is killed and
    replaced, so the next parses do not queue behind a stuck one.
    """

    def __init__(self, *, workers: int, timeout_seconds: float) -> None:
        self._size = max(1, workers)
        self._timeout = timeout_seconds
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(_PRELOAD)
        self._idle: list[_Worker] = []
        self._started = 0
        self._free = asyncio.Semaphore(self._size)
        self._closed = False
        # Workers hold the reading end and exit when it closes: when this process dies,
        # even by SIGKILL, they (and with them the fork server) go too.
        self._lifeline, self._lifeline_w = self._context.Pipe(duplex=False)

    async def parse(
        self,
        body: bytes,
        *,
        url: str,
        content_type: str | None,
        kind: SourceKind | None,
        selectors: ListingSelectors | None = None,
    ) -> ParsedPage:
        return await self._run(
            parse_source, body, url=url, content_type=content_type, kind=kind,
            selectors=selectors,
        )  # fmt: skip

    async def discover(self, body: bytes, *, url: str, content_type: str | None) -> str | None:
        return await self._run(discover_feed, body, url=url, content_type=content_type)

    async def _run(self, work: Callable[..., _R], body: bytes, **options: Any) -> _R:
        """`work(body, **options)` in an idle worker, within the time budget."""
        async with self._free:
            worker = await self._take()
            future = worker.executor.submit(work, body, **options)
            try:
                page = await asyncio.wait_for(asyncio.wrap_future(future), self._timeout)
            except TimeoutError:
                self._kill(worker)
                raise ParseError(f"parse took longer than {self._timeout:g}s") from None
            except BrokenProcessPool:
                self._kill(worker)
                raise ParseError("the parser's worker process died") from None
            except asyncio.CancelledError:
                self._kill(worker)  # it may still be parsing: nobody must wait behind it
                raise
            except BaseException:
                self._idle.append(worker)  # the parse failed, the worker is fine
                raise
            self._idle.append(worker)
            return page

    async def _take(self) -> _Worker:
        """An idle worker, else a new one (the semaphore keeps them to `workers`)."""
        if self._closed:
            raise ParseError("the bot is shutting down: parsing has stopped")
        if self._idle:
            return self._idle.pop()
        executor = ProcessPoolExecutor(
            max_workers=1,
            mp_context=self._context,
            initializer=_exit_with_parent,
            initargs=(self._lifeline,),
        )
        try:
            pid = await asyncio.wrap_future(executor.submit(os.getpid))
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        self._started += 1
        return _Worker(executor, pid)

    def _kill(self, worker: _Worker) -> None:
        """Stop a stuck worker now; the next parse starts a fresh one."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.executor.shutdown(wait=False, cancel_futures=True)

    @classmethod
    def from_settings(cls, settings: ParseSettings) -> ParsePool:
        """One worker per core, never more than the sources read at once."""
        workers = min(settings.fetch_concurrency, os.cpu_count() or 1)
        return cls(workers=workers, timeout_seconds=settings.parse_timeout_seconds)

    @property
    def worker_pids(self) -> list[int]:
        """The idle workers' process ids, for measuring them (bench/hostile.py)."""
        return [worker.pid for worker in self._idle]

    @property
    def workers_started(self) -> int:
        """How many workers were started: one more after each killed one."""
        return self._started

    async def close(self) -> None:
        """Shut every worker down, for the bot's shutdown."""
        self._closed = True
        idle, self._idle = self._idle, []
        for worker in idle:
            await asyncio.to_thread(worker.executor.shutdown, wait=True)
        self._lifeline_w.close()
        self._lifeline.close()


def _exit_with_parent(lifeline: Connection) -> None:
    """In a worker: exit as soon as the bot's end of the lifeline closes."""

    def wait() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv()
        os._exit(0)

    threading.Thread(target=wait, name="lifeline", daemon=True).start()


async def read_source(
    fetcher: Fetcher,
    url: str,
    kind: SourceKind | None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    feed_url: str | None = None,
    selectors: ListingSelectors | None = None,
    guarded: bool = False,
    body_hash: str | None = None,
    parser: Parser = INLINE,
) -> SourceRead:
    """Fetch and parse one source; its failure is a value, so the other sources go on.

    A page that announces its own feed is read through the feed, now and in later polls
    (`feed_url`); a 304, or the body last read again (`body_hash`), costs no parsing.
    """
    try:
        fetched = await fetcher.fetch(
            feed_url or url, etag=etag, last_modified=last_modified, guarded=guarded
        )
        if fetched.not_modified:
            return SourceRead(
                kind=kind,
                etag=etag,
                last_modified=last_modified,
                not_modified=True,
                feed_url=feed_url,
                body_hash=body_hash,
            )
        size = len(fetched.body)
        digest = hash_body(fetched.body)
        if body_hash is not None and digest == body_hash:
            return SourceRead(
                kind=kind,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                not_modified=True,
                feed_url=feed_url,
                bytes_fetched=size,
                body_hash=digest,
            )
        if (
            feed_url is None
            and selectors is None
            and kind is not SourceKind.HTML
            and detect_kind(fetched.body, fetched.content_type) is SourceKind.HTML
        ):
            found = await parser.discover(
                fetched.body, url=fetched.url, content_type=fetched.content_type
            )
            if found is not None:
                feed = await _read_feed(fetcher, found, guarded=guarded, parser=parser)
                if feed.error is None:
                    return replace(feed, bytes_fetched=size + feed.bytes_fetched)
                log.info("feed %s announced by %s unusable: %s", found, url, feed.error)
                kind = SourceKind.HTML  # fall back to reading the page as a listing
        page = await parser.parse(
            fetched.body,
            url=fetched.url,
            content_type=fetched.content_type,
            kind=kind,
            selectors=selectors,
        )
    except SourceError as exc:
        return SourceRead(error=str(exc) or type(exc).__name__)
    return _page_read(page, fetched, feed_url=feed_url, size=size, digest=digest)


def hash_body(body: bytes) -> str:
    """What tells a body from the last one read: feeds without validators send it again."""
    return hashlib.sha256(body).hexdigest()


async def _read_feed(fetcher: Fetcher, url: str, *, guarded: bool, parser: Parser) -> SourceRead:
    """A discovered feed, read as a feed whatever it looks like."""
    try:
        fetched = await fetcher.fetch(url, guarded=guarded)
        kind = detect_kind(fetched.body, fetched.content_type)
        if kind is SourceKind.HTML:
            return SourceRead(error="the announced feed is an HTML page")
        page = await parser.parse(
            fetched.body, url=fetched.url, content_type=fetched.content_type, kind=kind
        )
    except SourceError as exc:
        return SourceRead(error=str(exc) or type(exc).__name__)
    return _page_read(
        page, fetched, feed_url=url, size=len(fetched.body), digest=hash_body(fetched.body)
    )


def _page_read(
    page: ParsedPage, fetched: FetchResult, *, feed_url: str | None, size: int, digest: str
) -> SourceRead:
    return SourceRead(
        articles=page.articles,
        kind=page.kind,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        feed_url=feed_url,
        bytes_fetched=size,
        title=page.title,
        body_hash=digest,
    )
