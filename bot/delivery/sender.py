"""The one sender that drains the outbox: paced, in order, and every Telegram error answered."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Defaults, ExtBot

from bot.delivery.channels import lacks_rights, stop_channel
from bot.delivery.pacer import Pacer, Priority, retry_seconds
from bot.delivery.render import MAX_MESSAGE_CHARS, digest_html, fit, plain_text, push_html
from bot.errors import StorageError
from bot.i18n import translator
from bot.models import PendingPush
from bot.store.base import Store
from bot.text import shorten

log = logging.getLogger(__name__)

# How every message of the bot looks unless a call says otherwise (the factory installs it):
# HTML, and no link previews, which would push the next teaser off a phone's screen.
MESSAGE_DEFAULTS = Defaults(
    parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
)

MAX_ATTEMPTS = 8
BATCH = 500  # chats taken from the outbox per pass
INFLIGHT_SECONDS = 0.3  # sends in flight at most: the rate times this (Telegram's round trip)
ERROR_PAUSE_SECONDS = 5.0
STORE_PROBE_SECONDS = 5.0  # while the store fails, how often it is tried again
STOP_GRACE_SECONDS = 10.0  # how long a stop waits for the sends in flight
DIGEST_MAX_ITEMS = 30  # lines in one digest message; a longer batch takes several
COALESCE_BACKLOG = 60  # the default of the setting: about two seconds of sending
# Telegram's words for a forum topic that is closed or gone: that topic stops, not its group
TOPIC_GONE = ("topic_closed", "topic_deleted", "topic_id_invalid", "message thread not found")


def backoff_seconds(attempts: int) -> float:
    return float(min(5 * 2**attempts, 3600))


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Telegram message: a single push, or a digest of pushes sharing a batch."""

    chat_id: int  # the subscriber: a chat, or a forum topic
    chat_type: str
    pushes: tuple[PendingPush, ...]

    @property
    def to(self) -> int:
        """The Telegram chat it goes to: a topic's supergroup, else the subscriber itself."""
        forum = self.pushes[0].forum_chat_id
        return self.chat_id if forum is None else forum

    @property
    def thread_id(self) -> int | None:
        return self.pushes[0].thread_id

    @property
    def ids(self) -> list[int]:
        return [push.id for push in self.pushes]

    def render(self) -> tuple[str, list[int]]:
        """The message, and the pushes it shows: a digest shows as many as fit."""
        tr = translator(self.pushes[0].language)
        if len(self.pushes) == 1:
            return push_html(self.pushes[0].article, tr), self.ids
        html, shown = digest_html([push.article for push in self.pushes], tr)
        return html, self.ids[:shown]


