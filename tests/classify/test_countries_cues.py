"""Issue 9, countries, second round: the matcher's context cues and the cheap looks that
keep the classifier fast (same answers as the plain forms), a title's one-person nouns,
and a name said once for two places ("North and South Korea")."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classify import context
from bot.classify.classifier import (
    Classifier,
    _all_caps,
    _Field,
    _has_upper,
    _looks_title_case,
)
from bot.classify.matcher import Matcher
from bot.classify.normalize import _ALIGN, _UNALIGNED, align


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build()


def test_the_scan_notes_cue_groups_even_inside_a_word(matcher: Matcher) -> None:
    assert matcher.scan(align("A Soviet-style reform in Peru")).cues == {"comparison"}
    assert "territory" in matcher.scan(align("Guam, a US territory")).cues
    assert "based_in" in matcher.scan(align("the NGO is Oslo-based")).cues  # inside "oslo based"
    assert matcher.scan(align("Protests in Lima")).cues == frozenset()


def test_a_field_without_the_cue_word_skips_the_regex_yet_answers_the_same(
    classifier: Classifier,
) -> None:
    # the territory rule still works where its word is written ...
    assert classifier.classify("Typhoon hits Guam, a US territory").countries == ("GU",)
    # ... and a comparison with its cue word
    assert "FR" not in classifier.classify("A French-style reform for Peru").countries


def test_trie_alternatives_match_every_word_and_prefer_the_longer() -> None:
    words = ["summit", "summits", "session", "sum", "a.b", "Mars", "mars", "march"]
    pattern = re.compile(f"(?:{context._alternatives(words)})")
    for word in words:
        assert pattern.fullmatch(word)
    assert not pattern.fullmatch("summ")
    found = pattern.match("summits")
    assert found is not None and found.group() == "summits"
    folded = re.compile(f"(?:{context._alternatives(words, ignore_case=True)})", re.IGNORECASE)
    assert folded.fullmatch("MARS") and folded.fullmatch("March")


def test_the_dateline_look_keeps_every_kind_of_dateline() -> None:
    assert context._may_be_dateline("BEIRUT (AP) - Strikes", 0)
    assert context._may_be_dateline("Lima, May 2 - The", 0)
    assert context._may_be_dateline("YEREVAN. Armenia said", 0)
    assert not context._may_be_dateline("The government of Peru said on Monday that", 0)
    assert context.frame_end("BEIRUT (AP) - Strikes hit the city.", 0) > 0


@pytest.mark.parametrize(
    "text",
    ["", "1234", "abc", "Abc", "ABC", "ªº", "1ª VEZ", "STRASSE ß", "ΟΔΟΣ", "İSTANBUL", "x" * 41],
)
def test_case_looks_agree_with_the_plain_definitions(text: str) -> None:
    has_upper = text.lower() != text
    assert _has_upper(text) == has_upper
    assert (has_upper and _all_caps(text)) == (has_upper and text.upper() == text)


def test_ascii_text_aligns_as_the_general_path_does() -> None:
    text = "Co-operation `quoted`\tand\x1f done"
    general = _UNALIGNED.sub(lambda found: _ALIGN[ord(found.group())], text.lower())
    assert align(text) == general


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .!?\"')]\n"))
def test_sentence_ends_are_the_end_marks_a_regex_finds(text: str) -> None:
    where = _Field.of("text", text)
    plain = [found.end() for found in re.finditer(r"[.!?]+[\"')\]]*\s", where.folded)]
    assert where.ends() == plain


def test_title_case_ignores_the_first_word_and_short_words() -> None:
    assert _looks_title_case("Protesters Clash With Police In Lima")
    assert not _looks_title_case("Protesters clash with police in Lima")
    assert not _looks_title_case("Protesters")


def test_a_title_one_person_noun_is_no_subject(classifier: Classifier) -> None:
    tags = classifier.classify(
        "Kyrgyz Deport Russian Rights Activist",
        "Kyrgyzstan deported a foreign human rights activist, campaigners said today.",
    )
    assert tags.countries == ("KG",)
    # the people of a country in the plural are often the story's own
    assert "RU" in classifier.classify("Russian Activists Detained After Rally").countries


@pytest.mark.parametrize(
    "title",
    [
        "Tensions rise between North and South Korea",
        "La Corée du Nord et du Sud discutent d'un accord",
        "Corea del Norte y del Sur firman un acuerdo",
    ],
)
def test_a_name_said_once_for_two_places_names_both(classifier: Classifier, title: str) -> None:
    assert set(classifier.classify(title).countries) == {"KP", "KR"}


def test_an_and_between_two_names_is_no_ellipsis(classifier: Classifier) -> None:
    assert classifier.classify("South Korea and Japan hold talks").countries == ("KR", "JP")
    assert classifier.classify("Protests in South Africa and Nigeria").countries == ("ZA", "NG")
