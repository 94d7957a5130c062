"""Tests for bot.urls: is_http_url, normalize_url."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.urls import is_http_url, normalize_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("HTTPS://Example.org/", True),
        ("http://[::1]:8080/x", True),
        ("https://example.org:443/", True),
        ("ftp://example.org/feed", False),
        ("mailto:someone@example.org", False),
        ("javascript:alert(1)", False),
        ("/feed/", False),
        ("//example.org/a", False),
        ("example.org/a", False),
        ("https:///feed", False),
        ("http://", False),
        ("http://[broken", False),
        ("https://example.org:notaport/", False),
        ("https://example.org:99999/", False),
        ("", False),
    ],
)
def test_is_http_url(text: str, expected: bool) -> None:
    assert is_http_url(text) is expected


URLS = st.builds(
    "{}://{}{}".format,
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"(www\.)?[a-z0-9]{1,8}(\.[a-z]{2,4}){1,2}(:[0-9]{1,4})?", fullmatch=True),
    st.text(alphabet="/abc?=&#%-_.", max_size=20).map(lambda tail: "/" + tail),
)


@given(URLS)
def test_normalize_url_keeps_an_http_url_one_and_is_idempotent(url: str) -> None:
    assert is_http_url(url)
    key = normalize_url(url)
    assert is_http_url(key)
    assert normalize_url(key) == key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a/b", "https://example.org/a/b"),
        ("HTTPS://Example.ORG/Path", "https://example.org/Path"),
        ("http://example.org/a", "https://example.org/a"),
        ("https://www.example.org/a", "https://example.org/a"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "https://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org/a/#comments", "https://example.org/a"),
        ("https://example.org/a/", "https://example.org/a"),
        ("https://example.org/", "https://example.org/"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/?utm_source=tw&utm_medium=social", "https://example.org/"),
        ("https://example.org/a?fbclid=abc&gclid=def", "https://example.org/a"),
        ("https://example.org/a?b=2&a=1", "https://example.org/a?a=1&b=2"),
        ("https://example.org/a?p=1&UTM_Campaign=x", "https://example.org/a?p=1"),
        ("https://example.org/a?q=a%20b", "https://example.org/a?q=a%20b"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("not a url", "not a url"),
        ("http://[::1]:8080/x/", "https://[::1]:8080/x"),
        ("https://example.org:notaport/", "https://example.org:notaport/"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_normalize_url_makes_spellings_of_one_article_equal() -> None:
    spellings = [
        "http://www.popularresistance.org/robin-hood-strikes-in-france/",
        "https://popularresistance.org/robin-hood-strikes-in-france",
        "https://POPULARRESISTANCE.org/robin-hood-strikes-in-france/?utm_source=rss#respond",
    ]
    assert len({normalize_url(url) for url in spellings}) == 1