def group(pending: list[PendingPush], *, coalesce: bool = False) -> list[Outgoing]:
    """Gather pushes into messages of at most DIGEST_MAX_ITEMS, keeping the order.

    A digest batch (from a poll) is one message. Coalescing, every chat's pending pushes are
    one message: under load a reader gets one message instead of one per article.
    """
    order: list[tuple[int, str | int, int]] = []
    members: dict[tuple[int, str | int, int], list[PendingPush]] = {}
    filled: dict[tuple[int, str | int], int] = {}
    for push in pending:
        together: str | int = "all" if coalesce else push.batch if push.batch else push.id
        batch: tuple[int, str | int] = (push.chat_id, together)
        count = filled.get(batch, 0)
        filled[batch] = count + 1
        key = (*batch, count // DIGEST_MAX_ITEMS)
        if key not in members:
            order.append(key)
            members[key] = []
        members[key].append(push)
    return [Outgoing(key[0], members[key][0].chat_type, tuple(members[key])) for key in order]


def pacer_of(bot: ExtBot[Any]) -> Pacer:
    """The bot's Pacer: the sender and every reply must count against the same chat spacing."""
    if not isinstance(bot.rate_limiter, Pacer):
        raise TypeError("the sender's bot needs a Pacer as its rate limiter")
    return bot.rate_limiter


def _about(message: Outgoing) -> dict[str, object]:
    """The fields a JSON log line carries about a message (LOG_FORMAT=json)."""
    return {
        "chat_id": message.chat_id,
        "push_id": message.ids[0] if len(message.ids) == 1 else message.ids,
    }


class Sender:
    """Sends due pushes oldest first at a global pace and Telegram's per-chat limits."""

    def __init__(
        self,
        bot: ExtBot[Any],
        store: Store,
        *,
        rate_per_second: float,
        paid_broadcast: bool = False,
        coalesce_backlog: int = COALESCE_BACKLOG,
        clock: Callable[[], float] = time.monotonic,
        counted: Callable[[str, int], None] | None = None,
    ) -> None:
        """`coalesce_backlog`: from this many due pushes on, each chat's go as one message;
        `counted` hears ("sent" | "failed", pushes), for metrics."""
        self._counted = counted or (lambda outcome, pushes: None)
        self._bot = bot
        self._coalesce_backlog = coalesce_backlog
        self._pacer = pacer_of(bot)
        self._store = store
        self._interval = 1.0 / rate_per_second
        self._paid = paid_broadcast
        self._clock = clock
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._inflight: set[int] = set()  # chats with a send under way: order needs one at a time
        self._slots = asyncio.Semaphore(max(4, int(rate_per_second * INFLIGHT_SECONDS)))
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        # Sends Telegram accepted that the store could not record: (push ids, message id).
        # Recorded before anything else is sent, so a failing disk never makes a push go twice.
        self._unrecorded: list[tuple[list[int], int]] = []
        self._store_error: str | None = None  # set while the store fails; sending is paused
        self._store_failures = 0  # store failures met so far: a pass stops at a new one

    @property
    def store_error(self) -> str | None:
        """Why sending is paused (the store fails), or None when it runs; /status shows it."""
        return self._store_error

    @property
    def unrecorded(self) -> int:
        """Pushes Telegram accepted and the store has not recorded yet."""
        return sum(len(ids) for ids, _ in self._unrecorded)

    def wake(self) -> None:
        """Called after a poll queued pushes, so they go out now rather than at the next tick."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="newsbot-sender")

    async def stop(self) -> None:
        """Start no new send, let those in flight finish and be recorded, then end.

        Cancelling a send Telegram already accepted would leave it pending, and it would go
        out again after the restart.
        """
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=STOP_GRACE_SECONDS)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None
        if self._unrecorded and not await self._record_unrecorded():
            log.error(
                "sender: stopping with %d sent pushes the store could not record; "
                "they will be sent again after the restart",
                self.unrecorded,
            )

    async def run(self) -> None:
        """Drain forever; an unexpected error is logged and the loop goes on, never dies."""
        while not self._stopping:
            try:
                busy = await self.drain_once()
            except StorageError as exc:
                self._store_failed(exc)
                busy = True
            except Exception:
                log.exception("sender: drain failed; retrying in %ss", ERROR_PAUSE_SECONDS)
                await asyncio.sleep(ERROR_PAUSE_SECONDS)
                continue
            if self._store_error is not None:  # paused: probe the store now and then
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop_requested(), timeout=STORE_PROBE_SECONDS)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=0.2 if busy else 2.0)
            self._wake.clear()

    async def _stop_requested(self) -> None:
        """Wait for a stop; a poll's wake-up does not end a pause for a failing store."""
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()

    async def drain_once(self) -> bool:
        """Send what is due now, several at once; True when some chats must wait their turn.

        Sends overlap (Telegram answers in ~100 ms, we start one every 1/rate s), but never
        two to one chat, and one message per chat per pass: what a digest could not show comes
        back in the next pass ahead of anything newer, so each chat gets its pushes in order.
        While sends the store could not record are waiting, they are recorded first and
        nothing else is sent: pending in the store, they would otherwise go out again.
        """
        if self._unrecorded and not await self._record_unrecorded():
            return True
        pending = await self._store.due_pushes(BATCH, per_chat=DIGEST_MAX_ITEMS)
        # a store that failed some other write is probed with one message at a time
        probing = self._store_error is not None
        failures = self._store_failures
        waiting: set[int] = set()
        served: set[int] = set()
        tasks: list[asyncio.Task[bool]] = []
        for message in group(pending, coalesce=len(pending) >= self._coalesce_backlog):
            if self._stopping or self._store_failures != failures or (probing and tasks):
                break
            chat = message.to  # never two at once to one Telegram chat, whatever its topics
            busy = chat in served or chat in self._inflight
            if chat in waiting or busy or not self._chat_ready(message):
                waiting.add(chat)
                continue
            await self._pace()
            if self._stopping or self._store_failures != failures:
                break
            await self._slots.acquire()
            self._inflight.add(chat)
            served.add(chat)
            tasks.append(asyncio.create_task(self._send_and_release(message)))
        results = await asyncio.gather(*tasks)
        if probing and tasks and self._store_failures == failures:
            self._store_recovered()
        full = len({push.chat_id for push in pending}) >= BATCH
        return bool(waiting) or not all(results) or full

    async def _send_and_release(self, message: Outgoing) -> bool:
        try:
            return await self._send(message)
        except StorageError as exc:  # recording a failure failed: it is tried again later
            self._store_failed(exc)
            return False
        finally:
            self._inflight.discard(message.to)
            self._slots.release()

    def _chat_ready(self, message: Outgoing) -> bool:
        return self._pacer.free_at(message.to) <= self._clock()

    async def _pace(self) -> None:
        """Wait for the next global send slot, and out any RetryAfter pause, even a new one."""
        now = self._clock()
        start = max(now, self._next_slot, self._paused_until)
        if start > now:
            await asyncio.sleep(start - now)
        left = self._paused_until - self._clock()
        if left > 0:  # a RetryAfter came back while we waited for the slot
            await asyncio.sleep(left)
            start = self._clock()
        # the next slot follows the planned one, not our (always slightly late) wake-up, so
        # sleep overshoot doesn't erode the rate; after a stall it restarts from now, no burst
        self._next_slot = max(start + self._interval, self._clock())

    async def _send(self, message: Outgoing) -> bool:
        """Deliver one message and record the outcome; False when the chat must wait."""
        text, ids = message.render()
        try:
            sent = await self._deliver(message, text)
        except RetryAfter as exc:
            seconds = retry_seconds(exc)
            log.warning("sender: Telegram asked to wait %.0fs", seconds)
            self._paused_until = self._clock() + seconds
            return False
        except ChatMigrated as exc:
            log.info("chat %s migrated to %s", message.to, exc.new_chat_id, extra=_about(message))
            await self._store.migrate_chat(message.to, exc.new_chat_id)
            return False
        except Forbidden as exc:
            log.info(
                "chat %s is gone (%s); marking it inactive",
                message.to,
                exc.message,
                extra=_about(message),
            )
            await self._chat_gone(message, exc.message)
            return False
        except BadRequest as exc:
            return await self._bad_request(message, text, ids, exc)
        except NetworkError as exc:
            await self._retry_later(message, ids, f"network: {exc.message}")
            return False
        except TelegramError as exc:  # anything else Telegram says: retried, then failed
            await self._retry_later(message, ids, f"{type(exc).__name__}: {exc.message}")
            return False
        return await self._record_sent(ids, sent)

    async def _record_sent(self, ids: list[int], message_id: int) -> bool:
        """Mark pushes sent; if the store fails, keep them in memory and pause sending."""
        self._counted("sent", len(ids))  # Telegram accepted them, recorded or not
        try:
            await self._store.mark_sent(ids, message_id)
        except StorageError as exc:
            self._unrecorded.append((ids, message_id))
            self._store_failed(exc)
            return False
        return True

    async def _record_unrecorded(self) -> bool:
        """Record the sends the store missed, oldest first; True once none is left."""
        while self._unrecorded:
            ids, message_id = self._unrecorded[0]
            try:
                await self._store.mark_sent(ids, message_id)
            except StorageError as exc:
                self._store_failed(exc)
                return False
            self._unrecorded.pop(0)
        self._store_recovered()
        return True

    def _store_failed(self, exc: StorageError) -> None:
        """Pause sending; said once in the log, however long the store keeps failing."""
        if self._store_error is None:
            log.error(
                "sender: the store cannot record sends (%s); sending paused, retrying every %.0fs",
                exc,
                STORE_PROBE_SECONDS,
            )
        self._store_error = str(exc) or type(exc).__name__
        self._store_failures += 1

    def _store_recovered(self) -> None:
        if self._store_error is not None:
            log.warning("sender: the store works again; sending resumed")
            self._store_error = None

    async def _chat_gone(self, message: Outgoing, reason: str) -> None:
        """Nothing more goes to that Telegram chat (a group with all its topics); a channel's
        manager hears of it."""
        if message.chat_type != "channel":
            await self._store.deactivate_chat(message.to, reason)
            return
        notice = await stop_channel(self._store, message.to, reason)
        if notice is None:
            return
        try:
            await self._bot.send_message(notice.chat_id, notice.html)
        except TelegramError as exc:  # the manager blocked us too: the log is all that is left
            log.warning("channel %s: cannot tell its manager: %s", message.to, exc)

    async def _deliver(self, message: Outgoing, text: str, *, html: bool = True) -> int:
        """Send to the subscriber's Telegram chat, into its topic when it is one."""
        result = await self._bot.send_message(
            message.to,
            text,
            message_thread_id=message.thread_id,
            parse_mode=ParseMode.HTML if html else None,  # the plain fallback overrides the default
            allow_paid_broadcast=self._paid or None,
            rate_limit_args=Priority.PUSH,
        )
        return result.message_id

    async def _give_up(self, ids: list[int], error: str) -> None:
        await self._store.mark_failed(ids, error)
        self._counted("failed", len(ids))

    async def _bad_request(
        self, message: Outgoing, text: str, ids: list[int], exc: BadRequest
    ) -> bool:
        """Telegram refused the message itself: repair it once, or give that push up."""
        reason = exc.message.lower()
        if "chat not found" in reason or (message.chat_type == "channel" and lacks_rights(reason)):
            await self._chat_gone(message, exc.message)
            return False
        if message.thread_id is not None and any(words in reason for words in TOPIC_GONE):
            log.info(
                "chat %s: topic %s is closed or gone (%s); that topic stops",
                message.to,
                message.thread_id,
                exc.message,
                extra=_about(message),
            )
            await self._store.deactivate_chat(message.chat_id, exc.message)
            return False
        if "parse entities" in reason or "too long" in reason:
            html = "too long" in reason
            repaired = fit(text) if html else shorten(plain_text(text), MAX_MESSAGE_CHARS)
            log.warning(
                "chat %s: %s; resending repaired",
                message.chat_id,
                exc.message,
                extra=_about(message),
            )
            try:
                sent = await self._deliver(message, repaired, html=html)
            except BadRequest as again:
                await self._give_up(ids, again.message)
                return False
            return await self._record_sent(ids, sent)
        log.error("chat %s: push refused: %s", message.chat_id, exc.message, extra=_about(message))
        await self._give_up(ids, exc.message)
        return False

    async def _retry_later(self, message: Outgoing, ids: list[int], error: str) -> None:
        attempts = max(push.attempts for push in message.pushes) + 1
        if attempts >= MAX_ATTEMPTS:
            log.error(
                "chat %s: giving up after %d attempts: %s",
                message.chat_id,
                attempts,
                error,
                extra=_about(message),
            )
            await self._give_up(ids, error)
            return
        delay = backoff_seconds(attempts)
        log.warning(
            "chat %s: %s; retrying in %.0fs", message.chat_id, error, delay, extra=_about(message)
        )
        await self._store.mark_retry(ids, error, delay)
