"""Feed discovery: a site or section URL is read through the feed it announces, else as a page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.models import SourceKind
from bot.sources.discover import discover_feed, feed_links
from bot.sources.fetch import Fetcher
from bot.sources.read import read_source
from tests.sources.minisite import MiniSite

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Section feed</title>
<item><title>From The Feed</title><link>{base}/2024/01/01/from-the-feed/</link>
<description>Read through the feed.</description></item></channel></rss>"""


def page(*feeds: str) -> str:
    links = "".join(f'<link rel="alternate" type="application/rss+xml" href="{f}">' for f in feeds)
    posts = "".join(
        f'<article class="post"><h2><a href="/2024/01/0{n}/post-{n}/">Page Post {n}</a></h2>'
        f"<p>Teaser {n}.</p></article>"
        for n in (1, 2)
    )
    return (
        f"<html><head><title>The Site</title>{links}</head><body><main>{posts}</main></body></html>"
    )


def test_category_page_prefers_its_category_feed() -> None:
    body = (FIXTURES / "popular_resistance_mass_action.html").read_bytes()
    url = "https://popularresistance.org/category/mass-action/"
    assert feed_links(body, url=url) == [
        "https://popularresistance.org/feed/",
        "https://popularresistance.org/category/mass-action/feed/",
    ]
    assert (
        discover_feed(body, url=url) == "https://popularresistance.org/category/mass-action/feed/"
    )


def test_home_page_takes_the_site_feed_but_not_comments() -> None:
    body = (
        b'<link rel="alternate" type="application/rss+xml" title="Comments Feed" '
        b'href="/comments/feed/"><link rel="alternate" type="application/atom+xml" href="/atom">'
    )
    assert discover_feed(body, url="https://x.example/") == "https://x.example/atom"


def test_section_page_with_only_the_site_feed_stays_a_listing() -> None:
    body = page("https://x.example/feed/").encode()
    assert discover_feed(body, url="https://x.example/category/peru/") is None


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with httpx.AsyncClient(follow_redirects=True) as client:
        yield Fetcher(client, max_bytes=1_000_000, timeout_seconds=2)


async def test_site_url_is_read_through_its_feed_and_remembers_it(fetcher: Fetcher) -> None:
    async with MiniSite() as site:
        url = site.serve("/", page("/feed/"))
        feed_url = site.serve("/feed/", FEED.format(base=site.url("")), "application/rss+xml")
        first = await read_source(fetcher, url, None)
        assert first.error is None and first.feed_url == feed_url
        assert first.kind is SourceKind.RSS
        assert [a.title for a in first.articles] == ["From The Feed"]
        # the next poll goes straight to the feed
        second = await read_source(fetcher, url, first.kind, feed_url=first.feed_url)
        assert second.feed_url == feed_url and [a.title for a in second.articles] == [
            "From The Feed"
        ]
        assert site.requests == ["/", "/feed/", "/feed/"]


async def test_section_url_without_its_own_feed_is_parsed_as_a_listing(fetcher: Fetcher) -> None:
    async with MiniSite() as site:
        url = site.serve("/category/peru/", page("/feed/"))
        result = await read_source(fetcher, url, None)
    assert result.error is None and result.feed_url is None and result.kind is SourceKind.HTML
    assert [a.title for a in result.articles] == ["Page Post 1", "Page Post 2"]


async def test_broken_announced_feed_falls_back_to_the_listing(fetcher: Fetcher) -> None:
    async with MiniSite() as site:
        url = site.serve("/", page("/feed/"))  # /feed/ is a 404
        result = await read_source(fetcher, url, None)
    assert result.error is None and result.feed_url is None
    assert [a.title for a in result.articles] == ["Page Post 1", "Page Post 2"]


async def test_declared_html_source_is_never_redirected_to_a_feed(fetcher: Fetcher) -> None:
    async with MiniSite() as site:
        url = site.serve("/", page("/feed/"))
        site.serve("/feed/", FEED.format(base=site.url("")), "application/rss+xml")
        result = await read_source(fetcher, url, SourceKind.HTML)
        assert site.requests == ["/"]
    assert [a.title for a in result.articles] == ["Page Post 1", "Page Post 2"]
