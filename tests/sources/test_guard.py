"""The SSRF guard: internal addresses are refused, before the first request and after redirects."""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Iterable

import httpcore
import httpx
import pytest

from bot.config import Settings
from bot.errors import FetchError
from bot.sources.fetch import MAX_REDIRECTS, Fetcher, make_client
from bot.sources.guard import PinnedBackend, UnsafeURLError, check_public_url, is_public
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


# --- DNS rebinding: a guarded fetch connects to the address that was checked ------------------


class FlakyDNS:
    """A TTL-0 name: the first answer for each host is public, every later one is 127.0.0.1."""

    def __init__(self, first: dict[str, str]) -> None:
        self.first = first
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        seen = host in self.calls
        self.calls.append(host)
        return ["127.0.0.1"] if seen else [self.first[host]]


class RefusingStream(httpcore.AsyncNetworkStream):
    """A connection that only records the TLS server name it was asked for."""

    def __init__(self, net: FakeNet) -> None:
        self.net = net

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        raise httpcore.ReadError("not a real connection")

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        raise httpcore.WriteError("not a real connection")

    async def aclose(self) -> None:
        return None

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
    ) -> httpcore.AsyncNetworkStream:
        self.net.sni.append(server_hostname)
        raise httpcore.ConnectError("TLS refused in tests")


class FakeNet(httpcore.AsyncNetworkBackend):
    """The machine's network as the tests see it: names go through the flaky DNS again (as
    httpx's own connect would), the public test address is NATed to the loopback site, the
    TLS address gives a stream that records SNI, and anything else is unreachable."""

    def __init__(self, dns: FlakyDNS, nat: dict[str, int], tls: str = "") -> None:
        self.dns = dns
        self.nat = nat
        self.tls = tls
        self.connects: list[str] = []
        self.sni: list[str | None] = []
        self.real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append(host)
        address = host
        try:
            ipaddress.ip_address(host)
        except ValueError:
            address = (await self.dns(host, port))[0]
        if address == self.tls:
            return RefusingStream(self)
        if address in self.nat:
            address, port = "127.0.0.1", self.nat[address]
        if address != "127.0.0.1":
            raise httpcore.ConnectError(f"{address} is unreachable in tests")
        return await self.real.connect_tcp(address, port, timeout, local_address, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.real.sleep(seconds)


PUBLIC_2 = "93.184.216.35"


async def test_a_rebinding_name_cannot_steer_the_connection_to_loopback() -> None:
    dns = FlakyDNS({"rebind.test": PUBLIC})
    net = FakeNet(dns, nat={})
    async with MiniSite() as site, make_client(Settings(), backend=net) as client:
        site.serve("/admin", "secret")
        fetcher = Fetcher(client, max_bytes=100_000, timeout_seconds=5, resolve=dns)
        with pytest.raises(FetchError, match="could not connect"):
            await fetcher.fetch(f"http://rebind.test:{site.port}/admin", guarded=True)
        assert site.requests == []  # 127.0.0.1, the second answer, was never connected to
    assert dns.calls == ["rebind.test"]  # resolved once, by the guard
    assert net.connects == [PUBLIC]  # the checked address, not the name


async def test_a_guarded_fetch_keeps_the_name_in_host_and_reaches_the_checked_address() -> None:
    dns = FlakyDNS({"news.test": PUBLIC})
    async with MiniSite() as site:
        net = FakeNet(dns, nat={PUBLIC: site.port})
        async with make_client(Settings(), backend=net) as client:
            site.serve("/feed/", "<rss version='2.0'><channel></channel></rss>", "text/xml")
            fetcher = Fetcher(client, max_bytes=100_000, timeout_seconds=5, resolve=dns)
            result = await fetcher.fetch(f"http://news.test:{site.port}/feed/", guarded=True)
    assert result.status == 200
    assert site.hosts == [f"news.test:{site.port}"]
    assert net.connects == [PUBLIC]


async def test_a_guarded_https_fetch_sends_the_name_as_sni() -> None:
    dns = FlakyDNS({"news.test": PUBLIC})
    net = FakeNet(dns, nat={}, tls=PUBLIC)
    async with make_client(Settings(), backend=net) as client:
        fetcher = Fetcher(client, max_bytes=100_000, timeout_seconds=5, resolve=dns)
        with pytest.raises(FetchError, match="TLS refused"):
            await fetcher.fetch("https://news.test/feed/", guarded=True)
    assert net.connects == [PUBLIC]
    assert net.sni == ["news.test"]  # the certificate is checked against the name


async def test_a_redirect_to_a_rebinding_name_is_pinned_too() -> None:
    dns = FlakyDNS({"news.test": PUBLIC, "evil.test": PUBLIC_2})
    async with MiniSite() as site:
        net = FakeNet(dns, nat={PUBLIC: site.port})
        site.serve("/admin", "secret")
        site.redirect("/feed/", f"http://evil.test:{site.port}/admin")
        async with make_client(Settings(), backend=net) as client:
            fetcher = Fetcher(client, max_bytes=100_000, timeout_seconds=5, resolve=dns)
            with pytest.raises(FetchError, match="could not connect"):
                await fetcher.fetch(f"http://news.test:{site.port}/feed/", guarded=True)
    assert site.requests == ["/feed/"]  # /admin on 127.0.0.1 was never reached
    assert dns.calls == ["news.test", "evil.test"]
    assert net.connects == [PUBLIC, PUBLIC_2]


async def test_an_unguarded_fetch_takes_the_normal_path() -> None:
    dns = FlakyDNS({})
    net = FakeNet(dns, nat={})
    async with MiniSite() as site, make_client(Settings(), backend=net) as client:
        url = site.serve("/feed/", "ok")
        fetcher = Fetcher(client, max_bytes=100_000, timeout_seconds=5, resolve=dns)
        assert (await fetcher.fetch(url)).body == b"ok"
    assert dns.calls == [] and net.connects == []  # neither the guard nor its pinned pool


async def test_the_pinned_pool_refuses_a_connection_nobody_checked() -> None:
    backend = PinnedBackend(FakeNet(FlakyDNS({}), nat={}))
    with pytest.raises(UnsafeURLError, match="not checked"):
        await backend.connect_tcp("news.test", 80)


async def test_a_resolver_failure_is_an_unsafe_url() -> None:
    async def broken(host: str, port: int) -> list[str]:
        raise socket.gaierror("Name or service not known")

    with pytest.raises(UnsafeURLError, match="cannot resolve"):
        await check_public_url("http://nowhere.test/", resolve=broken)
