"""The SSRF guard: sources added through the bot may only reach public internet addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx

from bot.errors import FetchError
from bot.urls import is_http_url


class UnsafeURLError(FetchError):
    """A URL that resolves to a private, loopback, link-local or otherwise internal address."""


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


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


async def check_public_url(url: str | httpx.URL) -> None:
    """Refuse a URL unless every address its host resolves to is public."""
    try:
        parsed = httpx.URL(str(url))
        host = parsed.host  # decoded lazily: idna refuses e.g. xn--a.com here, as a UnicodeError
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise UnsafeURLError(f"invalid URL: {exc}") from None
    if not is_http_url(str(parsed)):
        raise UnsafeURLError(f"not an absolute http(s) URL: {str(url)[:200]}")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURLError(f"cannot resolve {host}: {exc}") from None
    addresses = {ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos}
    if not addresses:
        raise UnsafeURLError(f"cannot resolve {host}")
    internal = sorted(str(a) for a in addresses if not is_public(a))
    if internal:
        raise UnsafeURLError(f"{host} resolves to a non-public address ({', '.join(internal)})")
