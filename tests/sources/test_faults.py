"""Every fault of the real web, one test each, against fake sites on 127.0.0.1 (issue 3)."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.config import Settings
from bot.delivery.render import push_html
from bot.errors import FetchError
from bot.models import SourceRead, StoredArticle
from bot.sources.fetch import MAX_REDIRECTS, Fetcher, make_client
from bot.sources.read import read_source
from tests.fakes.news_site import FakeArticle, FakeNewsSite
from tests.sources.minisite import MiniSite

TITLES = ["Huelga en Perú: ¿qué pasa?", "Strike Spreads To Ports", "Miners Vote To Return"]


@pytest.fixture
async def site() -> AsyncIterator[FakeNewsSite]:
    async with FakeNewsSite() as fake:
        now = datetime.now(UTC)
        for n, title in enumerate(TITLES):
            fake.add(
                FakeArticle(
                    title=title,
                    teaser=f"Teaser number {n} about the strike, café and all.",
                    slug=f"story-{n}",
                    published=now - timedelta(hours=n),
                )
            )
        yield fake


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(Settings(fetch_timeout_seconds=2.0)) as real:
        yield real


def fetcher(
    client: httpx.AsyncClient, *, max_bytes: int = 1_000_000, timeout: float = 2.0
) -> Fetcher:
    return Fetcher(client, max_bytes=max_bytes, timeout_seconds=timeout)


async def read(client: httpx.AsyncClient, url: str, **kwargs: float) -> SourceRead:
    return await read_source(fetcher(client, **kwargs), url, None)  # type: ignore[arg-type]


def titles(result: SourceRead) -> list[str]:
    return [a.title for a in result.articles]


@pytest.mark.parametrize("path", ["/feed/", "/atom.xml", "/category/news/"])
async def test_healthy_outputs_read_every_article(
    site: FakeNewsSite, client: httpx.AsyncClient, path: str
) -> None:
    result = await read(client, site.base_url + path)
    assert result.error is None and titles(result) == TITLES


async def test_malformed_xml_keeps_what_parses(
    site: FakeNewsSite, client: httpx.AsyncClient
) -> None:
    site.set_fault("/feed/", "malformed")  # the document cut off halfway
    result = await read(client, site.rss_url)
    assert result.error is None
    assert 1 <= len(result.articles) < len(TITLES)
    assert titles(result) == TITLES[: len(result.articles)]


@pytest.mark.parametrize("path", ["/feed/", "/atom.xml", "/category/news/"])
async def test_declared_latin1_is_decoded(
    site: FakeNewsSite, client: httpx.AsyncClient, path: str
) -> None:
    site.set_fault(path, "latin1")  # declared in the prolog / <meta charset>, not in HTTP
    result = await read(client, site.base_url + path)
    assert result.error is None and titles(result)[0] == TITLES[0]
    assert "café" in result.articles[0].teaser


async def test_undeclared_windows_1252_is_decoded(client: httpx.AsyncClient) -> None:
    page = (
        "<html><head><title>Noticias</title></head><body><main>"
        + "".join(
            f'<article class="post"><h2><a href="/{n}/">Huelga {n} en Perú</a></h2>'
            f"<p>Los trabajadores “dicen” que sí, café {n}.</p></article>"
            for n in range(3)
        )
        + "</main></body></html>"
    ).encode("cp1252")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Año nuevo en Perú</title><link>http://x.example/a</link>"
        "<description>Niños y “comillas”</description></item></channel></rss>"
    ).encode("cp1252")
    async with MiniSite() as mini:
        listing = await read(client, mini.serve("/noticias/", page, "text/html"))
        rss = await read(client, mini.serve("/feed/", feed, "application/rss+xml"))
    assert listing.error is None
    assert titles(listing) == [f"Huelga {n} en Perú" for n in range(3)]
    assert listing.articles[0].teaser == "Los trabajadores “dicen” que sí, café 0."
    assert rss.error is None and titles(rss) == ["Año nuevo en Perú"]
    assert rss.articles[0].teaser == "Niños y “comillas”"


async def test_gzip(site: FakeNewsSite, client: httpx.AsyncClient) -> None:
    site.set_fault("/feed/", "gzip")
    result = await read(client, site.rss_url)
    assert result.error is None and titles(result) == TITLES


async def test_redirect_is_followed(site: FakeNewsSite, client: httpx.AsyncClient) -> None:
    site.set_fault("/feed/", "redirect")
    result = await read(client, site.rss_url)
    assert result.error is None and titles(result) == TITLES
    assert site.requests_to("/moved/feed/")


async def test_redirects_are_bounded(client: httpx.AsyncClient) -> None:
    async with MiniSite() as mini:
        for n in range(10):
            mini.redirect(f"/r{n}", mini.url(f"/r{n + 1}"))
        result = await read(client, mini.url("/r0"))
        assert len(mini.requests) == MAX_REDIRECTS + 1
    assert result.error == f"too many redirects (more than {MAX_REDIRECTS})"


@pytest.mark.parametrize("status", ["404", "500"])
async def test_http_errors(site: FakeNewsSite, client: httpx.AsyncClient, status: str) -> None:
    site.set_fault("/feed/", status)  # type: ignore[arg-type]
    result = await read(client, site.rss_url)
    assert result.error == f"HTTP {status}" and result.articles == []


async def test_connection_refused(client: httpx.AsyncClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await read(client, f"http://127.0.0.1:{port}/feed/")
    assert result.error is not None and "could not connect to 127.0.0.1" in result.error


async def test_body_over_the_cap_is_stopped_while_streaming(
    site: FakeNewsSite, client: httpx.AsyncClient
) -> None:
    site.huge_bytes = 200 * 1024 * 1024  # 200 MiB, streamed without Content-Length
    site.set_fault("/feed/", "huge")
    started = time.monotonic()
    result = await read(client, site.rss_url, max_bytes=256 * 1024)
    elapsed = time.monotonic() - started
    assert result.error == f"body larger than {256 * 1024} bytes"
    assert elapsed < 1.5  # reading all 200 MiB over loopback would take far longer


async def test_one_byte_a_second_hits_the_total_timeout(
    site: FakeNewsSite, client: httpx.AsyncClient
) -> None:
    site.set_fault("/feed/", "slow")  # one byte a second: no read ever times out on its own
    started = time.monotonic()
    result = await read(client, site.rss_url, timeout=1.0)
    elapsed = time.monotonic() - started
    assert result.error == "timed out after 1s"
    assert 0.9 < elapsed < 2.0


async def test_markup_in_titles_is_text_not_markup(
    site: FakeNewsSite, client: httpx.AsyncClient
) -> None:
    site.add(
        FakeArticle(
            title="<script>alert(1)</script>Bread & Roses: <b>Strike</b> Wins",
            teaser="Workers & bosses agree.",
            slug="markup",
            published=datetime.now(UTC) + timedelta(hours=1),
        )
    )
    for path in ("/feed/", "/atom.xml"):  # a feed's title is HTML: tags go, scripts with text
        result = await read(client, site.base_url + path)
        first = result.articles[0]
        assert first.title == "Bread & Roses: Strike Wins", path
        assert first.teaser == "Workers & bosses agree.", path
    # The page shows the escaped markup as text; it stays text, and the push escapes it.
    result = await read(client, site.listing_url)
    first = result.articles[0]
    assert first.title == "<script>alert(1)</script>Bread & Roses: <b>Strike</b> Wins"
    html = push_html(
        StoredArticle(1, "Fake", first.url, first.title, first.teaser, None, 0.0, (), ())
    )
    assert "<script" not in html and "<b>Strike" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Bread &amp; Roses: &lt;b&gt;Strike" in html


# --- stacked and bomb-sized content codings (issue 13) ----------------------------------------


def _zeros_gzip(size: int) -> bytes:
    """A gzip body of `size` zero bytes, built fast (a bomb: about 1,000 times smaller)."""
    coder = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * 1_000_000
    parts = [coder.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, coder.flush()])


async def _peak_fetch(fetcher: Fetcher, url: str) -> tuple[BaseException | None, int]:
    """Fetch, returning the error raised and the peak of Python memory allocated meanwhile."""
    tracemalloc.start()
    try:
        await fetcher.fetch(url)
    except FetchError as exc:
        return exc, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return None, 0


@pytest.mark.parametrize("layers", [2, 3])
async def test_stacked_content_codings_are_refused(client: httpx.AsyncClient, layers: int) -> None:
    body = _zeros_gzip(50_000_000)  # 50 MB of zeros; two layers make it tiny
    for _ in range(layers - 1):
        body = gzip.compress(body)
    async with MiniSite() as site:
        coding = ", ".join(["gzip"] * layers)
        url = site.serve_raw("/feed/", body, {"Content-Encoding": coding})
        error, peak = await _peak_fetch(fetcher(client), url)
    assert isinstance(error, FetchError)
    assert str(error) == f"more than one content coding ({coding})"
    assert peak < 5_000_000


async def test_identity_does_not_hide_a_second_coding(client: httpx.AsyncClient) -> None:
    async with MiniSite() as site:
        body = gzip.compress(gzip.compress(b"<rss/>"))
        url = site.serve_raw("/feed/", body, {"Content-Encoding": "gzip,identity, GZIP"})
        with pytest.raises(FetchError, match=r"more than one content coding \(gzip, gzip\)"):
            await fetcher(client).fetch(url)


async def test_an_unknown_content_coding_is_refused(client: httpx.AsyncClient) -> None:
    async with MiniSite() as site:
        url = site.serve_raw("/feed/", b"\x1b\x00\x00", {"Content-Encoding": "br"})
        with pytest.raises(FetchError, match="unsupported content coding br"):
            await fetcher(client).fetch(url)


async def test_a_gzip_bomb_is_stopped_while_decoding(client: httpx.AsyncClient) -> None:
    bomb = _zeros_gzip(200_000_000)  # 200 KB on the wire, 200 MB decoded
    async with MiniSite() as site:
        url = site.serve_raw("/feed/", bomb, {"Content-Encoding": "gzip"})
        error, peak = await _peak_fetch(fetcher(client, max_bytes=1_000_000), url)
    assert isinstance(error, FetchError)
    assert str(error) == "body larger than 1000000 bytes"
    assert peak < 5_000_000  # the cap and a piece, not a raw chunk's 64 MB expansion


async def test_a_gzip_body_under_the_cap_is_decoded_on_loopback(client: httpx.AsyncClient) -> None:
    feed = f"<rss version='2.0'><channel><title>{'x' * 200_000}</title></channel></rss>".encode()
    async with MiniSite() as site:
        url = site.serve_raw("/feed/", gzip.compress(feed), {"Content-Encoding": "gzip"})
        assert (await fetcher(client).fetch(url)).body == feed
