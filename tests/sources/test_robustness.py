"""Property tests: parsers and text helpers fail only with ParseError, whatever the input."""

from __future__ import annotations

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import ParseError
from bot.sources.feed import parse_feed
from bot.sources.listing import parse_listing
from bot.sources.parse import detect_kind
from bot.text import clean_text, shorten
from bot.urls import is_http_url, normalize_url

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
PR_PAGE = (FIXTURES / "popular_resistance_mass_action.html").read_bytes()
PR_FEED = (FIXTURES / "popular_resistance_feed.xml").read_bytes()

PIECES = [
    *"<>/=\"' &;#[]\u2026abc\n",
    "<p>", "</p>", "<a href='", "<h2>", "</h2>", "<article>", "&amp;", "http://[", "<rss>",
    "<item>", "<link>", "</link>", "<title>", "Continue Reading", "<time datetime='",
]  # fmt: skip
MARKUP = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(MARKUP)
def test_listing_raises_only_parse_error(html: str) -> None:
    try:
        page = parse_listing(html.encode(), url="https://example.org/category/x/")
    except ParseError:
        return
    assert all(is_http_url(a.url) for a in page.articles)


@FAST
@given(MARKUP)
def test_feed_raises_only_parse_error(xml: str) -> None:
    try:
        page = parse_feed(xml.encode(), url="https://example.org/feed/")
    except ParseError:
        return
    assert all(is_http_url(a.url) for a in page.articles)


@FAST
@given(st.binary(max_size=300), st.integers(min_value=0, max_value=len(PR_PAGE)))
def test_corrupted_fixtures_raise_only_parse_error(noise: bytes, at: int) -> None:
    for body, parse in ((PR_PAGE, parse_listing), (PR_FEED, parse_feed)):
        cut = min(at, len(body))
        with contextlib.suppress(ParseError):
            parse(body[:cut] + noise + body[cut:], url="https://popularresistance.org/x/")
    detect_kind(noise, None)


@FAST
@given(MARKUP, st.integers(min_value=1, max_value=80))
def test_text_helpers_never_fail(text: str, limit: int) -> None:
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip()
    assert len(shorten(cleaned, limit)) <= limit
    key = normalize_url(text)
    assert normalize_url(key) == key
