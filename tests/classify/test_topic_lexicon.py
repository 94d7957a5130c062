"""The topic lexicon covers issue 9's error classes in English, Spanish, French and Portuguese.

Written for this test (not taken from the corpus): arrests, detentions and charges are
repression; coups, transitions and term extensions are democracy; closed outlets and
revoked licences are media; the other slugs have their everyday words in all four languages.
And the misfires: "the war on drugs", "Invasion Day" and a school strike for the climate are
not war or labor.
"""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.topics import TOPICS, load_topics
from bot.errors import DataError


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        # repression: arrests, detentions, charges, house arrest
        ("Activist held incommunicado for two weeks", "repression"),
        ("Opposition leader indicted after the vote", "repression"),
        ("Apresados doce activistas tras la jornada", "repression"),
        ("Imputados cinco dirigentes sociales", "repression"),
        ("Trois militants écroués à Dakar", "repression"),
        ("Deux journalistes mis en examen", "repression"),
        ("Ativista indiciado pela polícia", "repression"),
        # democracy: coups, transitions, term extensions
        ("President moves to extend his term to 2030", "democracy"),
        ("Denuncian la ruptura del orden constitucional", "democracy"),
        ("Le président brigue un quatrième mandat", "democracy"),
        ("Militares anunciam governo de transição", "democracy"),
        # media: outlets closed, licences revoked
        ("Regulator revokes a broadcasting licence", "media"),
        ("Cierre de medios en la provincia", "media"),
        ("Un hebdomadaire indépendant ferme ses portes", "media"),
        ("Emissora independente fechada", "media"),
        # the other slugs in the other languages
        ("Sube la canasta básica otra vez", "economy"),
        ("Hausse des prix du pain", "economy"),
        ("Milhares de pessoas em situação de rua", "housing"),
        ("Hébergement d'urgence saturé", "housing"),
        ("Le mouvement étudiant se réveille", "education"),
        ("Lei Maria da Penha faz 18 anos", "women"),
        ("Excision : une pratique qui recule", "women"),
        ("Demarcação de terras avança no Pará", "indigenous"),
        ("Les peuples premiers de Guyane", "indigenous"),
        ("Latifundistas contra la ley", "land"),
        ("La transhumance sous tension", "land"),
        ("Centres de rétention saturés", "migration"),
        ("Naufragio frente a la costa", "migration"),
        ("Pilonnages intenses sur la ville", "war"),
        ("Grupos armados toman el pueblo", "war"),
        ("Orpaillage illégal en forêt", "climate"),
        ("Derrame de petróleo en el río", "climate"),
        ("Gaz de schiste : le débat revient", "energy"),
        ("Cortes de luz en todo el país", "energy"),
        ("Suppressions d'emplois chez le constructeur", "labor"),
        ("Negociación colectiva estancada", "labor"),
        ("Les personnes racisées face aux contrôles", "racism"),
        ("Movimento negro denuncia violência", "racism"),
        ("Déserts médicaux dans les campagnes", "health"),
        ("Brote de sarampión en la región", "health"),
        ("Piqueteros cortan la autopista", "protest"),
        ("Journée ville morte à Kinshasa", "protest"),
        # Spanish and Portuguese words carried over from the English and French lists
        ("Militares toman el poder y suspenden la Carta Magna", "democracy"),
        ("Gobierno prorroga el mandato presidencial por decreto", "democracy"),
        ("Governo adia as eleições e prorroga a transição", "democracy"),
        ("Allanaron la sede de un sindicato campesino", "repression"),
        ("Polícia invade sede de movimento e prende lideranças", "repression"),
    ],
)
def test_issue_error_classes_and_languages(classifier: Classifier, title: str, slug: str) -> None:
    assert slug in classifier.classify(title).topics


def test_spanish_and_portuguese_lists_are_not_far_behind_french() -> None:
    """Readers in three languages get the same reach: no topic's Spanish or Portuguese
    strong words are under half its French ones (shared spellings count for both)."""
    for item in TOPICS:
        french = item.language("fr")
        assert french is not None
        for language in ("es", "pt"):
            words = item.language(language)
            assert words is not None
            assert 2 * len(words.terms) >= len(french.terms), (item.slug, language)


def test_every_required_topic_has_strong_words_in_every_language() -> None:
    required = {item.slug for item in TOPICS} - {"lgbtq", "land", "imperialism"}
    for item in TOPICS:
        if item.slug not in required:
            continue
        for language in ("en", "es", "fr", "pt"):
            words = item.language(language)
            assert words is not None and len(words.terms) >= 5, (item.slug, language)


