"""`newsbot` / `python -m bot`: run the bot, or poll and classify in a terminal."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from importlib.metadata import version

from bot.classify.classifier import Classifier
from bot.config import Settings, load_settings, setting_warnings
from bot.errors import ConfigError, StorageError
from bot.instance import only_process
from bot.logs import configure as configure_logging
from bot.models import StoredArticle
from bot.pipeline.poll import Poller
from bot.redact import SecretsFilter
from bot.redact import install as install_secrets_filter
from bot.sources.catalog import load_sources
from bot.sources.fetch import Fetcher, make_client
from bot.sources.read import ParsePool
from bot.store.open import SQLITE_PREFIX, describe, is_postgres, open_store, sqlite_path
from bot.store.sqlite import SqliteStore

log = logging.getLogger("newsbot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot", description="Telegram news bot for countries and movements."
    )
    parser.add_argument("--version", action="version", version=f"newsbot {version('newsbot')}")
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
    copy = commands.add_parser("migrate-db", help="copy an SQLite database into PostgreSQL")
    copy.add_argument("--from", dest="source", required=True, help="sqlite:///PATH")
    copy.add_argument("--to", dest="target", required=True, help="postgresql://… (empty)")
    return parser


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


def _article_line(article: StoredArticle) -> str:
    published = (
        datetime.fromtimestamp(article.published_at, UTC).isoformat()
        if article.published_at is not None
        else None
    )
    record = {
        "url": article.url,
        "title": article.title,
        "teaser": article.teaser,
        "source": article.source_name,
        "published": published,
        "countries": list(article.countries),
        "topics": list(article.topics),
    }
    return json.dumps(record, ensure_ascii=False)


async def poll_command(settings: Settings, *, once: bool) -> int:
    """Print each new article as a JSON line, read by the bot's own pipeline.

    The pipeline runs against a throwaway in-memory store, so the bot's database is never
    touched; with --once one pass, else one every interval (only what is new is printed).
    """
    specs = load_sources(settings.sources_file)
    store = await SqliteStore.open(":memory:")
    try:
        await store.sync_sources(specs)
        async with make_client(settings) as client:
            poller = Poller(
                store,
                Fetcher.from_settings(settings, client),
                Classifier.default(),
                interval_seconds=settings.poll_interval_seconds,
                concurrency=settings.fetch_concurrency,
                digest_threshold=settings.digest_threshold,
                parser=ParsePool.from_settings(settings),
            )
            try:
                while True:
                    summary = await poller.poll_once()
                    for article in summary.articles:
                        print(_article_line(article), flush=True)
                    if once:
                        polled = summary.sources_ok + summary.sources_failed
                        return 1 if polled and summary.sources_failed == polled else 0
                    await asyncio.sleep(settings.poll_interval_seconds)
            finally:
                await poller.close()
    finally:
        await store.close()


async def sources_command(settings: Settings) -> int:
    """Print the health table of the sources the bot polls, as its database records them."""
    from bot.delivery.source_report import table

    store = await open_store(settings.database_url, read_only=True)
    try:
        sources = await store.list_sources()
    finally:
        await store.close()
    print(f"database: {describe(settings.database_url)}")
    print(table(sources, time.time()))
    return 0


async def status_command(settings: Settings) -> int:
    """Print the delivery report, read from the database the bot writes."""
    from bot.delivery.status_report import status_lines

    store = await open_store(settings.database_url, read_only=True)
    try:
        stats = await store.delivery_stats()
    finally:
        await store.close()
    print(f"database: {describe(settings.database_url)}")
    print("\n".join(status_lines(stats)))
    return 0


async def migrate_db_command(source: str, target: str) -> int:
    """Copy an installation from SQLite to an empty PostgreSQL database, checking the counts."""
    if not source.startswith(SQLITE_PREFIX) or not is_postgres(target):
        raise ConfigError("migrate-db copies --from sqlite:///PATH --to postgresql://…")
    from bot.store.postgres.copy import copy_sqlite_to_postgres

    print(f"copying {describe(source)} to {describe(target)}")
    copies = await copy_sqlite_to_postgres(
        sqlite_path(source),
        target,
        progress=lambda copied: print(f"  {copied.table}: {copied.rows} rows", flush=True),
    )
    print(f"done: {sum(c.rows for c in copies)} rows in {len(copies)} tables, counts verified")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    secrets = SecretsFilter(())
    try:
        if args.command == "classify":
            return classify_command(args.text)
        if args.command == "resolve":
            return resolve_command(args.words)
        if args.command == "migrate-db":
            return asyncio.run(migrate_db_command(args.source, args.target))
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format)
        secrets = install_secrets_filter(settings.secrets())
        for line in setting_warnings(os.environ):
            log.warning("%s", line)
        if args.command == "poll":
            return asyncio.run(poll_command(settings, once=args.once))
        if args.command == "sources":
            return asyncio.run(sources_command(settings))
        if args.command == "status":
            return asyncio.run(status_command(settings))
        from bot.app import run

        settings.require_token()
        load_sources(settings.sources_file)  # a bad file is one line before any network call
        if is_postgres(settings.database_url):  # replicas share it; the leader sends
            run(settings)
            return 0
        with only_process(settings.database_path):
            run(settings)
        return 0
    except (ConfigError, StorageError) as exc:
        print(f"newsbot: {secrets.redact(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
