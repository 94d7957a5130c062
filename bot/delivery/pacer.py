"""One pace for everything the bot sends: a person's reply before the fan-out, every chat spaced.

PTB's AIORateLimiter knows no priorities, does not space private chats, and by default drops a
request that meets a 429. This limiter takes its place (the application factory installs it):
replies take the next global slot ahead of any waiting push, the per-chat spacing counts replies
and pushes alike (so the two can't collide into a 429), and a reply that meets a 429 is sent
again after the time Telegram asked for. A push's 429 goes back to the sender, which pauses the
fan-out and keeps the push in the outbox.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from enum import IntEnum
from typing import Any, TypeAlias

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

# Telegram: about one message a second to a private chat, 20 a minute to a group or channel;
# a little more, since requests spaced exactly can reach Telegram closer together
PRIVATE_CHAT_INTERVAL = 1.05
GROUP_CHAT_INTERVAL = 3.15
REPLY_RETRIES = 3  # a reply that meets a 429 is tried again this many times
MAX_REPLY_WAIT_SECONDS = 120.0  # a longer wait is given up: the person has moved on
_SPACING_KEPT = 10_000  # past this many chats, spacing entries already over are forgotten

ChatKey: TypeAlias = int | str  # an id, or a channel's @username
Answer: TypeAlias = bool | dict[str, Any] | list[dict[str, Any]]


class Priority(IntEnum):
    """Who waits for a request; lower goes first."""

    REPLY = 0  # a person wrote to the bot (the default for every request)
    PUSH = 1  # the sender's fan-out from the outbox


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's seconds, whichever type PTB hands them in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def is_private(chat: ChatKey) -> bool:
    """Users have positive ids; groups, supergroups and channels negative ids or @names."""
    return isinstance(chat, int) and chat > 0


def creates_message(endpoint: str) -> bool:
    """Telegram's per-chat limits count new messages, not edits, answers or lookups."""
    if endpoint in ("forwardMessage", "forwardMessages", "copyMessage", "copyMessages"):
        return True
    return endpoint.startswith("send") and endpoint != "sendChatAction"


# Telegram's answer as its HTTP code, from the error PTB raised for it (metrics count them)
_CODES: tuple[tuple[type[TelegramError], str], ...] = (
    (RetryAfter, "429"),
    (ChatMigrated, "400"),
    (BadRequest, "400"),  # before NetworkError: PTB's BadRequest is one
    (Forbidden, "403"),
    (InvalidToken, "401"),
    (Conflict, "409"),
    (NetworkError, "network"),
)


def answer_code(exc: TelegramError | None) -> str:
    """'200', '400', '403', '429', …; 'network' when Telegram was not reached."""
    if exc is None:
        return "200"
    return next((code for kind, code in _CODES if isinstance(exc, kind)), "other")


class _Slots:
    """Global send slots at a fixed rate, handed to the waiter of lowest Priority first."""

    def __init__(self, rate: float | None, clock: Callable[[], float]) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._clock = clock
        self._next = 0.0  # when the next slot opens
        self._waiting: list[tuple[Priority, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()
        self._pump: asyncio.Task[None] | None = None

    async def take(self, priority: Priority) -> None:
        if not self._interval:
            return
        now = self._clock()
        if not self._waiting and self._next <= now:
            self._next = now + self._interval
            return
        slot: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._arrivals), slot))
        if self._pump is None:
            self._pump = asyncio.create_task(self._hand_out(), name="newsbot-pacer")
        await slot

    async def _hand_out(self) -> None:
        """Open one slot per interval and give it to the first waiter still waiting."""
        try:
            while self._waiting:
                opens = max(self._next, self._clock())
                delay = opens - self._clock()
                if delay > 0:
                    await asyncio.sleep(delay)
                while self._waiting:
                    *_, slot = heapq.heappop(self._waiting)
                    if not slot.done():  # a cancelled waiter gives its place up
                        slot.set_result(None)
                        self._next = opens + self._interval
                        break
        finally:
            self._pump = None

    def close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
        for *_, slot in self._waiting:
            slot.cancel()
        self._waiting.clear()


