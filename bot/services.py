"""What handlers and jobs reach through `context.services`: the core's long-lived objects."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, cast

import httpx
from telegram import Bot
from telegram.ext import CallbackContext, ExtBot

from bot.classify.classifier import Classifier
from bot.classify.resolver import Resolver
from bot.config import Settings
from bot.delivery.sender import Sender
from bot.poller import Poller
from bot.sources.catalog import load_sources
from bot.sources.fetch import Fetcher, make_client
from bot.storage import Store
from bot.storage.sqlite import SqliteStore


@dataclass(slots=True)
class Services:
    settings: Settings
    store: Store
    classifier: Classifier
    resolver: Resolver
    http: httpx.AsyncClient
    poller: Poller
    sender: Sender

    async def close(self) -> None:
        await self.sender.stop()
        await self.http.aclose()
        await self.store.close()


async def open_services(settings: Settings, bot: Bot) -> Services:
    """Open the store, load the sources file into it and build the poller and sender."""
    specs = load_sources(settings.sources_file)
    store = await SqliteStore.open(settings.database_path, clock=time.time)
    await store.sync_sources(specs)
    classifier = Classifier.default()
    http = make_client(settings)
    fetcher = Fetcher(
        http, max_bytes=settings.fetch_max_bytes, timeout_seconds=settings.fetch_timeout_seconds
    )
    poller = Poller(
        store,
        fetcher,
        classifier,
        interval_seconds=settings.poll_interval_seconds,
        concurrency=settings.fetch_concurrency,
        digest_threshold=settings.digest_threshold,
    )
    sender = Sender(
        bot, store, rate_per_second=settings.push_rate, paid_broadcast=settings.paid_broadcast
    )
    return Services(settings, store, classifier, Resolver.default(), http, poller, sender)


class NewsContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with a typed door to the core."""

    @property
    def services(self) -> Services:
        return cast(Services, self.bot_data["services"])
