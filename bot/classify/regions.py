"""World regions readers can follow as one subscription: "Latin America", "Africa", ...

Groupings follow the UN M49 scheme (GeoNames' continents, from `geonames`, for continents,
hand lists for the sub-regions M49 draws differently), keyed by a slug such as
"latin-america".  A region subscription matches an article tagged with any member.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.classify import geodata
from bot.classify.geonames import geonames
from bot.errors import DataError


def _codes(text: str) -> frozenset[str]:
    """A space-separated list of ISO2 codes, so the tables stay readable."""
    return frozenset(text.split())


__all__ = ["REGIONS", "Region", "check_region_names", "region", "regions_of"]


@dataclass(frozen=True, slots=True)
class Region:
    """A group of countries with the names readers use for it."""

    slug: str
    name: str
    emoji: str

    @property
    def names(self) -> tuple[str, ...]:
        """What readers type besides the name, in any language (places.toml [region_names])."""
        return geodata.REGION_NAMES.get(self.slug, ())

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}"

    @property
    def countries(self) -> frozenset[str]:
        return _members()[self.slug]


_CENTRAL_AMERICA = _codes("BZ CR SV GT HN MX NI PA")
_CARIBBEAN = _codes(
    "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI"
)
_MIDDLE_EAST = _codes("AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE")
_NORTH_AMERICA = _codes("US CA GL BM PM")
_SOUTHEAST_ASIA = _codes("BN KH ID LA MM MY PH SG TH TL VN")
_SOUTH_ASIA = _codes("AF BD BT IN IR LK MV NP PK")
_WEST_AFRICA = _codes("BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG")
_EAST_AFRICA = _codes("BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW")
_NORTH_AFRICA = _codes("DZ EG LY MA SD TN EH")
_SOUTHERN_AFRICA = _codes("BW LS NA SZ ZA")

REGIONS: tuple[Region, ...] = (
    Region("latin-america", "Latin America", "🌎"),
    Region("south-america", "South America", "🌎"),
    Region("central-america", "Central America", "🌎"),
    Region("caribbean", "Caribbean", "🌴"),
    Region("north-america", "North America", "🌎"),
    Region("africa", "Africa", "🌍"),
    Region("west-africa", "West Africa", "🌍"),
    Region("east-africa", "East Africa", "🌍"),
    Region("north-africa", "North Africa", "🌍"),
    Region("southern-africa", "Southern Africa", "🌍"),
    Region("middle-east", "Middle East", "🕌"),
    Region("europe", "Europe", "🇪🇺"),
    Region("asia", "Asia", "🌏"),
    Region("southeast-asia", "Southeast Asia", "🌏"),
    Region("south-asia", "South Asia", "🌏"),
    Region("oceania", "Oceania", "🌏"),
)


@functools.cache
def _members() -> dict[str, frozenset[str]]:
    """Each region's ISO2 codes, built once from GeoNames' continents."""
    continent = geonames().continents
    south = continent["SA"]
    return {
        "latin-america": south | _CENTRAL_AMERICA | _CARIBBEAN,
        "south-america": south,
        "central-america": _CENTRAL_AMERICA,
        "caribbean": _CARIBBEAN,
        "north-america": _NORTH_AMERICA,
        "africa": continent["AF"],
        "west-africa": _WEST_AFRICA,
        "east-africa": _EAST_AFRICA,
        "north-africa": _NORTH_AFRICA,
        "southern-africa": _SOUTHERN_AFRICA,
        "middle-east": _MIDDLE_EAST,
        "europe": continent["EU"],
        "asia": continent["AS"],
        "southeast-asia": _SOUTHEAST_ASIA,
        "south-asia": _SOUTH_ASIA,
        "oceania": continent["OC"],
    }


def check_region_names(names: Mapping[str, object]) -> None:
    """Refuse names for a region that does not exist: a typo in a slug would hide them."""
    unknown = sorted(set(names) - {item.slug for item in REGIONS})
    if unknown:
        raise DataError(f'bot/data/places.toml: [region_names]: no region "{unknown[0]}"')


check_region_names(geodata.REGION_NAMES)


@functools.cache
def _by_slug() -> dict[str, Region]:
    return {item.slug: item for item in REGIONS}


def region(slug: str) -> Region | None:
    """Look a region up by slug, for labels and matching."""
    return _by_slug().get(slug.strip().lower())


@functools.cache
def _index() -> dict[str, tuple[str, ...]]:
    """Country code -> the slugs of every region holding it."""
    table: dict[str, list[str]] = {}
    for item in REGIONS:
        for code in item.countries:
            table.setdefault(code, []).append(item.slug)
    return {code: tuple(slugs) for code, slugs in table.items()}


def regions_of(countries: Sequence[str]) -> tuple[str, ...]:
    """The regions an article's countries belong to, each once, for subscription lookups."""
    found: dict[str, None] = {}
    index = _index()
    for code in countries:
        for slug in index.get(code, ()):
            found.setdefault(slug, None)
    return tuple(found)
