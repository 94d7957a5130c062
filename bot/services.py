"""What handlers and jobs reach through `context.services`: the core's long-lived objects.

Built by `bot.app.open_services`, which owns the wiring (and the Telegram bot it needs).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.classify.classifier import Classifier
from bot.config import Settings
from bot.delivery.sender import Sender
from bot.metrics import Metrics
from bot.pipeline.poll import Poller
from bot.query.resolver import Resolver
from bot.sources.fetch import Fetcher
from bot.store.base import Store


@dataclass(slots=True)
class Services:
    settings: Settings
    store: Store
    classifier: Classifier
    resolver: Resolver
    http: httpx.AsyncClient
    fetcher: Fetcher  # the one fetcher over `http`: polls and /addsource share it
    poller: Poller
    sender: Sender
    metrics: Metrics

    async def close(self) -> None:
        await self.sender.stop()
        await self.poller.close()
        await self.http.aclose()
        await self.store.close()
