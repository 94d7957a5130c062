"""Understanding what a reader typed after /subscribe: countries, topics or keywords.

`split_terms` cuts the reader's text into terms; `Resolver.resolve` turns one term into
a Target, or an Unresolved with a typed reason (what callers branch on), a friendly
message (what the reader sees) and up to three suggestions.  A keyword comes only from a
quoted phrase or the `keyword` prefix: an unknown bare word is never silently followed
as a keyword.
"""

from __future__ import annotations

import functools
import re

import pycountry
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.classify import geodata
from bot.classify.countries import Country, all_countries, country
from bot.classify.gazetteer import PlaceKind, place_names
from bot.classify.normalize import QUOTE_MARKS, collapse, fold, phrase_form
from bot.classify.regions import REGIONS, Region, region
from bot.classify.topics import NOT_TOPICS, TOPICS, Topic, topic
from bot.models import Target, TargetKind, Unresolved
from bot.models import UnresolvedReason as Reason

MAX_TERMS = 25  # split_terms keeps at most this many terms
MAX_TERM_CHARS = 100  # longer terms are not looked up at all
KEYWORD_MIN_CHARS = 2
KEYWORD_MAX_CHARS = 60
MAX_SUGGESTIONS = 3
_FUZZY_CUTOFF = 0.75  # OSA similarity: one typo or swapped pair in four letters
_SHOWN_CHARS = 40

_OPEN_QUOTES = QUOTE_MARKS
_QUOTED = re.compile(rf"[{QUOTE_MARKS}]([^{QUOTE_MARKS}]*)[{QUOTE_MARKS}]?")
_SEPARATORS = re.compile(r"[,;\n|]+")
_COMMAND = re.compile(r"^\s*/\w+(?:@\w+)?")
_MENTION = re.compile(r"(?<![\w.])@\w+")
_KEYWORD = re.compile(r"(?is)^(?:keyword|kw)(?:\s*:\s*|\s+)(.*)$")
_BARE_KEYWORD = re.compile(r"(?i)^(?:keyword|kw)\s*:?$")
_EDGE_JUNK = " \t,;:!?()[]{}<>*\u2022\u00b7\u2013\u2014-"  # incl. bullets and dashes

EMPTY_MESSAGE = (
    "Tell me what to follow after /subscribe: a country, a topic or a keyword, "
    "e.g. /subscribe Peru, labor"
)


def country_target(item: Country) -> Target:
    """The subscription target for a country, labelled with its flag."""
    return Target(TargetKind.COUNTRY, item.code, f"{item.flag} {item.name}")


def topic_target(item: Topic) -> Target:
    """The subscription target for a topic, labelled with its emoji."""
    return Target(TargetKind.TOPIC, item.slug, item.label)


def region_target(item: Region) -> Target:
    """The subscription target for a region: one subscription for all its countries."""
    return Target(TargetKind.REGION, item.slug, item.label)


def keyword_target(phrase: str) -> Target | None:
    """A keyword target for a phrase, or None when it is too short or too long to follow."""
    shown = collapse(phrase.strip().strip(_OPEN_QUOTES + "'"))
    value = phrase_form(shown)
    if sum(ch.isalnum() for ch in value) < KEYWORD_MIN_CHARS or len(value) > KEYWORD_MAX_CHARS:
        return None
    return Target(TargetKind.KEYWORD, value, f'🔎 "{shown}"')


def _norm(text: str) -> str:
    """Lookup form of a reader's term: folded, no dots or hyphens, single spaces."""
    return collapse(phrase_form(text).replace(".", ""))


def _strip_the(text: str) -> str:
    """Readers write "the Philippines" and "the US"."""
    return text[4:] if text.startswith("the ") else text


def split_terms(text: str) -> list[str]:
    """Cut "/subscribe Peru, labor, "lithium mining"" into the terms to resolve one by one.

    Quoted phrases come back quoted ('"lithium mining"') and prefixed ones as
    "keyword lithium", so `Resolver.resolve` knows they are keywords.
    """
    text = _MENTION.sub(" ", _COMMAND.sub("", text or "", count=1))
    terms: list[str] = []
    position = 0
    for match in _QUOTED.finditer(text):
        parts = _SEPARATORS.split(text[position : match.start()])
        for part in parts[:-1]:
            _add_plain(terms, part)
        if not _BARE_KEYWORD.match(parts[-1].strip()):
            _add_plain(terms, parts[-1])
        phrase = collapse(match.group(1))
        if phrase:
            terms.append(f'"{phrase}"')
        position = match.end()
    for part in _SEPARATORS.split(text[position:]):
        _add_plain(terms, part)
    unique: dict[str, str] = {}
    for term in terms:
        unique.setdefault(fold(term), term)
    return list(unique.values())[:MAX_TERMS]


