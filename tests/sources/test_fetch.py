"""Tests for bot.sources.fetch: the shared client and Fetcher, offline or on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from aiohttp import web

from bot.config import Settings
from bot.errors import FetchError
from bot.sources.fetch import MAX_REDIRECTS, Fetcher, make_client

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
Handler = Callable[[httpx.Request], httpx.Response]


def fetcher_for(
    handler: Handler, *, max_bytes: int = 100_000, timeout: float = 5.0
) -> tuple[Fetcher, httpx.AsyncClient]:
    client = httpx.AsyncClient(
        transport=httpx.MockTransport(handler), follow_redirects=True, max_redirects=MAX_REDIRECTS
    )
    return Fetcher(client, max_bytes=max_bytes, timeout_seconds=timeout), client


class CountingStream(httpx.AsyncByteStream):
    """A response body served chunk by chunk, remembering how many chunks were asked for."""

    def __init__(self, chunks: int, size: int) -> None:
        self.chunks = chunks
        self.size = size
        self.served = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.served += 1
            yield b"x" * self.size


# --- make_client ------------------------------------------------------------------------------


async def test_make_client_is_configured_from_settings() -> None:
    settings = Settings(fetch_timeout_seconds=7.5, user_agent="newsbot-test/1.0")
    async with make_client(settings) as client:
        assert client.headers["User-Agent"] == "newsbot-test/1.0"
        assert client.follow_redirects is True
        assert client.max_redirects == 5
        assert client.timeout.read == 7.5
        assert client.timeout.connect == 7.5


# --- MockTransport ----------------------------------------------------------------------------


async def test_200_returns_body_and_validators() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert "If-None-Match" not in request.headers
        assert "If-Modified-Since" not in request.headers
        headers = {
            "Content-Type": "application/rss+xml; charset=UTF-8",
            "ETag": '"v1"',
            "Last-Modified": "Tue, 14 Feb 2023 13:05:11 GMT",
        }
        return httpx.Response(200, content=FEED, headers=headers)

    fetcher, client = fetcher_for(handler)
    async with client:
        result = await fetcher.fetch("https://example.org/feed/")
    assert result.status == 200
    assert result.body == FEED
    assert result.url == "https://example.org/feed/"
    assert result.content_type == "application/rss+xml; charset=UTF-8"
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 14 Feb 2023 13:05:11 GMT"
    assert not result.not_modified


async def test_304_when_validators_match() -> None:
    seen: dict[str, str] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, content=FEED)

    fetcher, client = fetcher_for(handler)
    async with client:
        result = await fetcher.fetch(
            "https://example.org/feed/", etag='"v1"', last_modified="Tue, 14 Feb 2023 13:05:11 GMT"
        )
    assert seen["if-none-match"] == '"v1"'
    assert seen["if-modified-since"] == "Tue, 14 Feb 2023 13:05:11 GMT"
    assert result.status == 304
    assert result.not_modified
    assert result.body == b""
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 14 Feb 2023 13:05:11 GMT"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
async def test_error_status_is_fetch_error(status: int) -> None:
    fetcher, client = fetcher_for(lambda request: httpx.Response(status, content=b"nope"))
    async with client:
        with pytest.raises(FetchError, match=rf"^HTTP {status}$"):
            await fetcher.fetch("https://example.org/feed/")


async def test_size_cap_stops_streaming_early() -> None:
    stream = CountingStream(chunks=1000, size=1000)
    fetcher, client = fetcher_for(
        lambda request: httpx.Response(200, stream=stream), max_bytes=5000
    )
    async with client:
        with pytest.raises(FetchError, match="larger than 5000 bytes"):
            await fetcher.fetch("https://example.org/huge")
    assert stream.served <= 6


async def test_declared_length_over_cap_fails_before_reading() -> None:
    stream = CountingStream(chunks=10, size=1000)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=stream, headers={"Content-Length": "10000"})

    fetcher, client = fetcher_for(handler, max_bytes=5000)
    async with client:
        with pytest.raises(FetchError, match=r"10000 declared"):
            await fetcher.fetch("https://example.org/huge")
    assert stream.served == 0


async def test_body_exactly_at_cap_is_accepted() -> None:
    fetcher, client = fetcher_for(
        lambda request: httpx.Response(200, stream=CountingStream(5, 1000)), max_bytes=5000
    )
    async with client:
        result = await fetcher.fetch("https://example.org/exact")
    assert len(result.body) == 5000


async def test_gzip_body_is_decoded() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=gzip.compress(FEED), headers={"Content-Encoding": "gzip"}
        )

    fetcher, client = fetcher_for(handler)
    async with client:
        result = await fetcher.fetch("https://example.org/feed/")
    assert result.body == FEED


async def test_gzip_bomb_is_capped_on_decoded_size() -> None:
    bomb = gzip.compress(b"\0" * 1_000_000)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip"})

    fetcher, client = fetcher_for(handler, max_bytes=len(bomb) * 2)
    async with client:
        with pytest.raises(FetchError, match="larger than"):
            await fetcher.fetch("https://example.org/bomb")


async def test_redirect_is_followed_and_final_url_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old-feed":
            return httpx.Response(301, headers={"Location": "https://example.org/feed/"})
        return httpx.Response(200, content=FEED)

    fetcher, client = fetcher_for(handler)
    async with client:
        result = await fetcher.fetch("https://example.org/old-feed")
    assert result.url == "https://example.org/feed/"
    assert result.body == FEED


async def test_redirect_loop_is_fetch_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("hop", "0"))
        return httpx.Response(302, headers={"Location": f"https://example.org/?hop={hop + 1}"})

    fetcher, client = fetcher_for(handler)
    async with client:
        with pytest.raises(FetchError, match="too many redirects"):
            await fetcher.fetch("https://example.org/")


async def test_redirect_without_location_is_fetch_error() -> None:
    fetcher, client = fetcher_for(lambda request: httpx.Response(302))
    async with client:
        with pytest.raises(FetchError, match=r"^HTTP 302$"):
            await fetcher.fetch("https://example.org/")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "could not connect to"),
        (httpx.ConnectTimeout("timed out"), "timed out connecting to example.org"),
        (httpx.ReadTimeout("timed out"), "timed out after 5s"),
        (httpx.RemoteProtocolError("peer closed connection"), "remote protocol error"),
        (httpx.ReadError("reset"), "read error: reset"),
        (httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'."), "ftp"),
        (ConnectionResetError(104, "Connection reset by peer"), "connection reset error"),
    ],
)
async def test_transport_errors_become_fetch_error(error: Exception, message: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    fetcher, client = fetcher_for(handler)
    async with client:
        with pytest.raises(FetchError, match=message):
            await fetcher.fetch("https://example.org/feed/")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed", "not an absolute http"),
        ("/feed/", "not an absolute http"),
        ("not a url", "not an absolute http"),
        ("https://example.org:x/", "invalid URL"),
    ],
)
async def test_unusable_url_is_fetch_error(url: str, message: str) -> None:
    requested: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(request)
        return httpx.Response(200)

    fetcher, client = fetcher_for(handler)
    async with client:
        with pytest.raises(FetchError, match=message):
            await fetcher.fetch(url)
    assert requested == []


async def test_slow_stream_hits_total_deadline() -> None:
    class Slow(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for _ in range(100):
                await asyncio.sleep(0.05)
                yield b"x"

    fetcher, client = fetcher_for(lambda request: httpx.Response(200, stream=Slow()), timeout=0.3)
    started = time.monotonic()
    async with client:
        with pytest.raises(FetchError, match=r"^timed out after 0\.3s$"):
            await fetcher.fetch("https://example.org/slow")
    assert time.monotonic() - started < 1.5


# --- real sockets on 127.0.0.1 ----------------------------------------------------------------


async def _trickle(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
    await response.prepare(request)
    try:
        for _ in range(200):  # 200 bytes at 20 a second: far longer than the deadline
            await response.write(b"x")
            await asyncio.sleep(0.05)
    except (ConnectionError, asyncio.CancelledError):
        pass
    return response


async def _echo_agent(request: web.Request) -> web.Response:
    return web.Response(
        body=request.headers.get("User-Agent", "").encode(), content_type="text/plain"
    )


async def _gzip(request: web.Request) -> web.Response:
    response = web.Response(body=FEED, content_type="application/rss+xml")
    response.enable_compression(web.ContentCoding.gzip)
    return response


async def _moved(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently(location="/agent")


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/trickle", _trickle)
    app.router.add_get("/agent", _echo_agent)
    app.router.add_get("/gzip", _gzip)
    app.router.add_get("/moved", _moved)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_server_trickling_bytes_times_out_near_deadline(server: str) -> None:
    settings = Settings(fetch_timeout_seconds=10.0)
    async with make_client(settings) as client:
        fetcher = Fetcher(client, max_bytes=1_000_000, timeout_seconds=0.5)
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"^timed out after 0\.5s$"):
            await fetcher.fetch(f"{server}/trickle")
        elapsed = time.monotonic() - started
    assert 0.4 < elapsed < 2.0


async def test_connection_refused_is_fetch_error() -> None:
    async with make_client(Settings()) as client:
        fetcher = Fetcher(client, max_bytes=1_000_000, timeout_seconds=5.0)
        with pytest.raises(FetchError, match=r"could not connect to 127\.0\.0\.1"):
            await fetcher.fetch(f"http://127.0.0.1:{_closed_port()}/feed/")


async def test_real_client_sends_user_agent_and_follows_redirect(server: str) -> None:
    async with make_client(Settings(user_agent="newsbot-test/2.0")) as client:
        fetcher = Fetcher(client, max_bytes=1_000_000, timeout_seconds=5.0)
        result = await fetcher.fetch(f"{server}/moved")
    assert result.url == f"{server}/agent"
    assert result.body == b"newsbot-test/2.0"


async def test_real_gzip_response_is_decoded(server: str) -> None:
    async with make_client(Settings()) as client:
        fetcher = Fetcher(client, max_bytes=1_000_000, timeout_seconds=5.0)
        result = await fetcher.fetch(f"{server}/gzip")
    assert result.body == FEED
    assert result.content_type == "application/rss+xml"
