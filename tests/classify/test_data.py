"""The data files in bot/data/: they load into typed tables, and each check refuses bad data."""

from __future__ import annotations

import pytest

from bot.classify import geodata
from bot.classify.geodata import PLACES_FILE, PlaceTable, load_places
from bot.errors import ConfigError, DataError

# Every section places.toml must have, each with one harmless entry.
PLACE_SECTIONS = {
    "aliases": 'PE = ["Peru"]',
    "local_aliases": 'PE = ["Arequipa"]',
    "demonyms": 'PE = ["Peruvian"]',
    "leaders": 'PE = ["Boluarte"]',
    "institutions": 'PE = ["Congreso"]',
    "demonyms_lower": 'PE = ["peruano"]',
    "ambiguous": '"congo" = ["CD", "CG"]',
    "phrases": 'areas = ["Andes"]\nnot_places = ["Lima bean"]',
    "traps": (
        'not_cities = ["male"]\nperson_like = ["lima"]\nneeds_support = ["georgia"]\n'
        'not_translations = ["gana"]\nneighbour_stopwords = ["the"]'
    ),
}


def places(**sections: str | None) -> str:
    """places.toml text: the harmless sections, with some replaced (or left out, for None)."""
    body = {**PLACE_SECTIONS, **sections}
    return "\n".join(f"[{name}]\n{text}\n" for name, text in body.items() if text is not None)


def test_data_error_is_a_config_error() -> None:
    assert issubclass(DataError, ConfigError)


# --- the bundled files ---------------------------------------------------------------------


def test_bundled_place_file_is_in_bot_data() -> None:
    assert PLACES_FILE.name == "places.toml" and PLACES_FILE.parent.name == "data"
    assert PLACES_FILE.is_file()


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


# --- the place checks -------------------------------------------------------------------------


def test_the_small_place_file_loads() -> None:
    table = load_places(places())
    assert table.demonyms == {"PE": ("Peruvian",)}
    assert table.ambiguous == {"congo": ("CD", "CG")}
    assert table.neighbour_stopwords == frozenset({"the"})


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
