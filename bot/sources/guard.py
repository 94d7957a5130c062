"""The SSRF guard: sources added through the bot may only reach public internet addresses.

A guarded request's host is resolved once, every address is checked, and the connection goes to
those checked addresses (pinned on the request), so a name that answers differently the second
time (DNS rebinding, TTL 0) cannot steer the connection inside. Host and TLS SNI stay the name.
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from types import TracebackType

import httpcore
import httpx

from bot.errors import FetchError
from bot.urls import is_http_url


class UnsafeURLError(FetchError):
    """A URL that resolves to a private, loopback, link-local or otherwise internal address."""


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolve = Callable[[str, int], Awaitable[Sequence[str]]]
"""(host, port) -> the addresses to connect to; the guard's one way to ask DNS."""

PINNED = "newsbot_pinned"  # a request extension: (host, addresses) the guard checked for it
Pin = tuple[str, tuple[str, ...]]


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet (IPv4 inside IPv6 judged as its IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.sixtofour is not None or address.is_site_local:
            return False  # 6to4 relays and site-local space reach networks we can't judge
        embedded = address.ipv4_mapped or _nat64(address)
        if embedded is not None:
            address = embedded
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _nat64(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a well-known-prefix NAT64 address stands for."""
    if address not in _NAT64:
        return None
    return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


async def system_resolve(host: str, port: int) -> list[str]:
    """The system resolver, as the event loop asks it (scope ids stripped from IPv6)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


async def check_public_url(url: str | httpx.URL, *, resolve: Resolve = system_resolve) -> Pin:
    """Refuse a URL unless every address its host resolves to is public; return what was checked."""
    try:
        parsed = httpx.URL(str(url))
        host = parsed.raw_host.decode("ascii")  # IDNA-encoded, as httpcore will connect to it
        parsed.host  # noqa: B018 - decoded lazily: idna refuses e.g. xn--a.com here
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise UnsafeURLError(f"invalid URL: {exc}") from None
    if not is_http_url(str(parsed)):
        raise UnsafeURLError(f"not an absolute http(s) URL: {str(url)[:200]}")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        answers = await resolve(host, port)
        addresses = list(dict.fromkeys(ipaddress.ip_address(a) for a in answers))
    except (OSError, UnicodeError, ValueError) as exc:  # socket.gaierror is an OSError
        raise UnsafeURLError(f"cannot resolve {host}: {exc}") from None
    if not addresses:
        raise UnsafeURLError(f"cannot resolve {host}")
    internal = sorted(str(a) for a in addresses if not is_public(a))
    if internal:
        raise UnsafeURLError(f"{host} resolves to a non-public address ({', '.join(internal)})")
    return host, tuple(str(a) for a in addresses)


_pin: contextvars.ContextVar[Pin | None] = contextvars.ContextVar("newsbot_pin", default=None)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects a guarded request only to the addresses checked for it, never resolving again."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Try each checked address in turn; without a pin for this host, refuse (fail closed)."""
        pin = _pin.get()
        if pin is None or pin[0] != host:
            raise UnsafeURLError(f"{host} was not checked before connecting")
        error: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in pin[1]:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None  # a pin holds at least one address
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """A guarded request never reaches a local socket."""
        raise UnsafeURLError("a guarded request cannot use a unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _PinnedHTTPTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport over a connection pool that uses the PinnedBackend."""

    def __init__(
        self, *, http2: bool, limits: httpx.Limits, backend: httpcore.AsyncNetworkBackend
    ) -> None:
        super().__init__(http2=http2, limits=limits)
        # httpx takes no network backend, so its pool is rebuilt with one (httpcore's public API).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=PinnedBackend(backend),
        )


class GuardedTransport(httpx.AsyncBaseTransport):
    """Sends pinned (guarded) requests through their own pool that connects only to checked
    addresses, and everything else (the operator's own sources) the normal way."""

    def __init__(
        self,
        *,
        http2: bool = False,
        limits: httpx.Limits | None = None,
        backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        limits = limits or httpx.Limits()
        self._plain = httpx.AsyncHTTPTransport(http2=http2, limits=limits)
        self._guarded = _PinnedHTTPTransport(
            http2=http2, limits=limits, backend=backend or httpcore.AnyIOBackend()
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pin = request.extensions.get(PINNED)
        if pin is None:
            return await self._plain.handle_async_request(request)
        token = _pin.set(pin)  # the pool connects within this call, in this task
        try:
            return await self._guarded.handle_async_request(request)
        finally:
            _pin.reset(token)

    async def __aenter__(self) -> GuardedTransport:
        await self._plain.__aenter__()
        await self._guarded.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        try:
            await self._plain.aclose()
        finally:
            await self._guarded.aclose()
