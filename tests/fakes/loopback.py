"""The one way the fakes serve: an aiohttp app on an ephemeral 127.0.0.1 port."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from aiohttp import web


class LoopbackServer:
    """Starts on 127.0.0.1:0 and stops with `async with`; subclasses answer in `_handle`."""

    shutdown_timeout = 1.0
    cancel_handlers_on_disconnect = False  # True: a client's timeout ends a trickling response
    _handle: Callable[[web.Request], Awaitable[web.StreamResponse]]

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False

    async def start(self) -> None:
        """Listen on an ephemeral loopback port."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app,
            access_log=None,
            shutdown_timeout=self.shutdown_timeout,
            handler_cancellation=self.cancel_handlers_on_disconnect,
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])
        self._closing = False

    async def stop(self) -> None:
        """Close the server; `_closing` tells long-running handlers to give up."""
        self._closing = True
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The bound port; only valid after start()."""
        if self._port is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._port

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return f"http://127.0.0.1:{self.port}{path}"
