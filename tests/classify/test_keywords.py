"""Keyword phrases: the one matcher, checked against a plain definition of a whole-word match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classify.keywords import KeywordIndex, keyword_in
from bot.classify.normalize import phrase_form


def reference(phrase: str, text: str) -> bool:
    """The definition, the slow obvious way: the phrase's form, untouched by a word character."""
    form = phrase_form(phrase)
    if not any(ch.isalnum() for ch in form):
        return False
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", phrase_form(text)) is not None


@pytest.mark.parametrize(
    ("keyword", "text", "found"),
    [
        ("lithium mining", "Lithium-mining protest grows", True),
        ("lithium mining", "LITHIUM   MINING in the Andes", True),
        ("lithium-mining", "lithium mining", True),
        ("lithium", "Lithium\u2019s price", True),
        ("lithium", "lithiumite is not a word", False),
        ("peru", "Perú decide", True),
        ("perú", "PERU", True),
        ("oman", "a woman", False),
        ("u.s.", "The U.S. embassy", True),
        ("mining", "lithium", False),
        ("", "anything", False),
        ("!!!", "!!!", False),
    ],
)
def test_keyword_in(keyword: str, text: str, found: bool) -> None:
    assert keyword_in(keyword, text) is found
    assert reference(keyword, text) is found


PHRASES = st.text(alphabet="abcé -_'xyzAB\u2010", min_size=1, max_size=8)
TEXTS = st.text(alphabet="abcé -_'.xyzAB\n\u2010", max_size=40)


@given(phrase=PHRASES, text=TEXTS)
@settings(max_examples=300, deadline=None)
def test_keyword_in_is_the_reference_definition(phrase: str, text: str) -> None:
    assert keyword_in(phrase, text) == reference(phrase, text)


@given(phrases=st.lists(PHRASES, max_size=6), text=TEXTS)
@settings(max_examples=200, deadline=None)
def test_an_index_of_many_phrases_finds_what_each_phrase_alone_finds(
    phrases: list[str], text: str
) -> None:
    assert KeywordIndex(phrases).found(text) == {p for p in phrases if reference(p, text)}


def test_keyword_index_finds_every_followed_phrase_once_per_scan() -> None:
    index = KeywordIndex(["lithium", "Lithium Mining", "copper", "oman"])
    assert index.found("Lithium-mining protest near the copper mine") == {
        "lithium",
        "Lithium Mining",
        "copper",
    }
    assert index.found("a woman spoke") == set()
    assert KeywordIndex([]).found("anything") == set()


def test_spellings_of_one_phrase_are_all_reported() -> None:
    index = KeywordIndex(["Lithium-Mining", "lithium mining"])
    assert index.found("lithium mining") == {"Lithium-Mining", "lithium mining"}
