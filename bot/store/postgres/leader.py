"""Leadership among replicas: a PostgreSQL advisory lock held on a connection of its own.

The holder is the leader (it polls and sends); the others try again every `retry_seconds`.
The lock lives as long as its session, so:

- a leader's process that dies closes its connection, and the lock is free at once;
- a leader cut off from the server (its network gone, or its process frozen) is found out on
  both sides: it pings its connection every `check_seconds` and steps down when a ping does
  not come back within `check_seconds`; the server ends the session once it has been silent
  for `idle_timeout_seconds` (idle_session_timeout), which frees the lock.

The leader steps down after at most twice `check_seconds` of silence, well before the server
frees the lock for a standby, so two leaders never send at the same time. With the defaults
a standby takes over within idle_timeout_seconds + retry_seconds = 13 s of a cut.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg

from bot.store.postgres.connection import DRIVER_ERRORS, redacted

log = logging.getLogger(__name__)

LEADER_LOCK = 0x6E657773_6C656164  # "newslead": the advisory lock key of the leader
CHECK_SECONDS = 2.0
RETRY_SECONDS = 3.0
IDLE_TIMEOUT_SECONDS = 10.0


class AdvisoryLeader:
    """This process's claim to lead, as a session advisory lock on a dedicated connection."""

    def __init__(
        self,
        url: str,
        *,
        key: int = LEADER_LOCK,
        check_seconds: float = CHECK_SECONDS,
        retry_seconds: float = RETRY_SECONDS,
        idle_timeout_seconds: float = IDLE_TIMEOUT_SECONDS,
        on_lost: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """`on_lost` runs once when the lock is lost (not when it is released by `close`)."""
        assert idle_timeout_seconds > 2 * check_seconds, "the leader must step down first"
        self._url = url
        self._key = key
        self._check = check_seconds
        self._retry = retry_seconds
        self._idle_timeout = idle_timeout_seconds
        self._on_lost = on_lost
        self._connection: asyncpg.Connection[asyncpg.Record] | None = None
        self._watch: asyncio.Task[None] | None = None

    @property
    def is_leader(self) -> bool:
        return self._connection is not None

    async def acquire(self) -> None:
        """Wait, as a standby, until this process holds the lock; then keep checking it."""
        waiting = False
        while not await self.try_acquire():
            if not waiting:
                log.info("standby: another newsbot leads on this database; waiting to take over")
                waiting = True
            await asyncio.sleep(self._retry)
        log.info("leader: this newsbot now polls and sends")

    async def try_acquire(self) -> bool:
        """One attempt: True if the lock is now ours (checked from then on)."""
        if self._connection is not None:
            return True
        try:
            connection = await asyncpg.connect(
                self._url,
                timeout=self._check * 2,
                server_settings={
                    "application_name": "newsbot-leader",
                    "idle_session_timeout": str(int(self._idle_timeout * 1000)),
                },
            )
        except DRIVER_ERRORS as exc:
            log.warning("cannot reach %s for the leader lock: %s", redacted(self._url), exc)
            return False
        try:
            held = await asyncio.wait_for(
                connection.fetchval("SELECT pg_try_advisory_lock($1)", self._key),
                timeout=self._check * 2,
            )
        except DRIVER_ERRORS:
            connection.terminate()
            return False
        if not held:
            await connection.close()
            return False
        self._connection = connection
        self._watch = asyncio.create_task(self._keep_checking(), name="newsbot-leader-check")
        return True

    async def confirm(self) -> bool:
        """Is the lock still ours, asked of the server now? Steps down if the answer is late."""
        connection = self._connection
        if connection is None:
            return False
        try:
            await asyncio.wait_for(connection.fetchval("SELECT 1"), timeout=self._check)
        except DRIVER_ERRORS as exc:
            await self._lose(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            return False
        return self._connection is connection

    async def _keep_checking(self) -> None:
        while self._connection is not None:
            await asyncio.sleep(self._check)
            await self.confirm()

    async def _lose(self, why: str) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        connection.terminate()  # no goodbye over a connection that may be dead
        log.warning("leader lock lost (%s): this newsbot stops polling and sending", why)
        if self._on_lost is not None:
            await self._on_lost()

    async def close(self) -> None:
        """Release the lock (a standby takes over at its next try) and stop checking."""
        watch, self._watch = self._watch, None
        if watch is not None and watch is not asyncio.current_task():
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await asyncio.wait_for(connection.close(), timeout=self._check)
            except DRIVER_ERRORS:
                connection.terminate()
