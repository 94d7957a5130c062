"""Bounded work per source: hostile pages, teasers and floods cost little and linear time."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from bot.models import MAX_ARTICLES
from bot.sources.feed import parse_feed
from bot.sources.listing import _HEADLINE_LINKS, _SECTION_LINKS, _Outline, parse_listing
from bot.text import TITLE_MAX_CHARS, clean_text

URL = "https://hostile.example/category/news/"
POSTS = (
    '<article><h2><a href="/one">One</a></h2><p>first</p></article>'
    '<article><h2><a href="/two">Two</a></h2><p>second</p></article>'
)


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail when the block takes longer than `seconds` (generous: the machine is shared)."""
    started = time.perf_counter()
    yield
    took = time.perf_counter() - started
    assert took < seconds, f"took {took:.2f}s, allowed {seconds}s"


def linear_bound(parse: Callable[[], object], times: int, floor: float = 2.0) -> float:
    """Seconds a job `times` the size of `parse`'s may take if its cost grows linearly:
    twice that on this machine (a slow or busy one sets its own bound), at least `floor`."""
    started = time.perf_counter()
    parse()
    return max(floor, 2 * times * (time.perf_counter() - started))


def page(body: str) -> bytes:
    return f"<html><head><title>t</title></head><body>{body}</body></html>".encode()


def nested(levels: int, open_tag: str, close_tag: str, inner: str) -> bytes:
    return page(open_tag * levels + inner + close_tag * levels)


def linear_in_depth(build: Callable[[int], bytes]) -> tuple[bytes, float]:
    """A 3,000-level page and the seconds it may take: linear growth from a 300-level one
    (quadratic growth would take 100 times as long, not 10)."""
    small = build(300)
    return build(3000), linear_bound(lambda: parse_listing(small, url=URL), 10)


def test_deeply_nested_post_blocks_parse_in_linear_time() -> None:
    body, bound = linear_in_depth(
        lambda n: nested(n, '<div class="post"><header>', "</header></div>", POSTS)
    )
    with within(bound):
        articles = parse_listing(body, url=URL).articles
    assert [a.title for a in articles] == ["One", "Two"]


def test_deeply_nested_articles_parse_in_linear_time() -> None:
    body, bound = linear_in_depth(
        lambda n: page(
            "".join(f'<article><h2><a href="/post-{i}">Post {i}</a></h2>' for i in range(n))
            + "</article>" * n
        )
    )
    with within(bound):
        articles = parse_listing(body, url=URL).articles
    assert articles[0].title == "Post 0"


def test_posts_nested_deep_in_chrome_are_still_chrome() -> None:
    body, bound = linear_in_depth(
        lambda n: page(
            '<div class="sidebar">'
            + "<div>" * n
            + '<article><h2><a href="/ad">Ad</a></h2></article>' * 2
            + "</div>" * n
            + "</div>"
            + POSTS
        )
    )
    with within(bound):
        articles = parse_listing(body, url=URL).articles
    assert [a.title for a in articles] == ["One", "Two"]


def test_deeply_nested_headlines_parse_in_linear_time() -> None:
    body, bound = linear_in_depth(
        lambda n: page(f'<main>{"<div><header>" * n}<h2><a href="/x">X</a></h2><p>t</p></main>')
    )
    with within(bound):
        articles = parse_listing(body, url=URL).articles
    assert [a.title for a in articles] == ["X"]


def hostile_teasers() -> dict[str, str]:
    return {
        "the post": "The post " * 23_000,
        "read more": "Read more \u201c" * 20_000,
        "phrase": ". read more \u201c" * 16_000,
        "arrows": "Read more " + "\u2192 x " * 50_000,
    }


def test_boilerplate_patterns_run_in_linear_time_on_a_208_kb_teaser() -> None:
    for name, teaser in hostile_teasers().items():
        with within(1.0):
            clean_text(teaser, limit=1000)
        with within(1.0):  # the default bound, as titles and names get it
            clean_text(teaser)
        assert name


def test_boilerplate_is_still_dropped() -> None:
    long = "word " * 10_000
    assert clean_text(long + "The post Title appeared first on Site.") == long.strip()
    assert clean_text("Text. Continue reading \u201cTitle\u201d \u2192") == "Text."
    assert clean_text("Text [\u2026] The post T appeared first on S.") == "Text"


def test_a_teaser_cleaner_reads_only_a_bounded_multiple_of_its_limit() -> None:
    raw = "<p>" + "a " * 1_000_000 + "END</p>"
    with within(1.0):
        text = clean_text(raw, limit=1000)
    assert "END" not in text
    assert len(text) < 100_000


def feed(items: Callable[[int], str], count: int) -> bytes:
    entries = "".join(items(i) for i in range(count))
    channel = f"<channel><title>f</title>{entries}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def item(i: int) -> str:
    """Item i, one minute after item i - 1: the feed lists its oldest first."""
    when = format_datetime(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=i), usegmt=True)
    return (
        f"<item><title>Item {i}</title><link>https://hostile.example/{i}</link>"
        f"<pubDate>{when}</pubDate></item>"
    )


def test_a_flooding_feed_keeps_its_newest_articles_only() -> None:
    articles = parse_feed(feed(item, 2000), url="https://hostile.example/feed").articles
    assert [a.title for a in articles] == [
        f"Item {i}" for i in range(1999, 1999 - MAX_ARTICLES, -1)
    ]


