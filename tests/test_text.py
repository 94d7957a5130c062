"""Tests for bot.text: clean_text, shorten (in UTF-16 units, as Telegram counts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text import ELLIPSIS, clean_text, shorten, utf16_len

# --- clean_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("plain words", "plain words"),
        ("<p>Tom &amp; Jerry</p>", "Tom & Jerry"),
        ("<p>One</p><p>Two</p>", "One Two"),
        ("line<br>break", "line break"),
        ("in<b>line</b> bold", "inline bold"),
        ("  spaced \n\t out\u00a0text  ", "spaced out text"),
        ("zero\u200bwidth", "zerowidth"),
        ("<script>alert(1)</script>Safe", "Safe"),
        ("<style>p{color:red}</style><p>Styled</p>", "Styled"),
        ("Curly &#8220;quotes&#8221; &#8211; dash", "Curly \u201cquotes\u201d \u2013 dash"),
        ("double &amp;#8217; escaped", "double \u2019 escaped"),
        ("AT&amp;amp;T", "AT&T"),
        ("a < b and c > d", "a < b and c > d"),
        ("<p>Unclosed <b>tags", "Unclosed tags"),
    ],
)
def test_clean_text_strips_markup(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A wave of victories [&#8230;]", "A wave of victories"),
        ("A wave of victories [...]", "A wave of victories"),
        ("A wave of victories \u2026", "A wave of victories"),
        ("A wave of victories...", "A wave of victories"),
        ("Teaser text. Continue Reading", "Teaser text."),
        ("Teaser text. Continue reading \u2192", "Teaser text."),
        ("Teaser text. Read more \u00bb", "Teaser text."),
        ("Teaser text [\u2026] Continue Reading", "Teaser text"),
        ("Teaser text. Continue reading \u201cThe Title\u201d", "Teaser text."),
        (
            '<p>Body.</p><p>The post <a href="x">A Title</a> appeared first on '
            '<a href="y">Popular Resistance.Org</a>.</p>',
            "Body.",
        ),
        (
            "<p>Victories [&#8230;]</p><p>The post <a>T</a> appeared first on <a>S</a>.</p>",
            "Victories",
        ),
        (
            '<p>Text [&hellip;]</p><p class="read-more-container">'
            '<a class="read-more button" href="/x">Continue Reading</a></p>',
            "Text",
        ),
        ('<p>Text</p><a class="more-link" href="/x">More about this</a>', "Text"),
        ("Continue Reading", ""),
    ],
)
def test_clean_text_drops_boilerplate(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_keeps_read_more_inside_a_sentence() -> None:
    assert clean_text("Where you can read more") == "Where you can read more"
    assert clean_text("Read more books, says the union") == "Read more books, says the union"


def test_clean_text_keeps_an_ellipsis_in_the_middle() -> None:
    assert clean_text("Wait\u2026 what happened next") == "Wait\u2026 what happened next"


# --- shorten ---------------------------------------------------------------------------------

LONG = (
    "The pay of oil company executives has jumped 52%, but the bosses bitterly resist. "
    "While many European countries have had strikes and protests, France is where hundreds "
    "of thousands of workers have taken to the streets."
)


def test_shorten_leaves_short_text_alone() -> None:
    assert shorten("Short enough.", 20) == "Short enough."
    assert shorten("x" * 20, 20) == "x" * 20


def test_shorten_cuts_at_a_sentence_end_when_close() -> None:
    assert shorten(LONG, 100) == (
        "The pay of oil company executives has jumped 52%, but the bosses bitterly resist."
    )


def test_shorten_cuts_at_a_word_when_no_sentence_end_is_close() -> None:
    result = shorten(LONG, 60)
    assert result == "The pay of oil company executives has jumped 52%, but the\u2026"
    assert len(result) <= 60


def test_shorten_drops_dangling_punctuation_before_the_ellipsis() -> None:
    assert shorten("Alpha beta, gamma delta epsilon", 13) == "Alpha beta\u2026"


def test_shorten_hard_cuts_one_long_word() -> None:
    assert shorten("a" * 50, 10) == "a" * 9 + "\u2026"


def test_shorten_skips_abbreviations_as_sentence_ends() -> None:
    text = "Troops from the U.S. intervened in Haiti again and again over the last century."
    assert shorten(text, 60) == "Troops from the U.S. intervened in Haiti again and again\u2026"


@pytest.mark.parametrize("limit", [1, 2, 5, 17, 40, 99, 150, 400])
def test_shorten_never_exceeds_the_limit(limit: int) -> None:
    assert len(shorten(LONG, limit)) <= limit


def test_shorten_rejects_a_zero_limit() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        shorten("text", 0)


# --- shorten counts what Telegram counts: UTF-16 units --------------------------------------

ASTRAL = "😀🌍𝕏𐍈🀄"  # outside the BMP: two UTF-16 units each


def test_utf16_len_counts_astral_characters_twice() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("😀") == 2
    assert utf16_len("é😀") == 3


def test_shorten_counts_utf16_units_not_code_points() -> None:
    title = "😀" * 2100  # 2,100 code points, 4,200 units: Telegram refuses it at 4,096
    cut = shorten(title, 4096)
    assert utf16_len(cut) <= 4096 and cut.endswith(ELLIPSIS)
    assert cut == "😀" * 2047 + ELLIPSIS


def test_shorten_cuts_astral_text_at_a_word() -> None:
    words = " ".join(["😀😀😀"] * 10)  # words of 6 units, 69 units in all
    assert shorten(words, 20) == "😀😀😀 😀😀😀" + ELLIPSIS


def test_shorten_cuts_astral_text_at_a_sentence() -> None:
    text = "😀 workers rise. " + "🌍" * 40  # 17 units, then 80
    assert shorten(text, 30) == "😀 workers rise."


def test_shorten_leaves_astral_text_that_fits_alone() -> None:
    assert shorten("😀" * 10, 20) == "😀" * 10
    assert shorten("😀" * 10, 19) == "😀" * 9 + ELLIPSIS


_PROSE = st.text(alphabet=st.sampled_from([*ASTRAL, "a", "é", " ", ".", ",", "\n"]), max_size=400)


@given(text=_PROSE | st.text(max_size=400), limit=st.integers(min_value=1, max_value=500))
def test_shorten_fits_any_text_in_utf16_units_without_splitting_a_character(
    text: str, limit: int
) -> None:
    cut = shorten(text, limit)
    assert utf16_len(cut) <= limit
    kept = cut.removesuffix(ELLIPSIS) if cut != text else cut
    assert text.startswith(kept)  # a prefix in whole code points: no half surrogate pair
    cut.encode("utf-16-le", errors="strict")
