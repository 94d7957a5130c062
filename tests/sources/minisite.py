"""A tiny loopback web server serving fixed bytes per path, for what FakeNewsSite cannot fake.

Each route is (status, headers, body); a request log and a count of requests in flight let
tests check conditional GET and per-host concurrency.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from tests.fakes.loopback import LoopbackServer


class MiniSite(LoopbackServer):
    """Serves `routes[path] = (status, headers, body)` on 127.0.0.1; unknown paths are 404."""

    shutdown_timeout = 0.1

    def __init__(self, *, delay: float = 0.0) -> None:
        super().__init__()
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[str] = []
        self.hosts: list[str] = []  # each request's Host header, in order
        self.delay = delay
        self.in_flight = 0
        self.max_in_flight = 0

    def serve(
        self, path: str, body: bytes | str, content_type: str = "text/html", status: int = 200
    ) -> str:
        """Serve body at path (a str is sent as UTF-8); returns the absolute URL."""
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type}, data)
        return self.url(path)

    def serve_raw(self, path: str, body: bytes, headers: dict[str, str]) -> str:
        """Serve body exactly as given, with these headers (e.g. a lying Content-Encoding)."""
        self.routes[path] = (200, headers, body)
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        self.routes[path] = (302, {"Location": location}, b"")
        return self.url(path)

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        self.hosts.append(request.headers.get("Host", ""))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            route = self.routes.get(request.path)
            if route is None:
                return web.Response(status=404, text="not found")
            status, headers, body = route
            return web.Response(status=status, headers=headers, body=body)
        finally:
            self.in_flight -= 1
