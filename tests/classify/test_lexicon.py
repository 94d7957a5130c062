"""Issue 9, countries, third round: the lexicon that places a story naming no country, by
a mid-size city, a leader or a national body, and what it must not count (outlets,
acronyms that are everyday words, a city that only names a meeting)."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.gazetteer import PlaceKind, place_names
from bot.classify.normalize import key
from bot.classify.topics import TABLE as TOPIC_TABLE
from bot.models import Unresolved, UnresolvedReason
from bot.query.resolver import Resolver


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


def _countries(classifier: Classifier, title: str, text: str = "") -> tuple[str, ...]:
    return classifier.classify(title, text).countries


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Teachers walk out across Grenoble schools", ("FR",)),
        ("Bloemfontein residents march against water cuts", ("ZA",)),
        ("Tenants confront landlord at New Haven City Hall", ("US",)),
    ],
)
def test_a_city_known_the_world_over_places_the_story(
    classifier: Classifier, title: str, expected: tuple[str, ...]
) -> None:
    assert _countries(classifier, title) == expected


def test_a_known_city_that_is_an_everyday_word_does_not(classifier: Classifier) -> None:
    assert _countries(classifier, "Van con todo contra las comunidades") == ()
    assert _countries(classifier, "Mobile phone workers strike over pay") == ()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Starmer faces revolt over welfare cuts", ("GB",)),
        ("Pezeshkian promises to ease internet restrictions", ("IR",)),
        ("Orban vows to veto the aid package", ("HU",)),  # accents folded: Orbán
        ("Sheinbaum presenta reforma eléctrica", ("MX",)),
    ],
)
def test_a_leaders_name_places_the_story(
    classifier: Classifier, title: str, expected: tuple[str, ...]
) -> None:
    assert _countries(classifier, title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("STF derruba marco temporal e garante terras indígenas", ("BR",)),
        ("Carabineros reprimen marcha estudiantil", ("CL",)),
        ("RATP drivers strike over night shifts", ("FR",)),
        ("Eskom announces stage six load shedding", ("ZA",)),
        ("The Bundestag votes on the pension reform", ("DE",)),
    ],
)
def test_a_national_body_acting_places_the_story(
    classifier: Classifier, title: str, expected: tuple[str, ...]
) -> None:
    assert _countries(classifier, title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "BBC reporters strike over pay cuts",
        "According to Al Jazeera, the talks collapsed",
        "Le Monde journalists vote a motion of no confidence",
    ],
)
def test_an_outlets_name_places_nothing(classifier: Classifier, title: str) -> None:
    assert _countries(classifier, title) == ()


def test_an_acronym_counts_only_as_written(classifier: Classifier) -> None:
    assert _countries(classifier, "AfD wins its first mayoralty") == ("DE",)
    # the French development agency and Brazil's PIS payments are not German or Polish parties
    assert _countries(classifier, "L'AFD finance des puits au Sénégal") == ("SN",)
    assert _countries(classifier, "Pagamento do PIS começa nesta semana") == ()
    assert _countries(classifier, "o pis e o pasep") == ()


def test_a_common_word_acronym_is_no_institution(classifier: Classifier) -> None:
    # "PT", "PP", "CUT", "MP" are words or several countries' bodies: none is a place word
    assert _countries(classifier, "El PP y la CUT firman con el MP") == ()
    leaders = {key(name.phrase) for name in place_names() if name.kind is PlaceKind.LEADER}
    assert not {"pt", "pp", "cut", "mp", "ps", "cgt", "ugt", "tuc", "bbc"} & leaders


def test_a_city_that_names_a_meeting_is_its_venue(classifier: Classifier) -> None:
    title = "Call issued for mass climate action before Paris meeting"
    assert _countries(classifier, title) == ()
    assert _countries(classifier, "Strikers block roads in Paris") == ("FR",)


def test_no_generated_city_takes_a_topic_word() -> None:
    words = {key(term) for item in TOPIC_TABLE.topics for term in (*item.terms, *item.weak)}
    cities = {key(name.phrase) for name in place_names() if name.kind is PlaceKind.CITY}
    assert "qom" in words  # a people, as the indigenous topic knows them, and an Iranian city
    assert not cities & words


@pytest.mark.parametrize("term", ["Starmer", "STF", "Bundestag", "Carabineros"])
def test_leaders_and_bodies_are_never_offered_as_subscriptions(term: str) -> None:
    result = Resolver.default().resolve(term)
    assert isinstance(result, Unresolved)
    assert (result.reason, result.suggestions) == (UnresolvedReason.UNKNOWN, ())


def test_a_name_that_is_another_countrys_capital_places_nothing(classifier: Classifier) -> None:
    # San Jose, California is bigger, but San José is Costa Rica's capital
    assert _countries(classifier, "Protesta en San José contra el alza del combustible") == ()
