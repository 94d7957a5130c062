"""What the bot takes from ISO 3166-1 and its translations, from `bot/data/isocodes.toml`.

The country records (codes, short, common and official names), each country's name in its
principal language, and the names in the languages the bot reads or writes in full
(Spanish, French, Portuguese and every interface language).  `scripts/build_countries.py`
generates the file from pycountry, a maintainer's tool: pycountry is 23 MB installed,
mostly catalogues in a hundred languages, and the bot needs a few hundred names of them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.classify.datafile import DATA_DIR, Entry, read

__all__ = ["ISOCODES_FILE", "IsoCodes", "IsoCountry", "iso_codes", "load_iso_codes"]

ISOCODES_FILE = DATA_DIR / "isocodes.toml"
_SECTIONS = ("countries", "own_names", "translations")
_FIELDS = ("alpha_3", "name", "common_name", "official_name")


@dataclass(frozen=True, slots=True)
class IsoCountry:
    """One ISO 3166-1 entry, with iso-codes' English names."""

    alpha_2: str  # "BO"
    alpha_3: str  # "BOL"
    name: str  # "Bolivia, Plurinational State of"
    common_name: str | None  # "Bolivia", where iso-codes gives one
    official_name: str | None  # "Plurinational State of Bolivia"

    @property
    def names(self) -> tuple[str, ...]:
        """The English names, each a msgid of the translations."""
        return tuple(name for name in (self.name, self.common_name, self.official_name) if name)


@dataclass(frozen=True)
class IsoCodes:
    """The ISO 3166-1 facts the bot uses, checked."""

    countries: tuple[IsoCountry, ...]  # in iso-codes' order (by alpha-3)
    own_names: Mapping[str, str]  # ISO2 -> its `name` in its principal language (geonames.toml)
    translations: Mapping[str, Mapping[str, str]]  # language -> English name -> translated

    @functools.cached_property
    def _by_alpha_2(self) -> dict[str, IsoCountry]:
        return {item.alpha_2: item for item in self.countries}

    @functools.cached_property
    def _by_alpha_3(self) -> dict[str, IsoCountry]:
        return {item.alpha_3: item for item in self.countries}

    def country(self, alpha_2: str) -> IsoCountry | None:
        """The entry of an upper-case alpha-2 code."""
        return self._by_alpha_2.get(alpha_2)

    def by_alpha_3(self, alpha_3: str) -> IsoCountry | None:
        """The entry of an upper-case alpha-3 code ("BOL")."""
        return self._by_alpha_3.get(alpha_3)


def _code(entry: Entry, code: str, length: int) -> str:
    """An upper-case ASCII code of the given length."""
    if len(code) != length or not (code.isascii() and code.isalpha() and code.isupper()):
        raise entry.error(f'"{code}" is not a {length}-letter upper-case code')
    return code


def _countries(entry: Entry, value: object) -> tuple[IsoCountry, ...]:
    """The records, each code unique and each name non-blank."""
    out: list[IsoCountry] = []
    seen: set[str] = set()
    for code, record in entry.table(value).items():
        at = entry.at(f'"{_code(entry, code, 2)}"')
        fields = at.table(record, _FIELDS, ("alpha_3", "name"))
        alpha_3 = _code(at, at.text(fields["alpha_3"], "alpha_3"), 3)
        if alpha_3 in seen:
            raise at.error(f'alpha_3 "{alpha_3}" is used twice')
        seen.add(alpha_3)
        optional = {
            name: at.text(fields[name], name) if name in fields else None
            for name in ("common_name", "official_name")
        }
        out.append(
            IsoCountry(code, alpha_3, at.text(fields["name"], "name"), **optional),
        )
    return tuple(out)


def _own_names(entry: Entry, value: object, codes: set[str]) -> dict[str, str]:
    """ISO2 -> a name, each code one of the records."""
    out: dict[str, str] = {}
    for code, name in entry.table(value).items():
        if code not in codes:
            raise entry.error(f'"{code}" is not one of the [countries]')
        out[code] = entry.at(f'"{code}"').text(name, "name")
    return out


def _translations(entry: Entry, value: object, names: set[str]) -> dict[str, dict[str, str]]:
    """language -> English name -> translation, each English name one of the records'."""
    out: dict[str, dict[str, str]] = {}
    for language, table in entry.table(value).items():
        if not (language.isascii() and language.isalpha() and language.islower()):
            raise entry.error(f'"{language}" is not an ISO 639 language code')
        at = entry.at(f'"{language}"')
        out[language] = {}
        for english, translated in at.table(table).items():
            if english not in names:
                raise at.error(f'"{english}" is not a name of the [countries]')
            out[language][english] = at.at(f'"{english}"').text(translated, "translation")
    return out


def load_iso_codes(source: Path | str = ISOCODES_FILE) -> IsoCodes:
    """Read and check the generated ISO 3166-1 table from a file (a Path) or TOML text (a str)."""
    origin, data = read(source, "isocodes")
    top = Entry(origin)
    data = top.table(data, _SECTIONS, _SECTIONS)
    countries = _countries(top.at("[countries]"), data["countries"])
    codes = {item.alpha_2 for item in countries}
    names = {name for item in countries for name in item.names}
    return IsoCodes(
        countries=countries,
        own_names=_own_names(top.at("[own_names]"), data["own_names"], codes),
        translations=_translations(top.at("[translations]"), data["translations"], names),
    )


@functools.cache
def iso_codes() -> IsoCodes:
    """The bundled table, read once when the country list first needs it."""
    return load_iso_codes()
