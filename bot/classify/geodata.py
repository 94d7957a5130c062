"""Hand-kept place words that pycountry and GeoNames do not provide, from `bot/data/places.toml`.

Demonyms, everyday aliases, leaders and national bodies, phrases that look like a country
but are not one, and the names that double as people's names.  The words live in the data
file; this module loads them once at import, checks them and hands them out as a typed
`PlaceTable` (and as the module constants the gazetteer, classifier and resolver read).
Generated names come from pycountry and `geonames` (see `gazetteer.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.classify.countries import country
from bot.classify.datafile import DATA_DIR, Entry, read
from bot.classify.normalize import key

__all__ = [
    "AMBIGUOUS",
    "AREAS",
    "AREA_NAMES",
    "CONTEXT",
    "DEMONYMS",
    "DEMONYMS_LOWER",
    "GENERIC_PARTS",
    "INSTITUTIONS",
    "LEADERS",
    "LOCAL_ALIASES",
    "NEEDS_SUPPORT",
    "NEIGHBOUR_STOPWORDS",
    "NOT_CITIES",
    "NOT_PLACES",
    "NOT_TITLED",
    "NOT_TRANSLATIONS",
    "PERSON_LIKE",
    "PLACES",
    "PLACES_FILE",
    "REGION_NAMES",
    "PlaceTable",
    "by_country",
    "country_codes",
    "load_places",
]

PLACES_FILE = DATA_DIR / "places.toml"

# Tables keyed by country code, in the order the gazetteer reads them.
_BY_COUNTRY = (
    "aliases",
    "local_aliases",
    "demonyms",
    "leaders",
    "institutions",
    "demonyms_lower",
)
_PHRASES = ("areas", "not_places")
_CONTEXT = (
    "months",
    "masthead_joiners",
    "bio_nouns",
    "bio_verbs",
    "credit_words",
    "one_of",
    "state_bodies",
    "acting_after",
    "acting_before",
    "origin",
    "comparison",
    "based_in",
    "language_after",
    "language_before",
    "ethnic",
    "territory",
    "meeting",
    "treaty",
)
_TRAPS = (
    "not_cities",
    "person_like",
    "needs_support",
    "not_translations",
    "not_titled",
    "neighbour_stopwords",
    "generic_parts",
)

Names = Mapping[str, tuple[str, ...]]  # ISO2 code -> the words for that country


@dataclass(frozen=True, slots=True)
class PlaceTable:
    """The hand-kept place words, checked."""

    aliases: Names  # everyday names of the country ("UK", "Burma")
    local_aliases: Names  # cities and provinces the packages lack ("Gaza City")
    demonyms: Names  # what its people are called ("Peruvian"); regular plurals are generated
    leaders: Names  # heads of state whose name alone places a story ("Bukele")
    institutions: Names  # national bodies whose name alone places a story ("Knesset")
    demonyms_lower: Names  # Spanish and Portuguese demonyms, masculine singular ("peruano")
    ambiguous: Names  # a word -> the countries it may name ("congo" -> CD, CG)
    region_names: Names  # a world region's slug -> what readers type for it, in any language
    areas: tuple[str, ...]  # world regions: evidence for no country
    not_places: tuple[str, ...]  # phrases that contain a country word but are not about it
    not_cities: frozenset[str]  # capitals and cities whose names are everyday words
    person_like: frozenset[str]  # place words that are also people's names
    needs_support: frozenset[str]  # counted only beside other evidence for the country
    not_translations: frozenset[str]  # translated names that are everyday words
    not_titled: frozenset[str]  # acronyms whose form as a name is a word ("Dane", "Saps")
    neighbour_stopwords: frozenset[str]  # capitalised words that do not make a place a name
    generic_parts: frozenset[str]  # a name's words that may be written small ("Gaza strip")
    context: Names  # words around a place that say it frames the story (bot/classify/context)


def country_codes(entry: Entry, value: object) -> tuple[str, ...]:
    """A list of ISO 3166-1 alpha-2 codes."""
    codes = entry.words(value, "codes")
    for code in codes:
        if code != code.upper() or country(code) is None:
            raise entry.error(f'"{code}" is not an ISO 3166-1 alpha-2 country code')
    return codes


def by_country(entry: Entry, value: object) -> dict[str, tuple[str, ...]]:
    """A table of country code -> words, each code real and each list non-empty."""
    out: dict[str, tuple[str, ...]] = {}
    for code, words in entry.table(value).items():
        country_codes(entry, [code])
        names = entry.at(f'"{code}"').words(words, "names")
        if not names:
            raise entry.at(f'"{code}"').error("lists no names")
        out[code] = names
    return out


def _lower(entry: Entry, value: object, name: str) -> tuple[str, ...]:
    """Words compared with folded text, so they must be written in lower case."""
    words = entry.words(value, name)
    for word in words:
        if word != word.lower():
            raise entry.error(f'"{name}": "{word}" must be written in lower case')
    return words


def _ambiguous(entry: Entry, value: object) -> dict[str, tuple[str, ...]]:
    """Words that name two or more countries."""
    out: dict[str, tuple[str, ...]] = {}
    for word, codes in entry.table(value).items():
        at = entry.at(f'"{word}"')
        if word != word.lower():
            raise at.error("must be written in lower case")
        found = country_codes(at, codes)
        if len(set(found)) < 2:
            raise at.error("must name at least two different countries")
        out[word] = found
    return out


def _region_names(entry: Entry, value: object) -> dict[str, tuple[str, ...]]:
    """Region slug -> names; `regions` checks the slugs, as it owns them."""
    out: dict[str, tuple[str, ...]] = {}
    for slug, names in entry.table(value).items():
        at = entry.at(f'"{slug}"')
        if slug != slug.lower() or not slug.replace("-", "").isalpha():
            raise at.error("must be a region slug such as latin-america")
        out[slug] = at.words(names, "names")
    return out


def _check_one_country(origin: str, tables: Mapping[str, Names]) -> None:
    """A hand-kept word names one country: the gazetteer would drop a contested word."""
    owner: dict[str, tuple[str, str]] = {}
    for table in _BY_COUNTRY:
        for code, names in tables[table].items():
            for name in names:
                other = owner.setdefault(key(name), (code, table))
                if other[0] != code:
                    raise (
                        Entry(origin)
                        .at(f'{table} "{code}"')
                        .error(
                            f'"{name}" is also listed for "{other[0]}" in [{other[1]}];'
                            " a word for two countries belongs in [ambiguous]"
                        )
                    )


def load_places(source: Path | str = PLACES_FILE) -> PlaceTable:
    """Read and check the place table from a file (a Path) or TOML text (a str)."""
    origin, data = read(source, "places")
    top = Entry(origin)
    sections = (*_BY_COUNTRY, "ambiguous", "region_names", "phrases", "traps", "context")
    # [extra_countries] is read (and checked) by `countries`, which every code check uses
    data = top.table(data, (*sections, "extra_countries"), sections)
    tables = {name: by_country(top.at(f"[{name}]"), data[name]) for name in _BY_COUNTRY}
    _check_one_country(origin, tables)
    at = top.at("[phrases]")
    phrases = {
        name: at.words(value, name)
        for name, value in at.table(data["phrases"], _PHRASES, _PHRASES).items()
    }
    at = top.at("[traps]")
    traps = {
        name: frozenset(_lower(at, value, name))
        for name, value in at.table(data["traps"], _TRAPS, _TRAPS).items()
    }
    at = top.at("[context]")
    context = {
        name: at.words(value, name)
        for name, value in at.table(data["context"], _CONTEXT, _CONTEXT).items()
    }
    return PlaceTable(
        aliases=tables["aliases"],
        local_aliases=tables["local_aliases"],
        demonyms=tables["demonyms"],
        leaders=tables["leaders"],
        institutions=tables["institutions"],
        demonyms_lower=tables["demonyms_lower"],
        ambiguous=_ambiguous(top.at("[ambiguous]"), data["ambiguous"]),
        region_names=_region_names(top.at("[region_names]"), data["region_names"]),
        areas=phrases["areas"],
        not_places=phrases["not_places"],
        not_cities=traps["not_cities"],
        person_like=traps["person_like"],
        needs_support=traps["needs_support"],
        not_translations=traps["not_translations"],
        not_titled=traps["not_titled"],
        neighbour_stopwords=traps["neighbour_stopwords"],
        generic_parts=traps["generic_parts"],
        context=context,
    )


PLACES = load_places()

# The tables under the names the gazetteer, classifier and resolver use.
ALIASES = PLACES.aliases
LOCAL_ALIASES = PLACES.local_aliases
DEMONYMS = PLACES.demonyms
LEADERS = PLACES.leaders
INSTITUTIONS = PLACES.institutions
DEMONYMS_LOWER = PLACES.demonyms_lower
AMBIGUOUS = PLACES.ambiguous
REGION_NAMES = PLACES.region_names
AREAS = PLACES.areas
# The regions as the press writes them in every language ("América Latina", "Afrique de
# l'Ouest"): areas too, or "América" inside them would be the US
AREA_NAMES = (
    *AREAS,
    *(name for names in PLACES.region_names.values() for name in names if not name.islower()),
)
NOT_PLACES = PLACES.not_places
NOT_CITIES = PLACES.not_cities
PERSON_LIKE = PLACES.person_like
NEEDS_SUPPORT = PLACES.needs_support
NOT_TRANSLATIONS = PLACES.not_translations
NOT_TITLED = PLACES.not_titled
NEIGHBOUR_STOPWORDS = PLACES.neighbour_stopwords
GENERIC_PARTS = PLACES.generic_parts
CONTEXT = PLACES.context
