"""The reader's language: gettext catalogs per language, and names shown in it.

Every word newsbot says to a reader is an English msgid looked up per call in the chat's
language (`translator(code)`, cached), never through a global switch. The catalogs are
`bot/locales/<code>/LC_MESSAGES/newsbot.po`, compiled to the `.mo` files the stdlib reads
(`scripts/i18n.py` extracts, updates and compiles them with Babel, a maintainer's tool).
A language is available when its compiled catalog is there: a third one is one new `.po`
(and a rerun of `scripts/build_countries.py` for its country names).

Country names come from the iso-codes translations in bot/data/isocodes.toml, corrected by
our own catalog where our short English name is not iso-codes' ("DR Congo"); topic and
region names and topic descriptions are msgids with a context ("topic", "region", ...),
extracted from the data tables.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from bot.classify.countries import country, hashtag
from bot.classify.isocodes import iso_codes
from bot.classify.regions import region
from bot.classify.topics import topic
from bot.models import Target, TargetKind

DOMAIN = "newsbot"
SOURCE_LANGUAGE = "en"  # the msgids' language: it needs no catalog
LOCALES = Path(__file__).parent / "locales"

# msgctxt of the names extracted from data rather than code
COUNTRY = "country"
TOPIC = "topic"
TOPIC_DESCRIPTION = "topic description"
REGION = "region"
LANGUAGE_NAME = "language name"  # the catalog's own language, in it: "Español"
_ENGLISH = "English"  # msgid of LANGUAGE_NAME (extracted from data by scripts/i18n.py)


def N_(message: str) -> str:
    """Mark a msgid where it is defined; it is translated where it is shown."""
    return message


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages readers can choose: English and every compiled catalog, sorted."""
    found = {path.parts[-3] for path in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return (SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE}))


def language_for(language_code: str | None) -> str:
    """The language for a Telegram user's language_code: `es`, `es-419` → es; else English."""
    primary = (language_code or "").split("-", 1)[0].split("_", 1)[0].lower()
    return primary if primary in languages() else SOURCE_LANGUAGE


class Translator:
    """One language's words: gettext, ngettext and pgettext, and names of places and topics."""

    def __init__(self, code: str) -> None:
        self.code = code
        self._catalog: gettext.NullTranslations = gettext.NullTranslations()
        self._countries: Mapping[str, str] = {}  # iso-codes' English name -> translated
        if code != SOURCE_LANGUAGE:
            self._catalog = gettext.translation(DOMAIN, LOCALES, languages=[code])
            self._countries = iso_codes().translations.get(code, {})

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)

    @property
    def language_name(self) -> str:
        """What the language calls itself, for the /language buttons."""
        return self.pgettext(LANGUAGE_NAME, _ENGLISH)

    def country_name(self, code: str) -> str:
        """A country's short name: ours where we chose one, else iso-codes' translation."""
        item = country(code)
        if item is None:
            return code
        ours = self.pgettext(COUNTRY, item.name)
        if ours != item.name or self.code == SOURCE_LANGUAGE:
            return ours
        record = iso_codes().country(item.code)
        english = (record.common_name or record.name) if record is not None else item.name
        translated = self._countries.get(english, english)
        return item.name if translated == english else translated

    def topic_name(self, slug: str) -> str:
        found = topic(slug)
        return self.pgettext(TOPIC, found.name) if found is not None else slug

    def topic_description(self, slug: str) -> str:
        found = topic(slug)
        return self.pgettext(TOPIC_DESCRIPTION, found.description) if found is not None else ""

    def region_name(self, slug: str) -> str:
        found = region(slug)
        return self.pgettext(REGION, found.name) if found is not None else slug

    def label(self, target: Target) -> str:
        """A subscription as this language shows it: "🇵🇪 Perú", "✊ Trabajo", "🌎 América Latina".

        Keywords and filters keep the reader's own words (a filter's label names its parts
        as they were when it was made).
        """
        if target.kind is TargetKind.COUNTRY and (item := country(target.value)) is not None:
            return f"{item.flag} {self.country_name(item.code)}"
        if target.kind is TargetKind.TOPIC and (found := topic(target.value)) is not None:
            return f"{found.emoji} {self.topic_name(found.slug)}"
        if target.kind is TargetKind.REGION and (place := region(target.value)) is not None:
            return f"{place.emoji} {self.region_name(place.slug)}"
        return target.label

    def labels(self, targets: Iterable[Target]) -> str:
        """Labels joined for a sentence: "🇵🇪 Perú, ✊ Trabajo"."""
        return ", ".join(self.label(target) for target in targets)

    def either(self, targets: Iterable[Target]) -> str:
        """Labels joined for a question: "A", "A or B", "A, B or C"."""
        return self.one_of([self.label(target) for target in targets])

    def one_of(self, names: Sequence[str]) -> str:
        """Words joined as choices: "A", "A or B", "A, B or C"."""
        if len(names) <= 1:
            return "".join(names)
        return self.gettext("{first} or {last}").format(first=", ".join(names[:-1]), last=names[-1])

    def hashtags(self, countries: Iterable[str], topics: Iterable[str], limit: int = 5) -> str:
        """#Peru #labor in English, #Perú #Trabajo in Spanish: tags readers can tap."""
        names = [self.country_name(code) for code in countries if country(code) is not None]
        if self.code == SOURCE_LANGUAGE:
            tags = [hashtag(name) for name in [*names, *topics]]
        else:
            tags = [hashtag(name) for name in [*names, *map(self.topic_name, topics)]]
        return " ".join(tag for tag in tags[:limit] if tag)


def translator(code: str | None) -> Translator:
    """The translator of a language (English for None or one without a catalog), cached."""
    return _translator(code if code in languages() else SOURCE_LANGUAGE)


@functools.cache
def _translator(code: str) -> Translator:
    return Translator(code)


ENGLISH = translator(SOURCE_LANGUAGE)
