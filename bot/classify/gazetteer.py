"""Every place word the classifier and resolver know, and which country each points to.

Sources, strongest first: the hand tables in `geodata` (bot/data/places.toml), iso-codes'
names (`isocodes`, bot/data/isocodes.toml: common, short, official; Spanish, French and
Portuguese translations), and from GeoNames (`geonames`, bot/data/geonames.toml) country
names, US states, capitals and big cities.
When a word could mean two countries the stronger source wins; which cities are big enough
and unshared is settled when that table is generated.  Building the table also checks the
topic table against it: no topic word may be a place word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from enum import IntEnum, StrEnum
from typing import NamedTuple

from bot.classify import geodata
from bot.classify.countries import all_countries
from bot.classify.geonames import city_key, geonames
from bot.classify.isocodes import iso_codes
from bot.classify.normalize import fold, key
from bot.classify.topics import TABLE as TOPIC_TABLE
from bot.classify.topics import TopicTable
from bot.errors import DataError

__all__ = [
    "TEASER_LANGUAGES",
    "Guard",
    "PlaceKind",
    "PlaceName",
    "check_topics",
    "key",
    "place_names",
    "reader_names",
]

TEASER_LANGUAGES = ("es", "fr", "pt")  # the matcher reads country names in these too
TITLED_MIN = 4  # "Cosatu" is COSATU, but "Nat" is no NAT: shorter acronyms stay exact


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


class PlaceName(NamedTuple):
    """One place word and the country it points to (a tuple: the gazetteer makes some
    14,000 of them at start-up, and a frozen dataclass takes ten times as long to make)."""

    phrase: str  # as written in the source, e.g. "Peru", "U.S."
    code: str  # ISO2, or "" for AREA and NOT_PLACE
    kind: PlaceKind
    guard: Guard = Guard.NONE
    exact: bool = False  # an abbreviation ("US", "AfD") that must match case exactly
    titled: bool = False  # an exact acronym that also counts written as a name ("Cosatu")
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
            elif known.code == code and not known.exact and phrase != known.phrase:
                # "Sahara Occidental" in Spanish is "Sahara occidental" in French: a later
                # word either language writes in lower case may be so written
                self.names[folded] = known._replace(phrase=_looser(known.phrase, phrase))
            return
        exact = _acronym(phrase)
        local = local or kind in (PlaceKind.CITY, PlaceKind.REGION)
        guard = _guard(folded, kind)
        titled = exact and _titled(phrase, folded)
        self.names[folded] = PlaceName(
            phrase, code, kind, guard, exact=exact, local=local, titled=titled
        )
        self._level[folded] = level


def _looser(kept: str, other: str) -> str:
    """The kept spelling with each later word in lower case where the other spelling of
    the same name has it so (same key, so the same words in the same places)."""
    if len(kept) != len(other):
        return kept
    head = kept.split(" ", 1)[0]
    return head + "".join(
        low if low.islower() and high.lower() == low else high
        for high, low in zip(kept[len(head) :], other[len(head) :], strict=True)
    )


def _acronym(phrase: str) -> bool:
    """Written in capitals ("US", "STF"), or one short word with a capital inside ("AfD",
    "PiS"): either counts only as written, or "pis" and "AFD" would be a party too."""
    if not any(ch.isalpha() for ch in phrase):
        return False
    if phrase.upper() == phrase:
        return True
    return " " not in phrase and len(phrase) <= 4 and any(ch.isupper() for ch in phrase[1:])


def _titled(phrase: str, folded: str) -> bool:
    """An acronym of four letters or more that the press also writes as a name ("Cosatu",
    "Frelimo", "Farc"), unless that form is an everyday word or a name ("Dane", "Saps")."""
    return (
        len(phrase) >= TITLED_MIN
        and phrase.isalpha()
        and phrase.isupper()
        and folded not in geodata.NOT_TITLED
    )


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
    """iso-codes' short, common and official names that read as plain names."""
    for record in iso_codes().countries:
        for value in record.names:
            if "," not in value and "(" not in value:
                yield record.alpha_2, value.removeprefix("the ")


_ISLANDS = re.compile(r"(?:Île|Îles|Isla|Islas|Ilha|Ilhas)\b")


def _matched_translation(translated: str) -> str:
    """The name a teaser would use: "Bolivia, Estado ..." is Bolivia, but "Christmas, Île"
    is Île Christmas, as the head alone is a word ("Christmas Eve")."""
    if _ISLANDS.match(translated.partition(", ")[2]):
        return _natural_order(re.sub(r"\s*\(.*?\)", "", translated))
    return _clean_translation(translated)


def _translated_names(
    languages: Iterable[str] = TEASER_LANGUAGES,
) -> Iterator[tuple[str, str]]:
    """Spanish, French and Portuguese names, minus everyday words and short ones."""
    for catalog in _catalogs(languages):
        for record in iso_codes().countries:
            name = _matched_translation(catalog.get(record.name, record.name))
            folded = fold(name)
            if len(folded) > 4 and folded not in geodata.NOT_TRANSLATIONS:
                yield record.alpha_2, name


