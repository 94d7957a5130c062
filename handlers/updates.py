"""Updates from different chats are handled at once; one chat's are handled in arrival order.

PTB handles one update at a time by default, so one slow command (an /addsource waiting on a
trickling site, a burst of /subscribe) makes every other reader wait. Its own concurrent mode
loses a chat's order, which replies like "/subscribe Peru" then "/list" depend on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_RUNNING = 32  # handlers running at once; each mostly waits on the store or Telegram
MAX_QUEUED = 10_000  # updates taken from Telegram but not finished: bounds memory, not work


class PerChatOrder(BaseUpdateProcessor):
    """A lock per chat (in arrival order) and a bound on handlers running at once.

    PTB's own semaphore is taken before this method runs, so it only bounds what is queued;
    the running bound is taken after the chat's turn comes, so one busy chat can't fill it.
    """

    def __init__(self, max_running: int = MAX_RUNNING, max_queued: int = MAX_QUEUED) -> None:
        super().__init__(max_queued)
        self._running = asyncio.Semaphore(max_running)
        self._chats: dict[int, asyncio.Lock] = {}
        self._queued: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._running:
                await coroutine
            return
        lock = self._chats.setdefault(chat.id, asyncio.Lock())
        self._queued[chat.id] = self._queued.get(chat.id, 0) + 1
        try:
            async with lock, self._running:
                await coroutine
        finally:
            self._queued[chat.id] -= 1
            if not self._queued[chat.id]:  # no one else waits: forget the chat
                del self._queued[chat.id], self._chats[chat.id]

    async def initialize(self) -> None:
        """Nothing to open: locks are made as chats speak."""

    async def shutdown(self) -> None:
        """Nothing to close: PTB waits for running updates itself."""
