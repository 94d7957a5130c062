"""Whether Telegram answers: said once when an outage starts and once when it ends.

PTB retries a failed getUpdates forever and reports every failure with its traceback; an
operator needs to know that Telegram is unreachable and when it is back, not each retry.
Before the bot first reached Telegram, each failed attempt is one line instead: the operator
is watching the start and wants to see it keep trying.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from telegram.error import NetworkError
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)


class Link:
    """The state of the connection to the Bot API, logged on change."""

    def __init__(self, base_url: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._base_url = base_url
        self._clock = clock
        self._reached = False
        self._down_since: float | None = None

    def failed(self, exc: NetworkError) -> None:
        if not self._reached:
            log.warning("cannot reach the Bot API at %s (%s); retrying", self._base_url, exc)
            return
        if self._down_since is None:
            self._down_since = self._clock()
            log.warning("Telegram is unreachable (%s); retrying until it answers", exc)

    def answered(self) -> None:
        self._reached = True
        if self._down_since is not None:
            log.warning("Telegram answers again after %.0fs", self._clock() - self._down_since)
            self._down_since = None


class WatchedRequest(HTTPXRequest):
    """PTB's HTTP transport, telling the Link whether Telegram was reached."""

    def __init__(self, link: Link, **options: Any) -> None:
        super().__init__(**options)
        self._link = link

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            answer = await super().do_request(*args, **kwargs)
        except NetworkError as exc:  # no HTTP answer at all: refused, reset, timed out
            self._link.failed(exc)
            raise
        self._link.answered()  # any HTTP answer, even an error, means Telegram is there
        return answer
