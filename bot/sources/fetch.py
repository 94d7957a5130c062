"""HTTP for sources: the one shared httpx client, and conditional, size- and time-capped GETs."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Protocol

import httpcore
import httpx

from bot.errors import FetchError
from bot.models import FetchResult
from bot.sources.guard import PINNED, GuardedTransport, Resolve, check_public_url, system_resolve
from bot.urls import is_http_url


class FetchSettings(Protocol):
    """What fetching needs of the settings: bot.config.Settings fits, unimported."""

    @property
    def user_agent(self) -> str: ...
    @property
    def fetch_timeout_seconds(self) -> float: ...
    @property
    def fetch_concurrency(self) -> int: ...
    @property
    def fetch_max_bytes(self) -> int: ...


MAX_REDIRECTS = 5
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
_MESSAGE_LIMIT = 200
ACCEPT_ENCODING = "gzip, deflate"  # the codings _Decoder knows
_GUARD = "newsbot_guard"  # a request extension; httpx copies it onto every redirect
_PIECE = 64 * 1024  # the most one step of decoding may produce


def make_client(
    settings: FetchSettings, *, backend: httpcore.AsyncNetworkBackend | None = None
) -> httpx.AsyncClient:
    """Build the single client every fetch shares, so connections and HTTP/2 sessions are reused.

    Its transport connects guarded requests only to the addresses the guard checked; `backend`
    (tests) replaces the sockets underneath.
    """
    timeout = settings.fetch_timeout_seconds
    limits = httpx.Limits(
        max_connections=settings.fetch_concurrency * 2,
        max_keepalive_connections=settings.fetch_concurrency,
    )
    return httpx.AsyncClient(
        headers={
            "User-Agent": settings.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        transport=GuardedTransport(http2=True, limits=limits, backend=backend),
    )


class Fetcher:
    """Fetches one source body at a time; every network or HTTP failure comes out as FetchError."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        max_bytes: int,
        timeout_seconds: float,
        resolve: Resolve = system_resolve,
    ) -> None:
        self._client = client
        self._max_bytes = max_bytes
        self._timeout = timeout_seconds
        self._resolve = resolve
        hooks = client.event_hooks
        others = [h for h in hooks.get("request", []) if not _is_guard_hook(h)]
        hooks["request"] = [*others, self._guard_hook]  # one guard per client, this fetcher's
        client.event_hooks = hooks

    @classmethod
    def from_settings(cls, settings: FetchSettings, client: httpx.AsyncClient) -> Fetcher:
        """The one way the bot and the CLI assemble a fetcher: caps from the settings."""
        return cls(
            client,
            max_bytes=settings.fetch_max_bytes,
            timeout_seconds=settings.fetch_timeout_seconds,
        )

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        guarded: bool = False,
    ) -> FetchResult:
        """GET conditionally, so an unchanged feed costs a 304 and a broken one a FetchError.

        `guarded` (sources added through the bot) refuses non-public addresses, redirects too.
        """
        _check_url(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with asyncio.timeout(self._timeout):
                return await self._get(url, headers, etag, last_modified, guarded)
        except TimeoutError:
            raise FetchError(f"timed out after {self._timeout:g}s") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})") from None
        except httpx.ConnectTimeout:
            raise FetchError(f"timed out connecting to {_host(url)}") from None
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self._timeout:g}s") from None
        except httpx.ConnectError as exc:
            raise FetchError(f"could not connect to {_host(url)}: {_reason(exc)}") from exc
        except httpx.UnsupportedProtocol as exc:  # a redirect to ftp:// and the like
            raise FetchError(f"unsupported URL: {_reason(exc)}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{_kind(exc)}: {_reason(exc)}") from exc
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {_reason(exc)}") from None
        except UnicodeError as exc:  # idna on a redirect to a host such as xn--a.com
            raise FetchError(f"invalid host name: {_reason(exc)}") from None
        except OSError as exc:  # transports that don't wrap their errors
            raise FetchError(f"{_kind(exc)}: {_reason(exc)}") from exc

    async def _get(
        self,
        url: str,
        headers: dict[str, str],
        etag: str | None,
        last_modified: str | None,
        guarded: bool,
    ) -> FetchResult:
        """Stream the response, giving up as soon as the body passes the size cap."""
        extensions = {_GUARD: True} if guarded else None
        async with self._client.stream(
            "GET", url, headers=headers, extensions=extensions
        ) as response:
            final_url = str(response.url)
            status = response.status_code
            if status == 304:
                return FetchResult(
                    status=304,
                    url=final_url,
                    etag=response.headers.get("ETag") or etag,
                    last_modified=response.headers.get("Last-Modified") or last_modified,
                )
            if status >= 300:  # redirects were followed; what is left is an error or a dead end
                raise FetchError(f"HTTP {status}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self._max_bytes:
                raise FetchError(f"body larger than {self._max_bytes} bytes ({declared} declared)")
            decoder = _Decoder.for_codings(response.headers.get_list("Content-Encoding", True))
            if response.is_stream_consumed:  # built in memory (MockTransport): decoded already
                decoder = _Decoder(None)
            chunks: list[bytes] = []
            size = raw_size = 0
            async for raw in _raw_chunks(response):
                raw_size += len(raw)
                if raw_size > self._max_bytes:
                    raise FetchError(f"body larger than {self._max_bytes} bytes")
                for piece in decoder.decode(raw):  # the cap is checked piece by piece
                    size += len(piece)
                    if size > self._max_bytes:
                        raise FetchError(f"body larger than {self._max_bytes} bytes")
                    chunks.append(piece)
            return FetchResult(
                status=status,
                url=final_url,
                body=b"".join(chunks),
                content_type=response.headers.get("Content-Type"),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )

    async def _guard_hook(self, request: httpx.Request) -> None:
        """Before every request of a guarded fetch, the first and each redirect: public hosts
        only, and the checked addresses pinned on the request for the transport to connect to."""
        if request.extensions.get(_GUARD):
            pin = await check_public_url(request.url, resolve=self._resolve)
            request.extensions = {**request.extensions, PINNED: pin}  # redirects share the dict


async def _raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as sent, still coded; a response built in memory has only its decoded content."""
    if response.is_stream_consumed:
        yield response.content
        return
    async for raw in response.aiter_raw():
        yield raw


def _is_guard_hook(hook: object) -> bool:
    """Whether a client's request hook is some Fetcher's guard (replaced, never stacked)."""
    return getattr(hook, "__func__", None) is Fetcher._guard_hook


class _Decoder:
    """Undoes at most one content coding, in bounded pieces, so a bomb meets the cap early."""

    def __init__(self, coding: str | None) -> None:
        self._coding = coding
        self._z: zlib._Decompress | None = None
        if coding == "gzip":
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._z = zlib.decompressobj()
        self._started = False  # a deflate body's first bytes tell zlib from raw deflate

    @classmethod
    def for_codings(cls, header: list[str]) -> _Decoder:
        """Refuse stacked or unknown codings: each layer multiplies what a small body expands to."""
        codings = [c.strip().lower() for c in header]
        codings = ["gzip" if c == "x-gzip" else c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise FetchError(f"more than one content coding ({', '.join(codings)[:100]})")
        if codings and codings[0] not in ("gzip", "deflate"):
            raise FetchError(f"unsupported content coding {codings[0][:50]}")
        return cls(codings[0] if codings else None)

    def decode(self, data: bytes) -> Iterator[bytes]:
        """Yield the decoded bytes of one raw chunk, at most _PIECE at a time."""
        if self._z is None:
            if data:
                yield data
            return
        first, self._started = not self._started, True
        while data and not self._z.eof:
            try:
                piece = self._z.decompress(data, _PIECE)
            except zlib.error as exc:
                if first and self._coding == "deflate":  # raw deflate, as some servers send
                    self._z, first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise FetchError(f"could not decode the {self._coding} body: {exc}") from None
            first = False
            data = self._z.unconsumed_tail
            if piece:
                yield piece
            while not data and len(piece) == _PIECE and not self._z.eof:
                piece = self._z.decompress(b"", _PIECE)  # output zlib still holds
                if piece:
                    yield piece


def _check_url(url: str) -> None:
    """Refuse anything but an absolute http(s) URL before any connection is tried."""
    try:
        parsed = httpx.URL(url)
        parsed.host  # noqa: B018 - decoded lazily: idna refuses e.g. xn--a.com here
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL: {_reason(exc)}") from None
    except UnicodeError as exc:
        raise FetchError(f"invalid host name: {_reason(exc)}") from None
    if not is_http_url(str(parsed)):
        raise FetchError(f"not an absolute http(s) URL: {url[:_MESSAGE_LIMIT]}")


def _host(url: str) -> str:
    """The host to name in an error, without the rest of a possibly long URL."""
    try:
        return httpx.URL(url).host or url[:_MESSAGE_LIMIT]
    except httpx.InvalidURL:
        return url[:_MESSAGE_LIMIT]


def _kind(exc: BaseException) -> str:
    """A readable name for an exception class: RemoteProtocolError -> 'remote protocol error'."""
    name = type(exc).__name__.removesuffix("Error")
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return f"{words} error" if words else "error"


def _reason(exc: BaseException) -> str:
    """The innermost message of a wrapped network error, on one short line."""
    reason = str(exc)
    cause = exc.__cause__ or exc.__context__
    while not reason and cause is not None:
        reason = str(cause)
        cause = cause.__cause__ or cause.__context__
    reason = " ".join(reason.split()) or type(exc).__name__
    return reason[:_MESSAGE_LIMIT]
