"""The one small HTTP server: /healthz and /metrics for monitoring, and Telegram's webhook.

Off unless HTTP_PORT is set (a webhook needs it). /healthz answers 200 while the bot is
ready (its database answers, and where this process polls, the last poll succeeded within
three poll intervals) and 503 otherwise, with the details as JSON either way. The webhook
accepts an update only with Telegram's X-Telegram-Bot-Api-Secret-Token equal to
WEBHOOK_SECRET, and hands it to PTB's update queue, as long polling would.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.errors import StorageError
from bot.metrics import CONTENT_TYPE, Metrics
from bot.store.base import OutboxStore

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STALE_POLLS = 3  # a poll older than this many intervals makes the bot not ready


@dataclass(slots=True)
class Health:
    """What the poll job tells /healthz."""

    poll_interval: float
    started_at: float = field(default_factory=time.time)
    last_poll_at: float | None = None
    polls_here: bool = True  # False on a standby replica: it does not poll

    def poll_age(self, now: float) -> float:
        """Seconds since the last successful poll (or since start, before the first)."""
        return now - (self.last_poll_at if self.last_poll_at is not None else self.started_at)


@dataclass(frozen=True, slots=True)
class Webhook:
    path: str
    secret: str
    accept: Callable[[dict[str, Any]], Awaitable[None]]  # puts the update on PTB's queue


class WebServer:
    def __init__(
        self,
        *,
        store: OutboxStore,
        metrics: Metrics,
        health: Health,
        webhook: Webhook | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._metrics = metrics
        self._health = health
        self._webhook = webhook
        self._clock = clock
        self._runner: web.AppRunner | None = None
        self.port = 0

    def app(self) -> web.Application:
        app = web.Application(client_max_size=1 << 20)  # an update is a few kilobytes
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics_page)
        if self._webhook is not None:
            app.router.add_post(self._webhook.path, self._update)
        return app

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("HTTP server on %s:%d (/healthz, /metrics%s)", host, self.port, self._hook())

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _hook(self) -> str:
        return f", webhook {self._webhook.path}" if self._webhook else ""

    async def _healthz(self, request: web.Request) -> web.Response:
        now = self._clock()
        body: dict[str, Any] = {"live": True}
        try:
            stats = await self._store.delivery_stats()
        except StorageError as exc:
            body.update(ready=False, database=f"failing: {exc}")
            return web.json_response(body, status=503)
        self._metrics.outbox(stats, now)
        age = self._health.poll_age(now)
        fresh = not self._health.polls_here or age <= STALE_POLLS * self._health.poll_interval
        lag = now - stats.oldest_due_at if stats.oldest_due_at is not None else 0.0
        body.update(
            ready=fresh,
            database="ok",
            polls_here=self._health.polls_here,
            last_poll_seconds_ago=round(age, 1) if self._health.polls_here else None,
            outbox_pending=stats.pending,
            outbox_lag_seconds=round(max(0.0, lag), 1),
        )
        return web.json_response(body, status=200 if fresh else 503)

    async def _metrics_page(self, request: web.Request) -> web.Response:
        try:
            self._metrics.outbox(await self._store.delivery_stats(), self._clock())
        except StorageError as exc:
            log.warning("metrics: the outbox gauges are stale: %s", exc)
        return web.Response(body=self._metrics.text(), headers={"Content-Type": CONTENT_TYPE})

    async def _update(self, request: web.Request) -> web.Response:
        assert self._webhook is not None
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._webhook.secret.encode()):
            return web.Response(status=403, text="wrong secret token")
        try:
            update = await request.json(loads=json.loads)
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict) or "update_id" not in update:
            return web.Response(status=400, text="not a Telegram update")
        await self._webhook.accept(update)
        return web.Response(text="ok")
