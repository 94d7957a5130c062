"""The SSRF guard: internal addresses are refused, before the first request and after redirects."""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from bot.errors import FetchError
from bot.sources.fetch import MAX_REDIRECTS, Fetcher
from bot.sources.guard import UnsafeURLError, check_public_url, is_public
from tests.sources.minisite import MiniSite

PUBLIC = "93.184.216.34"  # an IP literal resolves without a network


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://localhost:8080/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata: link-local
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",  # carrier-grade NAT: not global
        "ftp://example.org/",
    ],
)
async def test_internal_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        await check_public_url(url)


async def test_public_address_is_allowed() -> None:
    await check_public_url(f"https://{PUBLIC}/feed/")
    assert is_public(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946"))


async def test_guarded_fetch_refuses_loopback_but_unguarded_is_trusted() -> None:
    async with MiniSite() as site, httpx.AsyncClient() as client:
        url = site.serve("/feed/", "<rss version='2.0'><channel></channel></rss>", "text/xml")
        fetcher = Fetcher(client, max_bytes=100_000, timeout_seconds=2)
        with pytest.raises(UnsafeURLError, match="non-public address"):
            await fetcher.fetch(url, guarded=True)
        assert site.requests == []  # refused before connecting
        assert (await fetcher.fetch(url)).status == 200  # the operator's own file: trusted


async def test_guarded_fetch_refuses_a_redirect_to_an_internal_address() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:9/admin"})

    transport = httpx.MockTransport(handler)
    async with httpx.AsyncClient(
        transport=transport, follow_redirects=True, max_redirects=MAX_REDIRECTS
    ) as client:
        fetcher = Fetcher(client, max_bytes=100_000, timeout_seconds=2)
        with pytest.raises(FetchError, match=r"127\.0\.0\.1 resolves to a non-public address"):
            await fetcher.fetch(f"http://{PUBLIC}/feed/", guarded=True)
    assert seen == [f"http://{PUBLIC}/feed/"]  # the redirect target was never requested


@pytest.mark.parametrize(
    "address",
    [
        "2002:c000:0204::1",  # 6to4 of a public IPv4 still goes through a relay we can't judge
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "fec0::1",  # site-local
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "::ffff:192.168.1.1",  # IPv4-mapped private
    ],
)
def test_ipv6_forms_that_reach_internal_networks_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


def test_nat64_of_a_public_ipv4_is_judged_by_that_address() -> None:
    assert is_public(ipaddress.ip_address("64:ff9b::5db8:d822"))  # 93.184.216.34
