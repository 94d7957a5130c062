"""What handlers and jobs reach through `context.services`: the core's long-lived objects.

Built by `bot.app.open_services`, which owns the wiring (and the Telegram bot it needs).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.classify.classifier import Classifier
from bot.classify.resolver import Resolver
from bot.config import Settings
from bot.delivery.sender import Sender
from bot.poller import Poller
from bot.storage import Store


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