def test_a_feed_of_100_000_undated_items_keeps_its_first_ones_in_bounded_time() -> None:
    def undated(count: int) -> bytes:
        return feed(
            lambda i: f"<item><title>I{i}</title><link>https://h.example/{i}</link></item>", count
        )

    body, small = undated(100_000), undated(5_000)
    bound = linear_bound(lambda: parse_feed(small, url="https://hostile.example/feed"), 20)
    with within(bound):
        articles = parse_feed(body, url="https://hostile.example/feed").articles
    assert [a.title for a in articles] == [f"I{i}" for i in range(MAX_ARTICLES)]


def test_a_long_feed_listing_its_oldest_first_still_gives_its_newest() -> None:
    """Read only to item 2,000, a feed that lists oldest first would give its oldest news."""
    body, small = feed(item, 30_000), feed(item, 3_000)
    bound = linear_bound(lambda: parse_feed(small, url="https://hostile.example/feed"), 10)
    with within(bound):
        articles = parse_feed(body, url="https://hostile.example/feed").articles
    assert [a.title for a in articles] == [
        f"Item {i}" for i in range(29_999, 29_999 - MAX_ARTICLES, -1)
    ]


def test_a_long_feed_listing_its_newest_first_gives_its_newest() -> None:
    count = 30_000
    body = feed(lambda i: item(count - 1 - i), count)
    articles = parse_feed(body, url="https://hostile.example/feed").articles
    assert [a.title for a in articles] == [
        f"Item {i}" for i in range(count - 1, count - 1 - MAX_ARTICLES, -1)
    ]


def test_declared_entities_are_read_as_empty() -> None:
    declared = "<!DOCTYPE rss [<!ENTITY e \"boom\"><!ENTITY % p 'x'>]>"
    body = feed(
        lambda i: "<item><title>A &e;title</title><link>https://h.example/a</link></item>", 1
    )
    body = body.replace(b"<rss", declared.encode() + b"<rss", 1)
    (article,) = parse_feed(body, url="https://hostile.example/feed").articles
    assert article.title == "A title"


def test_a_small_feed_keeps_its_own_order() -> None:
    articles = parse_feed(feed(item, 30), url="https://hostile.example/feed").articles
    assert [a.title for a in articles] == [f"Item {i}" for i in range(30)]


def test_a_flooding_listing_keeps_its_first_articles_only() -> None:
    body = page(
        "".join(f'<article><h2><a href="/p{i}">P{i}</a></h2><p>x</p></article>' for i in range(500))
    )
    articles = parse_listing(body, url=URL).articles
    assert [a.title for a in articles] == [f"P{i}" for i in range(MAX_ARTICLES)]


def test_titles_are_cut_at_a_word() -> None:
    long_title = "word " * 100_000
    body = feed(
        lambda i: f"<item><title>{long_title}</title><link>https://h.example/{i}</link></item>", 1
    )
    (article,) = parse_feed(body, url="https://hostile.example/feed").articles
    assert len(article.title) <= TITLE_MAX_CHARS
    assert article.title.endswith("word\u2026")
    listing = page(f'<article><h2><a href="/a">{long_title}</a></h2></article>' * 2)
    for article in parse_listing(listing, url=URL).articles:
        assert len(article.title) <= TITLE_MAX_CHARS
        assert article.title.endswith("word\u2026")


def test_entities_declared_by_the_feed_are_not_expanded() -> None:
    """Quadratic expansion stays under expat's limit: 4.5 MB became a 405 MB title."""
    declared = '<!DOCTYPE rss [<!ENTITY e "' + "x" * 270 + '">]>'
    title = "News &e;" + "&e;" * 100_000  # 300 KB, 27 MB expanded
    body = feed(lambda i: f"<item><title>{title}</title><link>https://h.example/a</link></item>", 1)
    body = body.replace(b"<rss", declared.encode() + b"<rss", 1)
    tracemalloc.start()
    try:
        (article,) = parse_feed(body, url="https://hostile.example/feed").articles
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000, f"peak {peak / 1e6:.0f} MB"
    assert len(article.title) <= TITLE_MAX_CHARS


TAGS = st.sampled_from(["div", "article", "p", "h2", "a", "header", "section", "span", "main"])
FRAGMENT = st.recursive(
    st.just(""),
    lambda inner: st.builds(
        lambda tag, cls, children: f'<{tag} class="{cls}" href="/x">{"".join(children)}</{tag}>',
        TAGS,
        st.sampled_from(["post", "entry-title", "sidebar", "x"]),
        st.lists(inner, max_size=3),
    ),
    max_leaves=25,
)


@settings(max_examples=100, deadline=None)
@given(FRAGMENT)
def test_the_outline_finds_what_lexbor_finds_within_each_node(fragment: str) -> None:
    tree = LexborHTMLParser(f"<html><body>{fragment}</body></html>")
    outline = _Outline(tree)
    for node in tree.root.traverse() if tree.root is not None else ():
        for selector in ("p", "h2, h3", "a[href]", _SECTION_LINKS, _HEADLINE_LINKS):
            # lexbor lists a node twice when two of a selector's parts match it
            expected = list(dict.fromkeys(n.mem_id for n in node.css(selector)))
            assert [n.mem_id for n in outline.within(node, selector)] == expected, selector
