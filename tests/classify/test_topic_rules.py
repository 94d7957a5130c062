"""Topic rules that tell a subject from a word in passing, and slug pairs the labelling
rules (tests/fixtures/classify/LABELLING.md) keep together.

The teasers are written for these tests, not taken from the corpus.
"""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


def _topics(classifier: Classifier, title: str, text: str = "") -> tuple[str, ...]:
    return classifier.classify(title, text).topics


# Salience: a secondary topic named by one strong word after the teaser's first sentence.

_DOCKERS = "Dockers stop work at the port"
_TAIL = (
    "Union members walked out on Monday over unpaid wages. "
    "The city is also living through a hunger crisis this year."
)


def test_a_second_topic_named_once_in_the_teasers_tail_is_dropped(
    classifier: Classifier,
) -> None:
    topics = _topics(classifier, _DOCKERS, _TAIL)
    assert "labor" in topics
    assert "economy" not in topics


def test_the_dropped_topic_is_still_shown_to_why(classifier: Classifier) -> None:
    explanation = classifier.explain(_DOCKERS, _TAIL)
    assert "economy" in explanation.dropped
    assert "hunger crisis" in explanation.words_for("economy")


def test_the_same_word_in_the_first_sentence_is_a_subject(classifier: Classifier) -> None:
    text = (
        "Union members walked out on Monday amid a hunger crisis. "
        "They also want their unpaid wages."
    )
    assert {"labor", "economy"} <= set(_topics(classifier, _DOCKERS, text))


def test_two_strong_words_in_the_tail_are_a_subject(classifier: Classifier) -> None:
    text = (
        "Union members walked out on Monday over unpaid wages. "
        "Inflation and austerity have cut what those wages buy."
    )
    assert "economy" in _topics(classifier, _DOCKERS, text)


def test_the_main_topic_stays_however_late_it_is_named(classifier: Classifier) -> None:
    text = "Hundreds gathered on Monday morning. They were marching against austerity."
    assert _topics(classifier, "A long day in the capital", text)[:1] == ("economy",)


# Slug pairs: fuel prices are energy and economy; a hunger strike is protest and repression.


@pytest.mark.parametrize(
    "title",
    [
        "Government raises fuel prices again",
        "Nigeria ends the fuel subsidy",
        "Sube el precio de los combustibles",
        "Governo anuncia subida do preço dos combustíveis",
        "Le gouvernement bloque le prix des carburants",
    ],
)
def test_fuel_prices_are_energy_and_economy(classifier: Classifier, title: str) -> None:
    assert {"energy", "economy"} <= set(_topics(classifier, title))


@pytest.mark.parametrize(
    "title",
    [
        "Dozens refuse food as a hunger strike enters its third week",
        "Entra en su tercera semana la huelga de hambre",
        "Greve de fome chega ao vigésimo dia",
        "La grève de la faim entre dans sa troisième semaine",
    ],
)
def test_a_hunger_strike_is_protest_and_repression(classifier: Classifier, title: str) -> None:
    assert {"protest", "repression"} <= set(_topics(classifier, title))


# Set phrases and figures of speech.


def test_sin_embargo_is_however_not_an_embargo(classifier: Classifier) -> None:
    text = "Sin embargo, el gobierno insiste en que el desempleo bajará este año."
    assert "imperialism" not in _topics(classifier, "Sube el desempleo en el país", text)


@pytest.mark.parametrize(
    "title",
    [
        "The war cry of the new season",
        "Un nuevo grito de guerra en las gradas",
        "Le cri de guerre des supporters",
        "Os gritos de guerra da claque",
    ],
)
def test_a_war_cry_is_no_war(classifier: Classifier, title: str) -> None:
    assert "war" not in _topics(classifier, title)


def test_a_campaign_against_a_quoted_common_noun_is_no_war(classifier: Classifier) -> None:
    title = "President's war against 'fake news' worries editors"
    assert "war" not in _topics(classifier, title)


def test_war_against_a_named_place_stays_war(classifier: Classifier) -> None:
    title = "President's war against 'Gaza' continues"
    assert "war" in _topics(classifier, title)


def test_em_marcha_is_set_in_motion_not_a_march(classifier: Classifier) -> None:
    text = "O governo pôs em marcha um plano para as estradas do interior."
    assert "protest" not in _topics(classifier, "Novo plano do governo", text)


# Weak words that name who acts, not what the story is about.


def test_activists_alone_are_no_protest(classifier: Classifier) -> None:
    text = "The activists met the minister to discuss the report."
    assert "protest" not in _topics(classifier, "Activists meet the minister", text)


def test_peace_alone_is_no_war(classifier: Classifier) -> None:
    text = "The region was declared a zone of peace; leaders met again for peace."
    assert "war" not in _topics(classifier, "A summit for peace", text)


# Portuguese: words its lists lacked (Spanish spellings fold to many Portuguese ones, not these).


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Deputados aprovam a reforma trabalhista", "labor"),
        ("Operária morre em acidente de trabalho", "labor"),
        ("Milhares foram às ruas contra o governo", "protest"),
        ("Endividamento das famílias bate recorde", "economy"),
        ("Pleito municipal termina com apuração lenta", "elections"),
        ("Militares decretam estado de exceção", "democracy"),
        ("Letalidade policial cresce no Rio", "repression"),
        ("Violência obstétrica denunciada em maternidade", "women"),
        ("Estiagem atinge o nordeste", "climate"),
        ("Artilharia atinge a cidade", "war"),
        ("Antirracismo nas escolas", "racism"),
    ],
)
def test_portuguese_words(classifier: Classifier, title: str, slug: str) -> None:
    assert slug in _topics(classifier, title)


@pytest.mark.parametrize(
    ("title", "text", "slug"),
    [
        ("Fighting rages in North Kivu", "A siege of the town went on.", "war"),
        ("Guam's governor backs the military buildup", "", "war"),
        ("Congress extends the state of exception", "", "democracy"),
        ("El Congreso prorroga los estados de excepción", "", "democracy"),
        ("Activists red-tagged by officials", "", "repression"),
        ("Student jailed under lèse-majesté law", "", "repression"),
        ("Fuel queues return amid a forex shortage", "", "economy"),
    ],
)
def test_words_found_missing_on_the_second_tuning_part(
    classifier: Classifier, title: str, text: str, slug: str
) -> None:
    assert slug in _topics(classifier, title, text)


def test_the_dead_of_a_protest_with_no_word_of_war_are_repression(
    classifier: Classifier,
) -> None:
    title = "Protestos contra o governo deixam 11 mortos e dezenas de feridos"
    found = classifier.explain(title, "Polícia local realizou disparos.")
    assert "repression" in found.tags.topics and "war" not in found.tags.topics
    assert "mortos" in found.words_for("repression")  # /why names the words it moved
    # a word of war keeps the dead the war's, beside the protest
    war = "Protests in the capital as an airstrike leaves 11 killed in the north"
    assert "war" in classifier.classify(war).topics
    # with no protest, the dead are still the war's weak words ("soldiers killed")
    assert "repression" not in classifier.classify("Soldiers killed in ambush").topics
