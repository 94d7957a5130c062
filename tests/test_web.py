"""/healthz, /metrics and the webhook route, on a real store, through aiohttp's test client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.errors import StorageError
from bot.metrics import Metrics
from bot.models import DeliveryStats
from bot.store.sqlite import SqliteStore
from bot.web import Health, Webhook, WebServer
from tests.clock import Clock

NOW = 1_700_000_000.0


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = await SqliteStore.open(tmp_path / "t.db", clock=Clock(NOW))
    yield opened
    await opened.close()


async def client_for(server: WebServer) -> TestClient[Any, Any]:
    client = TestClient(TestServer(server.app()))
    await client.start_server()
    return client


async def test_ready_while_polls_are_fresh_and_not_after(store: SqliteStore) -> None:
    health = Health(poll_interval=60, started_at=NOW - 10)
    clock = Clock(NOW)
    client = await client_for(WebServer(store=store, metrics=Metrics(), health=health, clock=clock))
    try:
        fresh = await client.get("/healthz")
        assert fresh.status == 200
        assert (await fresh.json())["ready"] is True
        health.last_poll_at = NOW
        clock.advance(3 * 60 + 1)  # three intervals without a successful poll
        stale = await client.get("/healthz")
        body = await stale.json()
        assert stale.status == 503 and body["ready"] is False and body["live"] is True
        assert body["last_poll_seconds_ago"] == 181.0
        health.polls_here = False  # a standby does not poll: it stays ready
        assert (await client.get("/healthz")).status == 200
    finally:
        await client.close()


class FailingStore:
    async def delivery_stats(self) -> DeliveryStats:
        raise StorageError("database or disk is full")


async def test_a_failing_database_is_not_ready(store: SqliteStore) -> None:
    server = WebServer(store=FailingStore(), metrics=Metrics(), health=Health(poll_interval=60))  # type: ignore[arg-type]
    client = await client_for(server)
    try:
        answer = await client.get("/healthz")
        assert answer.status == 503
        assert (await answer.json())["database"] == "failing: database or disk is full"
        assert (await client.get("/metrics")).status == 200  # counters still readable
    finally:
        await client.close()


async def test_metrics_count_what_was_reported(store: SqliteStore) -> None:
    metrics = Metrics()
    metrics.poll_done(ok=5, failed=1, unchanged=3, new=4, queued=12, seconds=1.5)
    metrics.telegram_answers.labels("429").inc()
    client = await client_for(
        WebServer(store=store, metrics=metrics, health=Health(poll_interval=60))
    )
    try:
        text = await (await client.get("/metrics")).text()
    finally:
        await client.close()
    for line in (
        "newsbot_polls_total 1.0",
        'newsbot_source_reads_total{outcome="ok"} 2.0',
        'newsbot_source_reads_total{outcome="unchanged"} 3.0',
        'newsbot_source_reads_total{outcome="failed"} 1.0',
        "newsbot_new_articles_total 4.0",
        "newsbot_pushes_queued_total 12.0",
        'newsbot_telegram_answers_total{code="429"} 1.0',
        "newsbot_outbox_pending 0.0",
    ):
        assert line in text.splitlines(), line


async def test_the_webhook_takes_updates_only_with_the_secret(store: SqliteStore) -> None:
    taken: list[dict[str, Any]] = []

    async def accept(update: dict[str, Any]) -> None:
        taken.append(update)

    hook = Webhook("/tg", "right-secret", accept)
    server = WebServer(store=store, metrics=Metrics(), health=Health(60), webhook=hook)
    client = await client_for(server)
    try:
        header = "X-Telegram-Bot-Api-Secret-Token"
        update = {"update_id": 7, "message": {"text": "/help"}}
        assert (await client.post("/tg", json=update)).status == 403
        assert (await client.post("/tg", json=update, headers={header: "wrong"})).status == 403
        assert (await client.post("/tg", data=b"{", headers={header: "right-secret"})).status == 400
        assert (await client.post("/tg", json=[1], headers={header: "right-secret"})).status == 400
        assert (
            await client.post("/tg", json=update, headers={header: "right-secret"})
        ).status == 200
    finally:
        await client.close()
    assert taken == [update]
