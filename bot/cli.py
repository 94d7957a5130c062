"""`newsbot` / `python -m bot`: run the bot, or poll and classify in a terminal."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections.abc import Iterator, Sequence

from bot.classify.classifier import Classifier
from bot.config import Settings, load_settings
from bot.errors import ConfigError, StorageError
from bot.pipeline.poll import tag
from bot.sources.catalog import load_sources
from bot.sources.fetch import Fetcher, make_client
from bot.sources.read import read_source

log = logging.getLogger("newsbot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot", description="Telegram news bot for countries and movements."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the bot (long polling)")
    poll = commands.add_parser("poll", help="fetch every source and print articles as JSON lines")
    poll.add_argument("--once", action="store_true", help="poll once and exit (no token needed)")
    classify = commands.add_parser("classify", help="print an article's countries and topics")
    classify.add_argument("text", nargs="*", help="article text; none: one article per stdin line")
    commands.add_parser("sources", help="each source's health: last ok, last error, failures")
    commands.add_parser("status", help="the outbox: pending, sent, failed pushes and why")
    resolve = commands.add_parser("resolve", help="print what a reader's words subscribe to")
    resolve.add_argument("words", nargs="*", help="one input; none: one input per stdin line")
    return parser


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # httpx logs every request URL, and Bot API URLs carry the token: never below WARNING
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # PTB logs each 429 with a traceback; the sender already logs it in one line and waits
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.ERROR)
    if level != "DEBUG":  # one line per job run is noise at INFO
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _inputs(words: Sequence[str]) -> Iterator[str]:
    if words:
        yield " ".join(words)
        return
    for line in sys.stdin:
        if line.strip():
            yield line.rstrip("\n")


def classify_command(words: Sequence[str]) -> int:
    classifier = Classifier.default()
    for text in _inputs(words):
        tags = classifier.classify(text)
        print(json.dumps({"countries": list(tags.countries), "topics": list(tags.topics)}))
    return 0


def resolve_command(words: Sequence[str]) -> int:
    """One JSON object per input, as /subscribe would understand it."""
    from bot.query.resolver import Resolver
    from bot.query.words import resolve_line

    resolver = Resolver.default()
    for text in _inputs(words) if words else (line.rstrip("\n") for line in sys.stdin):
        print(json.dumps(resolve_line(resolver, text), ensure_ascii=False), flush=True)
    return 0


async def poll_command(settings: Settings, *, once: bool) -> int:
    """Print each source's articles as JSON lines; with --once, one pass, else every interval."""
    specs = load_sources(settings.sources_file)
    classifier = Classifier.default()
    printed: set[str] = set()
    async with make_client(settings) as client:
        fetcher = Fetcher(
            client,
            max_bytes=settings.fetch_max_bytes,
            timeout_seconds=settings.fetch_timeout_seconds,
        )
        while True:
            reads = await asyncio.gather(*(read_source(fetcher, s.url, s.kind) for s in specs))
            for spec, read in zip(specs, reads, strict=True):
                if read.error:
                    log.warning("source %s failed: %s", spec.name, read.error)
                for article in read.articles:
                    if article.url in printed:
                        continue
                    printed.add(article.url)
                    tags = tag(classifier, article)
                    record = {
                        "url": article.url,
                        "title": article.title,
                        "teaser": article.teaser,
                        "source": spec.name,
                        "published": article.published.isoformat() if article.published else None,
                        "countries": list(tags.countries),
                        "topics": list(tags.topics),
                    }
                    print(json.dumps(record, ensure_ascii=False), flush=True)
            failed = sum(1 for read in reads if read.error)
            log.info("poll: %d sources ok, %d failed", len(reads) - failed, failed)
            if once:
                return 1 if failed == len(reads) and reads else 0
            await asyncio.sleep(settings.poll_interval_seconds)


async def sources_command(settings: Settings) -> int:
    """Print the health table of the sources the bot polls (the file's, and those added in chat)."""
    from bot.delivery.source_report import table
    from bot.store.sqlite import SqliteStore

    specs = load_sources(settings.sources_file)
    store = await SqliteStore.open(settings.database_path)
    try:
        sources = await store.sync_sources(specs)
    finally:
        await store.close()
    print(table(sources, time.time()))
    return 0


async def status_command(settings: Settings) -> int:
    """Print the delivery report, read from the database the bot writes."""
    from bot.delivery.status_report import status_lines
    from bot.store.sqlite import SqliteStore

    store = await SqliteStore.open(settings.database_path)
    try:
        print("\n".join(status_lines(await store.delivery_stats())))
    finally:
        await store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "classify":
            return classify_command(args.text)
        if args.command == "resolve":
            return resolve_command(args.words)
        settings = load_settings()
        _configure_logging(settings.log_level)
        if args.command == "poll":
            return asyncio.run(poll_command(settings, once=args.once))
        if args.command == "sources":
            return asyncio.run(sources_command(settings))
        if args.command == "status":
            return asyncio.run(status_command(settings))
        from bot.app import run

        settings.require_token()
        run(settings)
        return 0
    except (ConfigError, StorageError) as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
