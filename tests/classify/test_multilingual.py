"""Spanish, French and Portuguese text: demonyms in their own forms and topic words per language."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Le président tchadien est mort au front", "TD"),
        ("La contestation sénégalaise va au-delà de l'affaire", "SN"),
        ("Les Sénégalaises manifestent", "SN"),
        ("Os moçambicanos saem à rua", "MZ"),
        ("Los hondureños votaron el domingo", "HN"),
        ("Caboverdianos são chamados às urnas", "CV"),
        ("Les autorités marocaines ont interpellé un militant", "MA"),
        ("El gobierno senegalés anuncia medidas", "SN"),
        ("Manifestantes iraníes en la calle", "IR"),
        ("La Corée du Nord tire un missile", "KP"),
        ("Sassou Nguesso veut l'emporter dès le premier tour", "CG"),
        ("Ucrania lanza su mayor ataque contra Rusia", "RU"),
        ("La Syrie et l'Irak", "IQ"),
        ("PNG, Fiji situation a concern", "PG"),
        ("St Vincent PM wants a meeting", "VC"),
    ],
)
def test_demonyms_and_names_in_other_languages(
    classifier: Classifier, title: str, code: str
) -> None:
    assert code in classifier.classify(title).countries


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("L'Algérie compte plus de 200 détenus d'opinion", "repression"),
        ("Au Togo, les arrestations se poursuivent", "repression"),
        ("Turkey detains journalists in raids", "repression"),
        ("Opposition leader under house arrest", "repression"),
        ("Presos políticos condenados a veinte años de cárcel", "repression"),
        ("La junte militaire prolonge la transition", "democracy"),
        ("Soldiers seized power and dissolved the government", "democracy"),
        ("Eleições municipais decorrem em outubro", "elections"),
        ("Présidentielle : le candidat sortant veut l'emporter au premier tour", "elections"),
        ("Un journaliste détenu sans inculpation", "media"),
        ("Riscos crescentes para jornalistas", "media"),
        ("La dette publique et le FMI", "economy"),
        ("Custo de vida e inflação sobem", "economy"),
        ("Expulsions locatives : fin de la trêve hivernale", "housing"),
        ("Grève générale des syndicats", "labor"),
        ("Milhares de manifestantes em protesto", "protest"),
        ("Decenas de miles de personas toman las calles de Madrid", "protest"),
        ("Estudantes tomam as ruas de Lisboa", "protest"),
        ("Le changement climatique et la sécheresse", "climate"),
        ("Les enseignants et les élèves", "education"),
        ("Violences faites aux femmes : les féminicides augmentent", "women"),
        ("Cessez-le-feu après des bombardements", "war"),
        ("Réfugiés et demandeurs d'asile à la frontière", "migration"),
        ("Parents face fines and jail time", "repression"),
        ("La police et le contrôle au faciès", "racism"),
        ("Vanuatu PM wins confidence vote", "democracy"),
    ],
)
def test_topic_words_in_every_language(classifier: Classifier, title: str, slug: str) -> None:
    assert slug in classifier.classify(title).topics


def test_a_school_strike_for_the_climate_is_not_a_labour_dispute(classifier: Classifier) -> None:
    tags = classifier.classify("Greve às aulas pelo clima dá a volta ao mundo")
    assert "labor" not in tags.topics and "protest" in tags.topics


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Attacks on journalists in Chiapas", "MX"),
        ("Learners in Limpopo miss school meals", "ZA"),
        ("Cientos de mujeres marcharon en Neuquén", "AR"),
        ("Rio Grande do Sul recebe alerta para novas enchentes", "BR"),
        ("Les enseignants manifestent à Québec", "CA"),
        ("Fighting in North Kivu", "CD"),
        # US states as Spanish, French and Portuguese write them
        ("Huelga de maestros en Carolina del Norte", "US"),
        ("Manifestation en Californie contre les expulsions", "US"),
        ("Eleição no Novo México", "US"),
    ],
)
def test_a_state_or_province_places_the_story(
    classifier: Classifier, title: str, code: str
) -> None:
    assert classifier.classify(title).countries == (code,)


def test_a_feminist_strike_is_about_women_not_a_labour_dispute(classifier: Classifier) -> None:
    tags = classifier.classify("Una huelga feminista de seis millones de participantes")
    assert "women" in tags.topics and "labor" not in tags.topics
