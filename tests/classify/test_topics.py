"""The topic table: required slugs, unique terms, and that terms tag the right topic."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.gazetteer import PlaceKind, key, place_names
from bot.classify.topics import NOT_TOPICS, TOPICS, topic

REQUIRED = (
    *("labor", "protest", "health", "economy", "elections", "democracy", "repression"),
    *("indigenous", "women", "climate", "energy", "war", "migration", "housing"),
    *("education", "media", "racism"),
)


def test_required_topics_exist() -> None:
    slugs = [item.slug for item in TOPICS]
    assert len(slugs) == len(set(slugs))
    for slug in REQUIRED:
        assert slug in slugs


def test_topics_are_complete() -> None:
    for item in TOPICS:
        assert item.slug == item.slug.lower()
        assert item.name and item.description and item.emoji
        assert item.terms
        assert item.label == f"{item.emoji} {item.name}"


def test_no_term_belongs_to_two_topics() -> None:
    owner: dict[str, str] = {}
    for item in TOPICS:
        for term in (*item.terms, *item.weak):
            folded = key(term)
            assert owner.setdefault(folded, item.slug) == item.slug, term


def test_no_term_is_also_a_place() -> None:
    # a national body may be both ("MST" is a land movement and Brazil): readers never
    # subscribe to those names, so they make no word ambiguous
    places = {
        key(name.phrase)
        for name in place_names()
        if name.code and name.kind is not PlaceKind.LEADER
    }
    for item in TOPICS:
        for term in (*item.terms, *item.weak):
            assert key(term) not in places, term


def test_redirects_point_to_real_topics() -> None:
    for slug in NOT_TOPICS.values():
        assert slug == "" or topic(slug) is not None


def test_topic_lookup() -> None:
    labor = topic("LABOR")
    assert labor is not None
    assert labor.name == "Labor"
    assert topic("nothing") is None


def _topics(title: str, text: str = "") -> tuple[str, ...]:
    return Classifier.default().classify(title, text).topics


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Strikers hold the line at the port", "labor"),
        ("Amazon warehouse workers vote to unionize", "labor"),
        ("Baristas unionized in record numbers", "labor"),
        ("Striking workers block the gates", "labor"),
        ("Nurses strike over staffing", "labor"),
        ("Protesters fill the square", "protest"),
        ("Demonstrations spread to the capital", "protest"),
        ("Thousands took to the streets", "protest"),
        ("Hunger strike enters its third week", "protest"),
        ("Evictions surge as rents climb", "housing"),
        ("Refugees stranded at the border", "migration"),
        ("Teachers demand smaller classrooms", "education"),
        ("Journalists arrested for reporting", "media"),
        ("Femicides rise, feminists respond", "women"),
        ("Drone strikes kill civilians", "war"),
        ("Climate change fuels drought", "climate"),
        ("Coup attempt fails", "democracy"),
        ("Tear gas fired at crowds", "repression"),
        ("Mapuche communities defend their land", "indigenous"),
        ("Runoff election set for June", "elections"),
        ("Inflation hits record high", "economy"),
        ("Power grid collapses in heatwave", "energy"),
        ("Apartheid laws condemned", "racism"),
        ("Dockers stop work for Juneteenth", "racism"),
        ("Un manifestante murió en Arequipa", "protest"),
        ("Comunidad denuncia la explotación petrolera", "energy"),
        ("Forest fires ravage the south", "climate"),
        ("Colombia's peace process stalls", "war"),
        ("Hundreds arbitrarily arrested after the march", "repression"),
        ("Cuba denounces the economic blockade", "imperialism"),
        ("Press coverage of the strike slumps", "media"),
    ],
)
def test_terms_and_inflections(title: str, slug: str) -> None:
    assert slug in _topics(title)


@pytest.mark.parametrize(
    ("title", "text", "slug"),
    [
        # A single weak word is not enough.
        ("Report due on March 8", "", "protest"),
        ("Meeting set for early March", "", "protest"),
        ("Air strikes hit Gaza", "Israeli air strikes killed dozens.", "labor"),
        ("Court to strike down the law", "", "labor"),
        ("European Union summit", "Leaders of the European Union met.", "labor"),
        ("Labour Party conference opens", "", "labor"),
        ("The ice melts in spring", "", "migration"),
        ("Company tells workers about new canteen", "", "labor"),
        ("Leaders gather in Brussels", "They will campaign for a summit.", "elections"),
        ("Baristas vote to unionize", "Workers voted to join the union.", "elections"),
        # Phrases that hide a term.
        ("Authors on the insane asylum", "", "migration"),
        ("Strikes kill women and children", "", "women"),
        ("Right wing steps up destabilization campaign", "", "elections"),
        ("Minister calls press conference", "", "media"),
    ],
)
def test_weak_or_hidden_words_do_not_tag(title: str, text: str, slug: str) -> None:
    assert slug not in _topics(title, text)


def test_topics_listed_as_examples_are_weak() -> None:
    text = (
        "Whether it is racial justice, immigration or fossil fuels, the country is divided. "
        "Activists say the divide is growing."
    )
    assert _topics("How to organise in a divided country", text) == ()
    # named on their own, the same words count in full
    assert _topics("", "The new immigration law passed.") == ("migration",)


def test_capital_terms_match_only_in_capitals() -> None:
    assert "migration" in _topics("ICE raids terrify families")
    assert "migration" not in _topics("Thin ice on the lake")
