"""The country list readers see: ISO 3166-1 codes with readable names and flags, and hashtags.

The ISO list is iso-codes' (`isocodes`, bot/data/isocodes.toml); codes it lacks that the news
needs (Kosovo, XK, is user-assigned but used everywhere) come from [extra_countries] in
bot/data/places.toml.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from bot.classify.datafile import DATA_DIR, Entry, read
from bot.classify.isocodes import iso_codes

__all__ = ["DISPLAY_NAMES", "Country", "all_countries", "country", "extra_countries", "hashtag"]


@dataclass(frozen=True, slots=True)
class Country:
    """A country as readers see it."""

    code: str  # ISO 3166-1 alpha-2, upper case
    name: str  # short common English name, e.g. "Bolivia"
    flag: str  # regional-indicator emoji, e.g. "🇧🇴"


# iso-codes' short names are often the formal "Bolivia, Plurinational State of"; readers
# know these places by a shorter name.
DISPLAY_NAMES = {
    "BN": "Brunei",
    "BQ": "Caribbean Netherlands",
    "CC": "Cocos Islands",
    "CD": "DR Congo",
    "CG": "Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SH": "Saint Helena",
    "SX": "Sint Maarten",
    "SY": "Syria",
    "TR": "Turkey",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "US": "United States",
    "VA": "Vatican City",
    "VE": "Venezuela",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "VN": "Vietnam",
    "BO": "Bolivia",
}


def _flag(code: str) -> str:
    """The flag emoji from the two regional-indicator letters of the code."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


def extra_countries(source: Path | str = DATA_DIR / "places.toml") -> dict[str, str]:
    """Codes ISO 3166-1 lacks, with their names, read from a file (a Path) or TOML text."""
    origin, data = read(source, "places")
    at = Entry(origin).at("[extra_countries]")
    out: dict[str, str] = {}
    for code, name in at.table(data.get("extra_countries", {})).items():
        if len(code) != 2 or not code.isalpha() or code != code.upper():
            raise at.error(f'"{code}" is not a two-letter code')
        if iso_codes().country(code) is not None:
            raise at.error(f'"{code}" is in ISO 3166-1 already')
        if not isinstance(name, str) or not name.strip():
            raise at.error(f'"{code}" needs a name')
        out[code] = name
    return out


@functools.cache
def _by_code() -> dict[str, Country]:
    """Build the country table once from iso-codes and the extra codes."""
    table: dict[str, Country] = {}
    for record in iso_codes().countries:
        code = record.alpha_2
        name = DISPLAY_NAMES.get(code) or record.common_name or record.name
        table[code] = Country(code=code, name=name, flag=_flag(code))
    for code, name in extra_countries().items():
        table[code] = Country(code=code, name=name, flag=_flag(code))
    return table


def country(code: str) -> Country | None:
    """Look a country up by its ISO 3166-1 alpha-2 code, in any case, for labels and flags."""
    return _by_code().get(code.strip().upper())


def all_countries() -> list[Country]:
    """Every ISO 3166-1 entry and extra code, sorted by name, for listings and the resolver."""
    return sorted(_by_code().values(), key=lambda item: item.name)


_NON_WORD = re.compile(r"[\W_]+")


def hashtag(text: str) -> str:
    """A Telegram hashtag for a name ("South Africa" -> "#SouthAfrica"), "" if nothing is left."""
    words = [word for word in _NON_WORD.split(text.replace("'", "").replace("\u2019", "")) if word]
    if not words:
        return ""
    if len(words) == 1:
        return "#" + words[0]
    return "#" + "".join(word[0].upper() + word[1:] for word in words)
