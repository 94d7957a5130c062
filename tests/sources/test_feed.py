"""Tests for bot.sources.feed: RSS 2.0, Atom, RDF, broken and non-UTF-8 feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.models import SourceKind
from bot.pipeline.identity import unique
from bot.sources.feed import TEASER_MAX_CHARS, parse_feed

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rss(items: str, channel_title: str = "Test") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{channel_title}</title><link>https://example.org/</link>{items}</channel></rss>"
    ).encode()


# --- RSS 2.0, WordPress style -----------------------------------------------------------------


def test_wordpress_rss() -> None:
    page = parse_feed(
        fixture("popular_resistance_feed.xml"),
        url="https://popularresistance.org/feed/",
        content_type="application/rss+xml; charset=UTF-8",
    )
    assert page.kind is SourceKind.RSS
    assert page.title == "Popular Resistance.Org"
    assert [a.title for a in page.articles] == [
        "Hundreds Of Thousands Rally Across Spain Against Attack On Public Health",
        "\u2018Robin Hood\u2019 Strikes In France",
        "Peru: General Strike Enters Day Three",
    ]
    first = page.articles[0]
    assert first.url == (
        "https://popularresistance.org/"
        "hundreds-of-thousands-rally-across-spain-against-attack-on-public-health/"
    )
    assert first.guid == "https://popularresistance.org/?p=20512"
    assert first.published == datetime(2023, 2, 14, 12, 12, tzinfo=UTC)
    assert first.categories == ("Mass Action", "Health Care", "Spain")
    assert first.author == "Peoples Dispatch"
    # From <description>, not content:encoded; "[…]" and "The post … appeared first on" gone.
    assert first.teaser == (
        "Spain \u2013 On Sunday, February 12, massive mobilizations took place in several cities "
        "across Spain, organized by health workers, trade unions, and left-wing groups. The "
        "protesters demanded an improvement in public health services, which are currently "
        "suffering from a lack of resources and understaffing. Protesters at a major "
        "mobilization in Madrid, attended by hundreds of thousands of people,"
    )


def test_wordpress_rss_relative_link_read_more_and_repeated_category() -> None:
    page = parse_feed(
        fixture("popular_resistance_feed.xml"), url="https://popularresistance.org/feed/"
    )
    third = page.articles[2]
    assert third.url == "https://popularresistance.org/peru-general-strike-enters-day-three/"
    assert third.teaser.endswith("the resignation of the unelected president, Dina Boluarte.")
    assert third.categories == ("Mass Action", "Peru")  # "mass action" repeated in lower case
    assert third.published == datetime(2023, 1, 7, 12, 0, tzinfo=UTC)  # -0500 made UTC


def test_item_without_link_is_skipped() -> None:
    page = parse_feed(
        fixture("popular_resistance_feed.xml"), url="https://popularresistance.org/feed/"
    )
    assert all("without a link" not in a.title for a in page.articles)
    assert len(page.articles) == 3


def test_published_dates_are_aware_utc() -> None:
    page = parse_feed(
        fixture("popular_resistance_feed.xml"), url="https://popularresistance.org/feed/"
    )
    for article in page.articles:
        assert article.published is not None
        assert article.published.tzinfo is UTC


# --- Atom -------------------------------------------------------------------------------------


def test_atom() -> None:
    page = parse_feed(
        fixture("peoples_dispatch_atom.xml"),
        url="https://peoplesdispatch.org/feed/atom/",
        content_type="application/atom+xml",
    )
    assert page.kind is SourceKind.ATOM
    assert page.title == "Peoples Dispatch"
    first, second, third = page.articles
    assert first.title == "Tens of thousands on the streets of Peru in national strike"
    assert first.guid == "https://peoplesdispatch.org/?p=152001"
    assert first.published == datetime(2023, 1, 19, 22, 15, tzinfo=UTC)
    assert first.categories == ("Americas", "Peru")
    assert first.author == "Peoples Dispatch"
    assert first.teaser.startswith("Tens of thousands of Peruvians from across the country")
    # Relative href resolved against xml:base; no <published>, so <updated> is used.
    assert (
        second.url == "https://peoplesdispatch.org/2022/12/21/peru-congress-to-advance-elections/"
    )
    assert second.published == datetime(2022, 12, 21, 21, 0, tzinfo=UTC)
    assert second.author == "Tanya Wadhwa"
    # Teaser from <content> when there is no <summary>, footer removed.
    assert second.teaser == (
        "The decision to change the electoral calendar came following the call for further "
        "intensification of nationwide protests."
    )
    # The enclosure is not the article link.
    assert third.url == "https://peoplesdispatch.org/2022/11/24/haitian-women-mobilize/"
    assert third.published == datetime(2022, 11, 24, 3, 50, tzinfo=UTC)
    assert third.author is None
    assert third.categories == ()


# --- RSS 1.0 / RDF ----------------------------------------------------------------------------


def test_rdf() -> None:
    page = parse_feed(
        fixture("isa_rdf.xml"),
        url="https://internationalsocialist.net/en/category/americas/latin-america/feed/rdf",
    )
    assert page.kind is SourceKind.RSS
    assert page.title == "Latin America \u2013 International Socialist Alternative"
    first, second = page.articles
    assert first.title == "Latin America: Second \u201cPink Tide\u201d: What Way Forward?"
    assert first.url == (
        "https://internationalsocialist.net/en/2023/01/latin-america-second-pink-tide-what-way-forward/"
    )
    assert first.published == datetime(2023, 1, 31, 10, 14, 22, tzinfo=UTC)
    assert first.categories == ("Latin America",)
    assert first.author == "Elan Axelbank"
    assert first.teaser == (
        "Elan Axelbank is a member of Socialist Alternative (England, Wales & Scotland). This "
        "second wave of reformism in power is already proving to be anything but a repetition "
        "of the first."
    )
    assert second.author == "Darragh O\u2019Dwyer"
    assert second.teaser == (
        "The Peruvian masses must rely on their own strength and continue to build local "
        "committees of struggle."
    )


# --- broken and odd feeds ---------------------------------------------------------------------


def test_malformed_feed_keeps_what_feedparser_recovers() -> None:
    page = parse_feed(fixture("labor_notes_malformed.xml"), url="https://labornotes.org/feed")
    assert page.kind is SourceKind.RSS
    titles = [a.title for a in page.articles]
    assert titles[:2] == [
        "Starbucks Workers & Allies Walk Out on Red Cup Day",
        "Rail Workers Vote Down Tentative Agreement",
    ]
    first = page.articles[0]
    assert (
        first.url == "https://labornotes.org/2022/11/starbucks-workers-allies-walk-out-red-cup-day"
    )
    assert first.teaser == (
        "Baristas at more than 100 stores walked off the job on the company\u2019s biggest "
        "promotional day."
    )
    assert first.published == datetime(2022, 11, 17, 18, 21, 9, tzinfo=UTC)
    assert first.author == "Luis Feliz Leon"


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/xml",
        "application/rss+xml",
        "application/rss+xml; charset=windows-1252",
        "text/xml; charset=utf-8",  # a wrong header: the bytes are not UTF-8
    ],
)
def test_windows_1252_feed_declared_in_prolog(content_type: str | None) -> None:
    page = parse_feed(
        fixture("resumen_windows1252.xml"),
        url="https://www.resumenlatinoamericano.org/feed/",
        content_type=content_type,
    )
    first, second = page.articles
    assert first.title == "Per\u00fa: \u201cParo nacional\u201d paraliza el sur del pa\u00eds"
    assert first.teaser == (
        "Campesinos, comuneros y estudiantes de Apur\u00edmac, Cusco y Puno marcharon hacia "
        "Lima\u2026 \u00a1La lucha sigue!"
    )
    assert first.categories == ("Per\u00fa",)
    assert second.title == "Bolivia: Evo Morales denuncia \u201cgolpe judicial\u201d"
    assert "\ufffd" not in second.teaser


def test_markup_in_titles_is_stripped_and_scripts_dropped() -> None:
    page = parse_feed(fixture("markup_titles.xml"), url="https://example.org/feed/")
    assert page.title == "Escaping & Markup Test Feed"
    assert [a.title for a in page.articles] == [
        "Workers & Bosses Face Off",
        "Bold move: unions & tenants unite",
        "Strike at AT&T enters week two",
    ]
    assert [a.teaser for a in page.articles] == [
        "First paragraph.",
        "Tenants & unions together.",
        "Picket lines at AT&T stores \u2014 day 8.",
    ]
    for article in page.articles:
        for text in (article.title, article.teaser):
            assert "<" not in text
            assert "alert" not in text
            assert "cookie" not in text
            assert "color:red" not in text


def test_relative_links_resolve_against_the_feed_url() -> None:
    body = rss(
        "<item><title>A</title><link>/2023/01/a/</link></item>"
        "<item><title>B</title><link>b.html</link></item>"
        "<item><title>C</title><link>https://other.org/c</link></item>"
    )
    page = parse_feed(body, url="https://example.org/news/feed/")
    assert [a.url for a in page.articles] == [
        "https://example.org/2023/01/a/",
        "https://example.org/news/feed/b.html",
        "https://other.org/c",
    ]


def test_guid_permalink_stands_in_for_a_missing_link() -> None:
    body = rss('<item><title>A</title><guid isPermaLink="true">https://example.org/a</guid></item>')
    (article,) = parse_feed(body, url="https://example.org/feed/").articles
    assert article.url == "https://example.org/a"
    assert article.guid == "https://example.org/a"


def test_non_web_links_are_skipped() -> None:
    body = rss(
        "<item><title>A</title><link>javascript:alert(1)</link></item>"
        "<item><title>B</title><link>https://example.org/b</link></item>"
    )
    page = parse_feed(body, url="https://example.org/feed/")
    assert [a.title for a in page.articles] == ["B"]


def test_untitled_entry_takes_its_title_from_the_teaser() -> None:
    body = rss(
        "<item><link>https://example.org/a</link>"
        "<description>Short note. More.</description></item>"
        "<item><link>https://example.org/b</link></item>"
    )
    page = parse_feed(body, url="https://example.org/feed/")
    assert [(a.title, a.teaser) for a in page.articles] == [
        ("Short note. More.", "Short note. More.")
    ]


def test_whole_article_content_is_capped_as_teaser() -> None:
    words = " ".join(["word"] * 2000)
    body = rss(
        f"<item><title>Long</title><link>https://example.org/long</link>"
        f"<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        f"<![CDATA[<p>{words}</p>]]></content:encoded></item>"
    )
    (article,) = parse_feed(body, url="https://example.org/feed/").articles
    assert len(article.teaser) <= TEASER_MAX_CHARS
    assert article.teaser.endswith("word\u2026")


def test_unparseable_dates_are_none() -> None:
    body = rss(
        "<item><title>A</title><link>https://example.org/a</link><pubDate>someday</pubDate></item>"
    )
    (article,) = parse_feed(body, url="https://example.org/feed/").articles
    assert article.published is None


def test_repeated_entries_are_listed_and_dropped_by_identity() -> None:
    item = "<item><title>A</title><link>https://example.org/a</link><guid>g1</guid></item>"
    page = parse_feed(rss(item * 3), url="https://example.org/feed/")
    assert len(page.articles) == 3
    assert len(unique(page.articles)) == 1


def test_valid_empty_feed_is_not_an_error() -> None:
    page = parse_feed(rss(""), url="https://example.org/feed/")
    assert page.articles == []
    assert page.title == "Test"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"   \n", "empty body"),
        (b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "got an HTML page"),
        (b"\x00\x01\x02 binary junk", "not a readable feed"),
        (b"<rss", "not a readable feed"),
        (b"just some words", "not a readable feed"),
    ],
)
def test_nothing_usable_is_parse_error(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_feed(body, url="https://example.org/feed/")


def test_feedparser_crash_is_parse_error() -> None:
    body = fixture("popular_resistance_feed.xml")
    broken = body[:73] + b"!\xa0" + body[73:]  # found by test_robustness: ValueError inside
    with pytest.raises(ParseError, match="not a readable feed"):
        parse_feed(broken, url="https://popularresistance.org/feed/")
