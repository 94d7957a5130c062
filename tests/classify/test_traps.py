"""Issue #4's traps, each pinned: what an article is about, not what it happens to name."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


@pytest.mark.parametrize(
    ("title", "text", "countries"),
    [
        ("Protests in Congo", "Thousands marched in Kinshasa against the government.", ("CD",)),
        ("Congo-Brazzaville holds vote", "Voters in Brazzaville went to the polls.", ("CG",)),
        ("North Korea tests missile", "Pyongyang launched a missile.", ("KP",)),
        ("South Korean workers strike", "KCTU unions walked out in Seoul.", ("KR",)),
        ("Talks resume", "Talks on the Korean Peninsula resumed on Monday.", ()),
        # an author's affiliation is where the writer is, not what the article is about
        (
            "Peru: Mass Revolt Against Coup Continues",
            "Darragh O'Dwyer is a member of Socialist Alternative (England, Wales & Scotland). "
            "The Peruvian masses must rely on their own strength.",
            ("PE",),
        ),
        # the Lima Group is a club of governments, not Peru
        (
            "",
            "On January 5, the Lima Group called for countries to disregard Venezuela's new "
            "elected Legislative Assembly.",
            ("VE",),
        ),
        # Spanish sources: names, lower-case demonyms and leaders
        ("Huelga en Lima", "Los trabajadores peruanos marcharon contra el gobierno.", ("PE",)),
        ("", "El personal sanitario húngaro denuncia un precario sistema de salud.", ("HU",)),
        ("Maduro speaks", "Maduro denounced the sanctions.", ("VE",)),
    ],
)
def test_countries(
    classifier: Classifier, title: str, text: str, countries: tuple[str, ...]
) -> None:
    assert classifier.classify(title, text).countries == countries


def test_a_category_that_is_a_place_is_strong_but_a_phrase_naming_one_is_not(
    classifier: Classifier,
) -> None:
    assert classifier.classify("A report", "The vote is on Sunday.", ["Peru"]).countries == ("PE",)
    tags = classifier.classify(
        "Petro's government under attack",
        "Colombia's right is on the offensive.",
        ["Colombia national strike"],
    )
    assert tags.countries == ("CO",)
    assert "labor" not in tags.topics  # "national strike" in a tag name is not a strike story
    tags = classifier.classify("Kissinger dies", "He was a war criminal.", ["Salvador Allende"])
    assert "SV" not in tags.countries


def test_spanish_topics(classifier: Classifier) -> None:
    tags = classifier.classify(
        "Los españoles desafían a Rajoy en huelga general",
        "España vivió ayer su primera huelga general convocada por los sindicatos.",
    )
    assert tags.countries == ("ES",)
    assert tags.topics[0] == "labor"