class Pacer(BaseRateLimiter[Priority]):
    """The bot's rate limiter: a global rate with replies first, and per-chat spacing.

    Requests name their Priority in `rate_limit_args`; without it a request is a reply.
    """

    def __init__(
        self,
        *,
        overall_rate: float | None = 30.0,
        clock: Callable[[], float] = time.monotonic,
        reply_retries: int = REPLY_RETRIES,
        intervals: tuple[float, float] = (PRIVATE_CHAT_INTERVAL, GROUP_CHAT_INTERVAL),
        observe: Callable[[str, str, float], None] | None = None,
    ) -> None:
        """`intervals`: the spacing for (private chats, groups and channels); `observe` hears
        each answer as (endpoint, code, seconds), for metrics."""
        self._observe = observe
        self._clock = clock
        self._private_interval, self._group_interval = intervals
        self._slots = _Slots(overall_rate, clock)
        self._free_at: dict[ChatKey, float] = {}
        self._reply_retries = reply_retries

    async def initialize(self) -> None:
        """Nothing to open: the pace is plain bookkeeping."""

    async def shutdown(self) -> None:
        self._slots.close()

    def free_at(self, chat: ChatKey) -> float:
        """When the next message to this chat may go (the sender skips chats not yet free)."""
        return self._free_at.get(chat, 0.0)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Answer:
        priority = Priority.REPLY if rate_limit_args is None else rate_limit_args
        raw = data.get("chat_id")
        if raw is None:  # getUpdates, answerCallbackQuery, setMyCommands: no chat to pace
            return await self._call(endpoint, callback, args, kwargs)
        chat: ChatKey = int(raw) if isinstance(raw, int) or str(raw).lstrip("-").isdigit() else raw
        attempt = 0
        while True:
            spaced = creates_message(endpoint)
            if spaced:
                await self._space(chat)
            await self._slots.take(priority)
            if spaced:  # the spacing counts from when it goes, however long the slot took
                self._free_at[chat] = max(self.free_at(chat), self._clock() + self._gap(chat))
            try:
                return await self._call(endpoint, callback, args, kwargs)
            except RetryAfter as exc:
                seconds = retry_seconds(exc)
                self._hold(chat, seconds)
                if (
                    priority is Priority.PUSH
                    or attempt >= self._reply_retries
                    or seconds > MAX_REPLY_WAIT_SECONDS
                ):
                    raise
                log.info("chat %s: Telegram asked to wait %.0fs; the reply waits", chat, seconds)
                await asyncio.sleep(seconds)
                attempt += 1

    async def _call(
        self,
        endpoint: str,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> Answer:
        if self._observe is None:
            return await callback(*args, **kwargs)
        started = time.monotonic()
        try:
            answer = await callback(*args, **kwargs)
        except TelegramError as exc:
            self._observe(endpoint, answer_code(exc), time.monotonic() - started)
            raise
        self._observe(endpoint, "200", time.monotonic() - started)
        return answer

    async def _space(self, chat: ChatKey) -> None:
        """Reserve this chat's next turn, then wait for it: concurrent sends queue in order."""
        now = self._clock()
        turn = max(self._free_at.get(chat, 0.0), now)
        self._free_at[chat] = turn + self._gap(chat)
        if len(self._free_at) > _SPACING_KEPT:
            self._forget_past(now)
        if turn > now:
            await asyncio.sleep(turn - now)

    def _gap(self, chat: ChatKey) -> float:
        return self._private_interval if is_private(chat) else self._group_interval

    def _hold(self, chat: ChatKey, seconds: float) -> None:
        """Telegram asked this chat to wait: nothing more goes to it until then."""
        self._free_at[chat] = max(self._free_at.get(chat, 0.0), self._clock() + seconds)

    def _forget_past(self, now: float) -> None:
        self._free_at = {chat: at for chat, at in self._free_at.items() if at > now}