def _add_plain(terms: list[str], part: str) -> None:
    """Clean one unquoted part and keep it as a term or a keyword term."""
    part = collapse(part).strip(_EDGE_JUNK)
    keyword = _KEYWORD.match(part)
    if keyword:
        phrase = collapse(keyword.group(1)).strip(_EDGE_JUNK + _OPEN_QUOTES)
        if phrase:
            terms.append(f"keyword {phrase}")
        return
    part = part.lstrip("#").strip(_EDGE_JUNK)
    if part:
        terms.append(part)


def _shown(term: str) -> str:
    """The term as quoted back to the reader, kept short."""
    text = collapse(term)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _either(targets: tuple[Target, ...]) -> str:
    """Labels joined for a question: "A", "A or B", "A, B or C"."""
    labels = [target.label for target in targets]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


class Resolver:
    """Maps a reader's words to targets; build once with `default()` and share."""

    def __init__(
        self,
        index: dict[str, tuple[Target, ...]],
        places: dict[str, Target],
    ) -> None:
        self._index = index
        self._places = places  # cities and states, only ever suggested
        self._choices: dict[str, tuple[Target, ...]] = {
            name: targets for name, targets in index.items() if len(name) > 3
        }
        for name, target in places.items():
            self._choices.setdefault(name, (target,))
        self._names = list(self._choices)

    @classmethod
    def default(cls) -> Resolver:
        """The shared resolver over all countries and topics, built on first use."""
        return _default()

    def resolve(self, term: str, *, keyword_hint: bool = True) -> Target | Unresolved:
        """One term to a Target, or an Unresolved saying what the reader probably meant.

        `keyword_hint=False` leaves out "send /subscribe keyword …" for callers, such as
        filters, that follow unknown words as keywords themselves.
        """
        text = collapse(term or "")
        if not text:
            return Unresolved(term, Reason.EMPTY, EMPTY_MESSAGE)
        keyword = _KEYWORD.match(text)
        if keyword or _BARE_KEYWORD.match(text):
            return self._keyword(term, keyword.group(1) if keyword else "")
        if len(text) >= 2 and text[0] in _OPEN_QUOTES and text[-1] in _OPEN_QUOTES:
            return self._keyword(term, text[1:-1])
        if len(text) > MAX_TERM_CHARS:
            return Unresolved(
                term,
                Reason.TOO_LONG,
                "That is too long for one term. Send countries, topics or keywords "
                "separated by commas, e.g. /subscribe Peru, labor",
            )
        cleaned = text.lstrip("#").strip(_EDGE_JUNK + _OPEN_QUOTES + "'")
        if not any(ch.isalnum() for ch in cleaned):
            return Unresolved(
                term,
                Reason.NO_WORD,
                f"I found no word to follow in “{_shown(text)}”. {EMPTY_MESSAGE}",
            )
        found = self._lookup(cleaned)
        if isinstance(found, Target):
            return found
        if found:
            return Unresolved(
                term,
                Reason.AMBIGUOUS,
                f"“{_shown(cleaned)}” could mean {_either(found)}. "
                f"Which one? Send e.g. /subscribe {found[0].label.split(' ', 1)[-1]}",
                found,
            )
        return self._unknown(term, cleaned, keyword_hint=keyword_hint)

    def _lookup(self, cleaned: str) -> Target | tuple[Target, ...]:
        """An exact match, the candidates of an ambiguous word, or () when unknown."""
        name = _norm(cleaned)
        targets = self._index.get(name) or self._index.get(_strip_the(name))
        if targets:
            return targets[0] if len(targets) == 1 else targets
        letters = cleaned.replace(".", "")
        if len(letters) == 2 and letters.isalpha():
            item = country(letters)
            if item is not None:
                return country_target(item)
        if len(letters) == 3 and letters.isalpha() and letters.isupper():
            record = pycountry.countries.get(alpha_3=letters)
            item = country(str(record.alpha_2)) if record is not None else None
            if item is not None:
                return country_target(item)
        return ()

    def _keyword(self, term: str, phrase: str) -> Target | Unresolved:
        """A keyword target, or why the phrase cannot be one."""
        target = keyword_target(phrase)
        if target is not None:
            return target
        if not phrase.strip():
            return Unresolved(
                term,
                Reason.NO_KEYWORD,
                "Which word should I look for? e.g. /subscribe keyword lithium",
            )
        return Unresolved(
            term,
            Reason.KEYWORD_LENGTH,
            f"A keyword needs {KEYWORD_MIN_CHARS} to {KEYWORD_MAX_CHARS} letters or digits; "
            f"“{_shown(phrase)}” does not fit.",
        )

    def _unknown(self, term: str, cleaned: str, *, keyword_hint: bool) -> Unresolved:
        """An Unresolved for an unknown word: a city's country, close spellings, or nothing."""
        name = _norm(cleaned)
        shown = _shown(cleaned)
        place = self._places.get(name)
        if place is not None:
            reason = Reason.CITY_OR_STATE
            suggestions: tuple[Target, ...] = (place,)
            message = f"I follow countries, not cities or states: “{shown}” is in {place.label}."
        else:
            suggestions = self._suggest(name) if 2 < len(name) <= 60 else ()
            reason = Reason.TYPO if suggestions else Reason.UNKNOWN
            message = f"I don't know “{shown}”."
            if suggestions:
                message += f" Did you mean {_either(suggestions)}?"
        if keyword_hint and keyword_target(cleaned) is not None and shown == collapse(cleaned):
            message += f" To follow it as a keyword, send /subscribe keyword {shown}"
        return Unresolved(term, reason, message, suggestions)

    def _suggest(self, name: str) -> tuple[Target, ...]:
        """Close spellings among all names, best first, one suggestion per target."""
        matches = process.extract(
            name,
            self._names,
            scorer=OSA.normalized_similarity,
            limit=12,
            score_cutoff=_FUZZY_CUTOFF,
        )
        found: dict[tuple[str, str], Target] = {}
        for choice, _score, _index in matches:
            for target in self._choices[choice]:
                found.setdefault((target.kind, target.value), target)
        return tuple(found.values())[:MAX_SUGGESTIONS]


