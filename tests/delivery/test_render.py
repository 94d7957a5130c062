"""Rendering: pushes, digests, /latest lists, escaping and Telegram's 4096-unit limit."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.delivery.render import (
    LIST_RESERVE,
    MAX_MESSAGE_CHARS,
    TEASER_CHARS,
    digest_html,
    fit,
    hashtags,
    list_html,
    plain_text,
    push_html,
    telegram_length,
)
from bot.i18n import translator
from bot.models import StoredArticle
from tests.fakes.telegram import parse_html

LIMA = StoredArticle(
    id=1,
    source_name="Peoples Dispatch",
    url="https://peoplesdispatch.org/2026/11/20/lima-strike/",
    title="Strike paralyses Lima",
    teaser="Transport workers stopped the capital for a second day.",
    published_at=None,
    first_seen_at=0.0,
    countries=("PE",),
    topics=("labor",),
)


def article(n: int, title: str | None = None, source_name: str = LIMA.source_name) -> StoredArticle:
    """The n-th of many articles, titled "Story n" unless told."""
    return replace(
        LIMA,
        id=n,
        url=f"https://x.test/{n}",
        title=f"Story {n}" if title is None else title,
        source_name=source_name,
    )


def test_a_push_is_bold_linked_title_teaser_source_and_tags() -> None:
    html = push_html(LIMA)
    assert html == (
        '<b><a href="https://peoplesdispatch.org/2026/11/20/lima-strike/">'
        "Strike paralyses Lima</a></b>\n\n"
        "Transport workers stopped the capital for a second day.\n\n"
        "<i>Peoples Dispatch</i> · #Peru #labor"
    )
    text, entities = parse_html(html)
    assert text.startswith("Strike paralyses Lima\n\n")
    assert {entity["type"] for entity in entities} == {"bold", "text_link", "italic"}


def test_a_push_without_teaser_or_tags_has_only_title_and_source() -> None:
    html = push_html(replace(LIMA, teaser="", countries=(), topics=()))
    assert plain_text(html) == "Strike paralyses Lima\n\nPeoples Dispatch"


def test_a_push_names_the_other_sources_of_its_story() -> None:
    html = push_html(replace(LIMA, also_in=("Popular Resistance", "MintPress")))
    assert "<i>Peoples Dispatch</i> (also in Popular Resistance, MintPress) · #Peru" in html


def test_a_long_teaser_is_cut_to_the_teaser_limit() -> None:
    teaser = "word " * 200
    html = push_html(replace(LIMA, teaser=teaser))
    shown = plain_text(html).split("\n\n")[1]
    assert len(shown) <= TEASER_CHARS and shown.endswith("…")


def test_markup_and_quotes_are_escaped_everywhere() -> None:
    hostile = replace(
        LIMA,
        url='https://x.test/a?b=1&c="2"',
        title="<script>alert(1)</script> A&B",
        teaser="1 < 2 & 3 > 2",
        source_name="<i>Fake</i>",
    )
    html = push_html(hostile)
    assert "<script" not in html and "<i>Fake</i>" not in html
    assert 'href="https://x.test/a?b=1&amp;c=&quot;2&quot;"' in html
    text, _ = parse_html(html)
    assert text.startswith("<script>alert(1)</script> A&B\n\n1 < 2 & 3 > 2\n\n<i>Fake</i>")
    for rendered in (list_html("<b>", [hostile]), digest_html([hostile])[0]):
        text, _ = parse_html(rendered)
        assert "• <script>alert(1)</script> A&B — <i>Fake</i>" in text


def test_hashtags_are_countries_then_topics_at_most_five() -> None:
    many = replace(LIMA, countries=("PE", "ZA", "XX"), topics=("labor", "protest", "a", "b"))
    assert hashtags(many) == "#Peru #SouthAfrica #labor #protest #a"
    assert hashtags(many, limit=2) == "#Peru #SouthAfrica"


def test_list_shows_every_article_that_fits() -> None:
    html = list_html("Latest: 🇵🇪 Peru", [article(1), article(2)])
    assert plain_text(html) == (
        "Latest: 🇵🇪 Peru\n\n• Story 1 — Peoples Dispatch\n• Story 2 — Peoples Dispatch"
    )


def test_a_list_too_long_for_one_message_says_how_many_more() -> None:
    articles = [article(n, title=f"Story {n} " + "x" * 200) for n in range(40)]
    html = list_html("Latest", articles)
    shown = html.count("• ")
    assert 0 < shown < 40
    assert html.endswith(f"… and {40 - shown} more")
    assert telegram_length(html) <= MAX_MESSAGE_CHARS


def test_a_digest_counts_what_it_shows() -> None:
    html, count = digest_html([article(1), article(2), article(3)])
    assert count == 3
    assert plain_text(html).startswith("📰 3 new articles for you\n\n• Story 1 — ")
    html, count = digest_html([article(1)])
    assert count == 1 and plain_text(html).startswith("📰 1 new article for you")


def test_a_digest_stops_before_the_limit_and_reports_how_many_it_took() -> None:
    articles = [article(n, title="long title " * 20) for n in range(60)]
    html, count = digest_html(articles)
    assert 0 < count < 60
    assert html.count("• ") == count
    assert telegram_length(html) <= MAX_MESSAGE_CHARS - LIST_RESERVE + 100


def test_a_digest_line_shortens_a_huge_title_so_more_fit() -> None:
    huge = article(1, title="x" * 5000)
    html, count = digest_html([huge, article(2)])
    assert count == 2 and "x" * 100 in html and "Story 2" in html
    assert telegram_length(html) <= MAX_MESSAGE_CHARS


def test_the_limit_is_counted_in_utf16_units_of_the_visible_text() -> None:
    assert telegram_length("<b>abc</b>") == 3
    assert telegram_length("&lt;&amp;") == 2
    assert telegram_length("😀") == 2  # outside the BMP: two UTF-16 units
    emoji = [article(n, title="😀" * 150) for n in range(40)]
    html, count = digest_html(emoji)
    assert telegram_length(html) <= MAX_MESSAGE_CHARS
    assert len(plain_text(html)) < telegram_length(html)
    assert count < len(_fits_by_characters(emoji))


def _fits_by_characters(articles: list[StoredArticle]) -> list[StoredArticle]:
    """How many lines would fit if code points were counted instead of UTF-16 units."""
    room, kept = MAX_MESSAGE_CHARS - LIST_RESERVE, []
    for item in articles:
        room -= len(plain_text(f"• {item.title} — {item.source_name}")) + 1
        if room < 0:
            break
        kept.append(item)
    return kept


def test_plain_text_drops_tags_and_unescapes() -> None:
    assert plain_text('<b><a href="u">A &amp; B</a></b> &lt;3') == "A & B <3"


def test_fit_leaves_a_short_message_alone() -> None:
    assert fit("<b>short</b>") == "<b>short</b>"


def test_fit_cuts_at_a_line_so_no_tag_is_split() -> None:
    lines = [f"<b>line {n}</b>" for n in range(1000)]
    html = "\n".join(lines)
    cut = fit(html, limit=200)
    assert telegram_length(cut) <= 200  # Telegram's count: the visible text, not the markup
    assert cut.endswith("\n…")
    kept = cut.split("\n")[:-1]
    assert kept == lines[: len(kept)]
    parse_html(cut)  # still valid Telegram HTML


def test_fit_shortens_one_huge_line_as_plain_text() -> None:
    cut = fit("<b>" + "word " * 2000 + "</b>", limit=100)
    assert "<b>" not in cut and len(cut) <= 100 and cut.endswith("…")


@settings(max_examples=100, deadline=None)
@given(
    titles=st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=60),
    source=st.text(max_size=40),
)
def test_every_rendering_is_valid_telegram_html_within_the_limit(
    titles: list[str], source: str
) -> None:
    articles = [article(n, title=title, source_name=source) for n, title in enumerate(titles)]
    html, count = digest_html(articles)
    assert 1 <= count <= len(articles)
    text, _ = parse_html(html)
    if count > 1:
        assert len(text.encode("utf-16-le")) // 2 <= MAX_MESSAGE_CHARS
    listed = list_html("Latest", articles)
    text, _ = parse_html(listed)
    assert len(text.encode("utf-16-le")) // 2 <= MAX_MESSAGE_CHARS
    parse_html(push_html(articles[0]))


@pytest.mark.parametrize("limit", [50, 400, MAX_MESSAGE_CHARS])
def test_fit_never_exceeds_its_limit(limit: int) -> None:
    html = push_html(replace(LIMA, title="t" * 5000, teaser="w " * 3000))
    assert telegram_length(fit(html, limit)) <= limit


ASTRAL = "😀🌍𝕏𐍈🀄"  # two UTF-16 units each
_ASTRAL_PROSE = st.text(
    alphabet=st.sampled_from([*ASTRAL, "a", "é", " ", ".", "<", "&", "\n"]), max_size=3000
)


def test_a_title_of_2100_emoji_makes_a_push_telegram_accepts() -> None:
    html = push_html(replace(LIMA, title="😀" * 2100))
    text, _ = parse_html(html)
    assert len(text.encode("utf-16-le")) // 2 <= MAX_MESSAGE_CHARS
    assert text.startswith("😀" * 1000) and text.endswith("Peoples Dispatch · #Peru #labor")


@settings(max_examples=60, deadline=None)
@given(
    title=_ASTRAL_PROSE,
    teaser=_ASTRAL_PROSE,
    source=_ASTRAL_PROSE,
    also_in=st.lists(_ASTRAL_PROSE, max_size=3),
    count=st.integers(min_value=1, max_value=40),
)
def test_astral_text_never_makes_a_message_over_4096_utf16_units(
    title: str, teaser: str, source: str, also_in: list[str], count: int
) -> None:
    """Whatever the characters, every message Telegram gets is within its limit, in its units."""
    one = replace(LIMA, title=title, teaser=teaser, source_name=source, also_in=tuple(also_in))
    many = [replace(one, id=n, url=f"https://x.test/{n}") for n in range(count)]
    digest = digest_html(many)[0]
    for html in (push_html(one), digest, list_html(title, many), fit(f"{digest}\n{digest}")):
        text, _ = parse_html(html)
        assert len(text.encode("utf-16-le")) // 2 <= MAX_MESSAGE_CHARS
        assert telegram_length(html) == len(text.encode("utf-16-le")) // 2


def test_a_push_in_spanish_names_its_tags_and_other_sources_in_spanish() -> None:
    es = translator("es")
    html = push_html(replace(LIMA, also_in=("Popular Resistance",), topics=("labor",)), es)
    assert "(también en Popular Resistance)" in html and "#Perú #Trabajo" in html
    assert "also in" not in html and "#labor" not in html


def test_a_digest_in_spanish_counts_in_spanish() -> None:
    es = translator("es")
    assert digest_html([article(1)], es)[0].startswith("<b>📰 1 artículo nuevo para ti</b>")
    assert digest_html([article(1), article(2)], es)[0].startswith(
        "<b>📰 2 artículos nuevos para ti</b>"
    )