def _natural_order(name: str) -> str:
    """ "Korea, Republic of" -> "Republic of Korea"; "Iran, République islamique d'" too."""
    head, _, rest = name.partition(", ")
    if not rest or "," in rest:
        return ""
    rest = rest.strip()
    return f"{rest}{head}" if rest.endswith(("'", "\u2019")) else f"{rest} {head}"


def _catalogs(languages: Iterable[str]) -> Iterator[Mapping[str, str]]:
    """The country-name translations (English name -> translated) of the languages shipped."""
    translations = iso_codes().translations
    for lang in languages:
        if lang in translations:
            yield translations[lang]


def reader_names() -> Iterator[tuple[str, str]]:
    """Names readers type for a country that the matcher leaves out of teasers.

    Each country's name in its principal language ("Deutschland"), formal names in natural
    order ("Republic of Korea", "Estado Plurinacional de Bolivia") and the translations kept
    from the matcher as everyday words ("chine", "chili").  Only the resolver reads them.
    """
    iso = iso_codes()
    languages = geonames().languages
    for lang in sorted(set(languages.values()) - {"en"}):
        for code in (code for code, spoken in languages.items() if spoken == lang):
            record = iso.country(code)
            own = iso.own_names.get(code)
            name = _clean_translation(own) if own else ""
            if record and name and name != record.name:
                yield code, name
    english: Mapping[str, str] = {}
    for catalog in (english, *_catalogs(TEASER_LANGUAGES)):
        for record in iso.countries:
            formal = [record.official_name, record.name]
            for name in (catalog.get(value, value) for value in formal if value):
                natural = _natural_order(name) if "," in name else name
                if natural and "(" not in natural:
                    yield record.alpha_2, natural
            plain = _clean_translation(catalog.get(record.name, record.name))
            if fold(plain) in geodata.NOT_TRANSLATIONS:
                yield record.alpha_2, plain


def _topic_words(table: TopicTable) -> frozenset[str]:
    """Every topic word, folded: a generated city never takes one ("Qom" is a people too)."""
    return frozenset(key(term) for item in table.topics for term in (*item.terms, *item.weak))


def _cities(taken: Collection[str]) -> Iterator[tuple[str, str]]:
    """The generated cities, in English and as other languages write them, minus everyday
    words, topic words and names a stronger source has."""
    topic_words = _topic_words(TOPIC_TABLE)
    table = geonames()

    def fits(name: str) -> bool:
        if geodata.NOT_CITIES & {city_key(name), fold(name)}:
            return False
        return key(name) not in taken and key(name) not in topic_words

    for code, names in table.cities.items():
        yield from ((code, name) for name in names if fits(name))
    for code, by_city in table.city_names.items():
        for city, names in by_city.items():
            # "Jerusalén" is whatever "Jerusalem" is: a trap's other names are traps too
            if not geodata.NOT_CITIES & {city_key(city), fold(city)}:
                yield from ((code, name) for name in names if fits(name))


@functools.cache
def place_names() -> tuple[PlaceName, ...]:
    """All place words, built once, for the matcher and the resolver."""
    out = _Collector()
    for code, phrases in geodata.ALIASES.items():
        for phrase in phrases:
            out.add(phrase, code, PlaceKind.COUNTRY, 0)
    for code, phrases in geodata.LOCAL_ALIASES.items():
        for phrase in phrases:
            out.add(phrase, code, PlaceKind.COUNTRY, 0, local=True)
    for phrase in geodata.AREA_NAMES:
        out.add(phrase, "", PlaceKind.AREA, 0)
    for phrase in geodata.NOT_PLACES:
        out.add(phrase, "", PlaceKind.NOT_PLACE, 0)
    for item in all_countries():
        for phrase in _variants(item.name):
            out.add(phrase, item.code, PlaceKind.COUNTRY, 1)
    for code, name in _country_names():
        for phrase in _variants(name):
            out.add(phrase, code, PlaceKind.COUNTRY, 2)
    for code, name in geonames().countries.items():
        for phrase in _variants(name):
            out.add(phrase, code, PlaceKind.COUNTRY, 3)
    # "israelí" folds to the key of "Israeli": where the two languages share a key it is
    # the lower-case word's, which also counts written in lower case ("ataque israelí")
    lower = {
        key(phrase): code
        for code, demonyms in geodata.DEMONYMS_LOWER.items()
        for demonym in demonyms
        for phrase in _lower_forms(demonym)
    }
    for code, demonyms in geodata.DEMONYMS.items():
        for demonym in demonyms:
            for phrase in _plural(demonym):
                shared = lower.get(key(phrase)) == code
                out.add(phrase, code, PlaceKind.LOWER if shared else PlaceKind.DEMONYM, 4)
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
    for state in geonames().us_states:
        if fold(state) != "georgia":
            out.add(state, "US", PlaceKind.REGION, 6)
    for code, name in _cities(out.names):
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