def as_json(result: Target | Unresolved) -> dict[str, object]:
    """One resolve result as the CLI prints it: {"country": "PE"}, {"error": ...}, ..."""
    if isinstance(result, Unresolved):
        names = [target.label.split(" ", 1)[-1] for target in result.suggestions]
        return {"error": result.message, "suggestions": names}
    if result.kind is TargetKind.REGION:
        found = region(result.value)
        members = sorted(found.countries) if found is not None else []
        return {"region": result.value, "countries": members}
    return {result.kind.value: result.value}


def _build() -> Resolver:
    """Index every name, demonym, alias, translation and topic term."""
    index: dict[str, dict[tuple[str, str], Target]] = {}

    def add(name: str, target: Target) -> None:
        """Index one name; a name shared by two targets becomes ambiguous."""
        key = _norm(name)
        if key:
            index.setdefault(key, {}).setdefault((target.kind, target.value), target)

    countries = {item.code: country_target(item) for item in all_countries()}
    places: dict[str, Target] = {}
    for item in all_countries():
        add(item.name, countries[item.code])
    for place in place_names():
        if place.kind in (PlaceKind.COUNTRY, PlaceKind.DEMONYM, PlaceKind.LOWER):
            add(place.phrase, countries[place.code])
        elif place.kind in (PlaceKind.CITY, PlaceKind.REGION):
            places.setdefault(_norm(place.phrase), countries[place.code])
    for entry in TOPICS:
        target = topic_target(entry)
        for name in (entry.slug, entry.name, *entry.terms, *entry.weak):
            add(name, target)
    for entry_region in REGIONS:
        target = region_target(entry_region)
        for name in (entry_region.slug, entry_region.name, *entry_region.names):
            add(name, target)
    for phrase, slug in NOT_TOPICS.items():
        found = topic(slug) if slug else None
        if found is not None:
            add(phrase, topic_target(found))
    table = {key: tuple(targets.values()) for key, targets in index.items()}
    for word, codes in geodata.AMBIGUOUS.items():
        table[_norm(word)] = tuple(countries[code] for code in codes)
    return Resolver(table, places)


@functools.cache
def _default() -> Resolver:
    """Build the shared resolver once per process."""
    return _build()