@pytest.mark.parametrize(
    ("title", "wrong", "right"),
    [
        ("Invasion Day rallies draw thousands across Australia", "war", "protest"),
        ("President's war against fake news alarms reporters", "war", "media"),
        ("México: guerra contra el periodismo", "war", "media"),
        ("Guerre à la pauvreté : le plan du gouvernement", "war", "economy"),
        ("Guerra comercial entre Estados Unidos y China", "war", "economy"),
        ("Climate strike: thousands of pupils skip school", "labor", "climate"),
    ],
)
def test_figures_of_speech_holidays_and_climate_strikes_are_not_the_word(
    classifier: Classifier, title: str, wrong: str, right: str
) -> None:
    topics = classifier.classify(title).topics
    assert wrong not in topics
    assert right in topics or right == "protest"  # "rallies" alone is a weak word


@pytest.mark.parametrize(
    "title",
    [
        "Israel's war on Gaza enters its second year",
        "La guerra contra Ucrania cumple dos años",
        "La guerre contre l'Ukraine s'enlise",
        "Russia's war against Ukraine",
    ],
)
def test_a_war_on_a_named_place_is_still_war(classifier: Classifier, title: str) -> None:
    assert "war" in classifier.classify(title).topics


def test_a_figurative_entry_must_watch_a_topic_word() -> None:
    text = (
        '[topics.war]\nname = "War"\ndescription = "d"\nemoji = "x"\n'
        '[topics.war.en]\nterms = ["war"]\n'
        '[figurative]\nwords = ["battle"]\n'
    )
    with pytest.raises(DataError, match='"battle" is no topic word'):
        load_topics(text)


def test_routine_politics_is_not_democracy_without_a_strong_word(classifier: Classifier) -> None:
    # democracy's weak words fill everyday political news: they only back up a strong one
    assert "democracy" not in classifier.classify("Opposition leader addresses parliament").topics
    assert "democracy" in classifier.classify("Opposition leader denounces the coup").topics


def test_weak_alone_must_be_a_boolean() -> None:
    text = (
        '[topics.war]\nname = "War"\ndescription = "d"\nemoji = "x"\nweak_alone = "no"\n'
        '[topics.war.en]\nterms = ["war"]\n'
    )
    with pytest.raises(DataError, match='"weak_alone" must be true or false'):
        load_topics(text)


@pytest.mark.parametrize(
    ("title", "slugs"),
    [
        ("Tenants in Parkdale launch a rent strike", {"housing", "protest"}),
        ("Pride march fills the avenue", {"lgbtq", "protest"}),
        ("Parada do Orgulho reúne milhares", {"lgbtq", "protest"}),
        ("La huelga feminista paraliza el país", {"women", "protest"}),
        ("Teachers protest over unpaid salaries", {"labor", "protest", "education"}),
        ("Police dispersed protesters with teargas", {"repression", "protest"}),
    ],
)
def test_a_word_can_count_for_two_topics(
    classifier: Classifier, title: str, slugs: set[str]
) -> None:
    assert slugs <= set(classifier.classify(title).topics)


@pytest.mark.parametrize(
    ("title", "right", "wrong"),
    [
        # emergency rule is democracy, an internet shutdown censorship (LABELLING.md)
        ("Government declares a state of emergency for 90 days", "democracy", "repression"),
        ("Internet shutdown ahead of the vote count", "media", "repression"),
        # a murder is not repression by itself; murdered journalists are media
        ("Asesinados tres periodistas en Veracruz", "media", "repression"),
        # Spanish and French "unión"/"union" is unity, not a trade union
        ("La unión de los campesinos frente al despojo", "land", "labor"),
        # a pension reform is a labour fight; the corpus labels it economy one time in four
        ("Réforme des retraites : le texte adopté", "labor", "economy"),
        ("Protestas contra la reforma de pensiones", "labor", "economy"),
    ],
)
def test_words_go_to_the_topic_the_labelling_rules_name(
    classifier: Classifier, title: str, right: str, wrong: str
) -> None:
    topics = classifier.classify(title).topics
    assert right in topics and wrong not in topics


@pytest.mark.parametrize(
    ("also", "message"),
    [
        ('"general strike" = ["protest"]', '"general strike" is no topic word'),
        ('"war" = ["war"]', '"war" already counts for "war"'),
        ('"war" = ["peace"]', '"war" points to unknown topic "peace"'),
    ],
)
def test_the_also_table_is_checked(also: str, message: str) -> None:
    text = (
        '[topics.war]\nname = "War"\ndescription = "d"\nemoji = "x"\n'
        '[topics.war.en]\nterms = ["war"]\n'
        '[topics.protest]\nname = "Protest"\ndescription = "d"\nemoji = "x"\n'
        '[topics.protest.en]\nterms = ["protest"]\n'
        f"[also]\n{also}\n"
    )
    with pytest.raises(DataError, match=message):
        load_topics(text)
