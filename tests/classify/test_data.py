"""The data files in bot/data/: they load into typed tables, and each check refuses bad data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.classify import gazetteer, geodata, topics
from bot.classify.gazetteer import check_topics, place_names
from bot.classify.geodata import PLACES_FILE, PlaceTable, load_places
from bot.classify.regions import check_region_names
from bot.classify.topics import (
    LANGUAGES,
    TOPICS,
    TOPICS_FILE,
    Topic,
    TopicTable,
    Words,
    load_topics,
    topic,
)
from bot.errors import ConfigError, DataError

LABOR = """
[topics.labor]
name = "Labor"
description = "Workers, unions, strikes and wages"
emoji = "✊"

[topics.labor.en]
terms = ["strike action", "trade union"]
weak = ["strike"]
"""

PROTEST = """
[topics.protest]
name = "Protest"
description = "Protests"
emoji = "📣"

[topics.protest.en]
terms = ["protesters"]
"""

# Every section places.toml must have, each with one harmless entry.
PLACE_SECTIONS = {
    "aliases": 'PE = ["Peru"]',
    "local_aliases": 'PE = ["Arequipa"]',
    "demonyms": 'PE = ["Peruvian"]',
    "leaders": 'PE = ["Boluarte"]',
    "institutions": 'PE = ["Congreso"]',
    "demonyms_lower": 'PE = ["peruano"]',
    "ambiguous": '"congo" = ["CD", "CG"]',
    "region_names": 'latin-america = ["América Latina"]',
    "phrases": 'areas = ["Andes"]\nnot_places = ["Lima bean"]',
    "traps": (
        'not_cities = ["male"]\nperson_like = ["lima"]\nneeds_support = ["georgia"]\n'
        'not_translations = ["gana"]\nnot_titled = ["dane"]\n'
        'neighbour_stopwords = ["the"]\ngeneric_parts = ["strip"]'
    ),
    "context": "\n".join(
        f'{name} = ["{word}"]'
        for name, word in (
            ("months", "May"),
            ("masthead_joiners", "in"),
            ("bio_nouns", "member"),
            ("bio_verbs", "writes"),
            ("credit_words", "photo"),
            ("one_of", "activist"),
            ("state_bodies", "court"),
            ("acting_after", "forces"),
            ("acting_before", "bloqueo"),
            ("origin", "born"),
            ("comparison", "style"),
            ("based_in", "based"),
            ("language_after", "language"),
            ("language_before", "en"),
            ("ethnic", "ethnic"),
            ("territory", "territory"),
            ("meeting", "summit"),
            ("treaty", "treaty"),
        )
    ),
}


def places(**sections: str | None) -> str:
    """places.toml text: the harmless sections, with some replaced (or left out, for None)."""
    body = {**PLACE_SECTIONS, **sections}
    return "\n".join(f"[{name}]\n{text}\n" for name, text in body.items() if text is not None)


def test_data_error_is_a_config_error() -> None:
    assert issubclass(DataError, ConfigError)


# --- the bundled files ---------------------------------------------------------------------


def test_bundled_files_are_in_bot_data() -> None:
    assert TOPICS_FILE.name == "topics.toml" and TOPICS_FILE.parent.name == "data"
    assert PLACES_FILE.name == "places.toml" and PLACES_FILE.parent == TOPICS_FILE.parent
    assert TOPICS_FILE.is_file() and PLACES_FILE.is_file()


def test_bundled_topics_load_into_typed_entries() -> None:
    table = load_topics()
    assert isinstance(table, TopicTable)
    assert table.origin == "bot/data/topics.toml"
    assert table.topics == topics.TOPICS
    assert dict(table.not_topics) == dict(topics.NOT_TOPICS)
    for item in table.topics:
        assert isinstance(item, Topic)
        assert all(isinstance(words, Words) for words in item.words)
        # the flat lists are every language's words, English first
        assert item.words[0].language == "en"
        assert item.terms == tuple(term for words in item.words for term in words.terms)
        assert item.weak == tuple(term for words in item.words for term in words.weak)


def test_spanish_and_portuguese_terms_are_in_the_topic_entries() -> None:
    labor = topic("labor")
    assert labor is not None
    spanish = labor.language("es")
    portuguese = labor.language("pt")
    assert spanish is not None and portuguese is not None
    assert {"huelga", "huelga general", "sindicato"} <= set(spanish.terms)
    assert "trabajadores" in spanish.weak
    assert {"greve", "greve geral"} <= set(portuguese.terms)
    assert "trabalhadores" in portuguese.weak
    # and they are the words that run: the flat lists the matcher reads hold them
    assert {"huelga", "greve"} <= set(labor.terms)
    assert "trabalhadores" in labor.weak
    for slug, word in [("protest", "manifestación"), ("energy", "petróleo"), ("war", "guerra")]:
        found = topic(slug)
        assert found is not None
        words = found.language("es")
        assert words is not None and word in words.terms
        assert word in found.terms


def test_every_topic_has_strong_words_in_every_language() -> None:
    """Spanish, French and Portuguese stories need their own words for every topic."""
    for item in TOPICS:
        for code in LANGUAGES:
            words = item.language(code)
            assert words is not None and words.terms, (item.slug, code)


def test_french_words_load_into_the_entry() -> None:
    table = load_topics(
        LABOR + '\n[topics.labor.fr]\nterms = ["grève générale"]\nweak = ["grève"]\n'
    )
    (labor,) = table.topics
    french = labor.language("fr")
    assert french == Words("fr", ("grève générale",), ("grève",))
    assert labor.terms == ("strike action", "trade union", "grève générale")
    assert labor.weak == ("strike", "grève")


def test_bundled_places_load_into_a_typed_table() -> None:
    table = load_places()
    assert isinstance(table, PlaceTable)
    assert table == geodata.PLACES
    assert table.demonyms["PE"] == ("Peruvian",)
    assert "peruano" in table.demonyms_lower["PE"]
    assert "Burma" in table.aliases["MM"]
    assert table.ambiguous["congo"] == ("CD", "CG")
    assert "Latin America" in table.areas and "Lima bean" in table.not_places
    assert "georgia" in table.needs_support and "jordan" in table.person_like
    assert geodata.AREAS is geodata.PLACES.areas
    assert geodata.NEIGHBOUR_STOPWORDS is geodata.PLACES.neighbour_stopwords


def test_bundled_topics_pass_the_place_check() -> None:
    check_topics(load_topics(), place_names())


def test_a_small_good_file_loads_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(LABOR + PROTEST + '\n[not_topics]\n"air strike" = ""\n', encoding="utf-8")
    table = load_topics(path)
    assert table.origin == str(path)
    assert [item.slug for item in table.topics] == ["labor", "protest"]
    assert table.topics[0].label == "✊ Labor"
    assert dict(table.not_topics) == {"air strike": ""}


# --- the topic checks -------------------------------------------------------------------------


def test_a_term_in_two_topics_is_refused_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(LABOR + PROTEST + 'weak = ["Strike"]\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_topics(path)
    assert str(caught.value) == (f'{path}: topic "protest": term "Strike" is also in topic "labor"')


def test_a_term_in_two_languages_of_one_topic_is_fine() -> None:
    (labor,) = load_topics(LABOR + '\n[topics.labor.es]\nterms = ["trade union"]\n').topics
    assert labor.terms.count("trade union") == 2


def test_a_topic_term_that_is_a_place_is_refused() -> None:
    table = load_topics(LABOR.replace('"trade union"]', '"trade union", "Peruvians"]'))
    with pytest.raises(
        DataError, match=r'<topics>: topic "labor": term "Peruvians" is also a place name \(PE\)'
    ):
        check_topics(table, place_names())


def test_building_the_gazetteer_runs_the_place_check(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = load_topics(LABOR.replace('"trade union"]', '"trade union", "Peruvians"]'))
    monkeypatch.setattr(gazetteer, "TOPIC_TABLE", bad)
    with pytest.raises(DataError, match='term "Peruvians" is also a place name'):
        place_names.__wrapped__()


def test_a_national_body_may_also_be_a_topic_term() -> None:
    # "MST" is Brazil's landless movement: readers never subscribe to it as a place
    check_topics(
        load_topics(LABOR.replace('"trade union"]', '"trade union", "MST"]')), place_names()
    )


def test_a_redirect_to_an_unknown_topic_is_refused() -> None:
    text = LABOR + '\n[not_topics]\n"class war" = "lab0r"\n'
    with pytest.raises(
        DataError, match=r'\[not_topics\]: "class war" points to unknown topic "lab0r"'
    ):
        load_topics(text)


def test_a_word_both_strong_and_weak_is_refused() -> None:
    with pytest.raises(
        DataError, match=r'topic "labor": term "Trade Union" is both strong and weak'
    ):
        load_topics(LABOR.replace('weak = ["strike"]', 'weak = ["Trade Union"]'))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('terms = ["strike action", "trade union"]', "", 'topic "labor": has no strong terms'),
        ('emoji = "✊"', "", 'topic "labor": missing key "emoji"'),
        ('name = "Labor"', 'name = ""', 'topic "labor": "name" must be a non-empty string'),
        ("weak = ", "wek = ", 'topic "labor": \\[en\\]: unknown key "wek"'),
        ("[topics.labor.en]", "[topics.labor.de]", 'topic "labor": unknown key "de"'),
        ("[topics.labor]", "[topics.Labor]", 'topic "Labor": a slug is lower-case'),
        ('"trade union"', '"trade  union"', '"terms": "trade  union" has stray spaces'),
        ('"trade union"', "7", '"terms" holds 7, not a word'),
        ('weak = ["strike"]', 'weak = "strike"', '"weak" must be a list of strings'),
    ],
)
def test_a_malformed_topic_is_refused_naming_it(old: str, new: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        load_topics(LABOR.replace(old, new))


def test_a_file_that_is_not_toml_or_not_there_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="<topics>: not valid TOML"):
        load_topics(LABOR + LABOR)  # the same topic twice
    with pytest.raises(DataError, match='<topics>: unknown key "topic"'):
        load_topics(LABOR.replace("[topics.", "[topic."))
    with pytest.raises(DataError, match="cannot read"):
        load_topics(tmp_path / "missing.toml")


# --- the place checks -------------------------------------------------------------------------


def test_the_small_place_file_loads() -> None:
    table = load_places(places())
    assert table.demonyms == {"PE": ("Peruvian",)}
    assert table.ambiguous == {"congo": ("CD", "CG")}
    assert table.neighbour_stopwords == frozenset({"the"})
    assert table.region_names == {"latin-america": ("América Latina",)}


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"aliases": 'XX = ["Nowhere"]'}, r'\[aliases\]: "XX" is not an ISO 3166-1'),
        ({"demonyms": 'pe = ["Peruvian"]'}, r'\[demonyms\]: "pe" is not an ISO 3166-1'),
        ({"leaders": "PE = []"}, r'\[leaders\]: "PE": lists no names'),
        ({"ambiguous": '"congo" = ["CD"]'}, r'"congo": must name at least two different'),
        ({"ambiguous": '"Congo" = ["CD", "CG"]'}, r'"Congo": must be written in lower case'),
        ({"ambiguous": '"congo" = ["CD", "ZZ"]'}, r'"ZZ" is not an ISO 3166-1'),
        ({"traps": PLACE_SECTIONS["traps"].replace('"male"', '"Male"')}, r'"Male" must be written'),
        ({"traps": 'not_cities = ["male"]'}, r'\[traps\]: missing key "person_like"'),
        ({"phrases": 'areas = ["Andes"]\nnot_places = [" Lima bean"]'}, "stray spaces"),
        ({"local_aliases": None}, r'<places>: missing key "local_aliases"'),
        ({"region_names": 'Latin_America = ["x"]'}, r'"Latin_America": must be a region slug'),
        ({"region_names": "africa = [1]"}, r'\[region_names\]: "africa": "names" holds 1'),
    ],
)
def test_a_malformed_place_table_is_refused_naming_the_entry(
    sections: dict[str, str | None], message: str
) -> None:
    with pytest.raises(DataError, match=message):
        load_places(places(**sections))


def test_a_place_word_listed_for_two_countries_is_refused() -> None:
    # the gazetteer would silently drop a word two countries claim at the same strength
    text = places(demonyms='PE = ["Peruvian"]\nBO = ["Bolivian", "Peruvian"]')
    with pytest.raises(DataError) as caught:
        load_places(text)
    assert str(caught.value) == (
        '<places>: demonyms "BO": "Peruvian" is also listed for "PE" in [demonyms];'
        " a word for two countries belongs in [ambiguous]"
    )
    # across tables too, and however it is spelled
    with pytest.raises(DataError, match=r'"PERU" is also listed for "PE" in \[aliases\]'):
        load_places(places(leaders='PE = ["Boluarte"]\nBO = ["PERU"]'))


def test_names_for_a_region_that_does_not_exist_are_refused() -> None:
    check_region_names({"africa": (), "oceania": ()})
    with pytest.raises(DataError, match=r'\[region_names\]: no region "atlantis"'):
        check_region_names({"africa": (), "atlantis": ("Atlantide",)})
