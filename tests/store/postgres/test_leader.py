"""Leadership among replicas: one holder of the advisory lock, and a cut leader steps down first."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

import pytest

from bot.leader import take_lead
from bot.store.postgres.leader import LEADER_LOCK, AdvisoryLeader
from tests.fakes.proxy import CuttableProxy
from tests.store.backends import postgres_url

CHECK_SECONDS = 0.3
IDLE_TIMEOUT_SECONDS = 2.0


def leader(
    url: str, key: int, on_lost: Callable[[], Awaitable[None]] | None = None
) -> AdvisoryLeader:
    """A leader that checks and retries fast, so a test takes seconds."""
    return AdvisoryLeader(
        url,
        key=key,
        check_seconds=CHECK_SECONDS,
        retry_seconds=0.2,
        idle_timeout_seconds=IDLE_TIMEOUT_SECONDS,
        on_lost=on_lost,
    )


@pytest.fixture
def key() -> int:
    """A lock of this test's own, so nothing else on the server contends for it."""
    return secrets.randbits(62)


@pytest.fixture
async def proxy() -> AsyncIterator[tuple[CuttableProxy, str]]:
    """A cuttable proxy to the test server, and the server's URL through it."""
    parts = urlsplit(postgres_url())
    async with CuttableProxy(parts.port or 5432, parts.hostname or "127.0.0.1") as cuttable:
        user = f"{parts.username}@" if parts.username else ""
        yield cuttable, parts._replace(netloc=f"{user}127.0.0.1:{cuttable.port}").geturl()


async def test_two_replicas_never_both_lead_and_a_release_hands_over(key: int) -> None:
    first = leader(postgres_url(), key)
    second = leader(postgres_url(), key)
    try:
        assert await first.try_acquire() and first.is_leader
        assert not await second.try_acquire() and not second.is_leader
        assert await first.confirm()
        await first.close()
        await asyncio.wait_for(second.acquire(), timeout=5)
        assert second.is_leader and not first.is_leader
    finally:
        await first.close()
        await second.close()


async def test_a_leader_cut_off_from_the_server_stops_before_a_standby_starts(
    key: int, proxy: tuple[CuttableProxy, str]
) -> None:
    cuttable, through_proxy = proxy
    events: list[tuple[str, float]] = []

    async def lost() -> None:
        events.append(("lost", time.monotonic()))

    cut_off = leader(through_proxy, key, on_lost=lost)
    standby = leader(postgres_url(), key)
    try:
        assert await cut_off.try_acquire()
        taking_over = asyncio.create_task(standby.acquire())
        await asyncio.sleep(1.0)  # the standby tries a few times, in vain
        assert cut_off.is_leader and not standby.is_leader
        cuttable.go_silent()
        cut_at = time.monotonic()
        while not taking_over.done():
            assert not (cut_off.is_leader and standby.is_leader)
            assert time.monotonic() - cut_at < 10, "the standby never took over"
            await asyncio.sleep(0.02)
        events.append(("took over", time.monotonic()))
        assert [name for name, _ in events] == ["lost", "took over"]
        (_, lost_at), (_, took_at) = events
        assert lost_at - cut_at < 2 * CHECK_SECONDS + 0.5  # stopped at once
        assert took_at - cut_at < IDLE_TIMEOUT_SECONDS + 2  # and handed over
        assert not await cut_off.confirm()
    finally:
        await cut_off.close()
        await standby.close()


async def test_the_app_takes_the_lead_on_postgresql_and_always_has_it_on_sqlite(key: int) -> None:
    async def never() -> None:
        raise AssertionError("not lost")

    assert await take_lead("sqlite:///data/newsbot.db", on_lost=never) is None
    taken = await take_lead(postgres_url(), on_lost=never)
    assert taken is not None
    try:
        assert taken.is_leader and await taken.confirm()
        other = leader(postgres_url(), LEADER_LOCK)
        assert not await other.try_acquire()  # the app's key, held by the app's leader
    finally:
        await taken.close()
