"""A TCP proxy on 127.0.0.1 that a test can cut and restore: a network outage, on loopback."""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType


class CuttableProxy:
    """Forwards 127.0.0.1:port to a target. `cut()` drops every connection and stops
    listening (a refused connection); `go_silent()` keeps the sockets open and drops every
    byte, as a network that fails without a word does (no reset, no answer)."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self._target = (target_host, target_port)
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._silent = False
        self.port = 0

    def go_silent(self) -> None:
        self._silent = True

    async def __aenter__(self) -> CuttableProxy:
        await self.restore()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.cut()

    async def restore(self) -> None:
        """Listen again, on the same port once one was given."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._open |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )
        self._open -= {writer, up_writer}

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                if self._silent:
                    continue  # read and dropped: the other side hears nothing, not even a reset
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
