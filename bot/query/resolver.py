"""Understanding what a reader typed after /subscribe: countries, topics or keywords.

`split_terms` cuts the reader's text into terms; `Resolver.resolve` turns one term into
a Target, or an Unresolved with a typed reason (what callers branch on), a friendly
message (what the reader sees) and up to three suggestions.  A keyword comes only from a
quoted phrase or the `keyword` prefix: an unknown bare word is never silently followed
as a keyword.  `Resolver.read` also says how a loosely read term was taken (a typo one
edit from a single name: "Argentna → 🇦🇷 Argentina"), for the reply.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.classify import geodata
from bot.classify.countries import Country, all_countries, country
from bot.classify.gazetteer import PlaceKind, place_names, reader_names
from bot.classify.isocodes import iso_codes
from bot.classify.normalize import QUOTE_MARKS, collapse, fold, phrase_form
from bot.classify.regions import REGIONS, Region, region
from bot.classify.topics import NOT_TOPICS, TOPICS, Topic, topic
from bot.i18n import ENGLISH, N_, Translator, languages, translator
from bot.models import Target, TargetKind, Unresolved
from bot.models import UnresolvedReason as Reason
from bot.text import echo

MAX_TERMS = 25  # split_terms keeps at most this many terms
MAX_TERM_CHARS = 100  # longer terms are not looked up at all
KEYWORD_MIN_CHARS = 2
KEYWORD_MAX_CHARS = 60
MAX_SUGGESTIONS = 3
_FUZZY_CUTOFF = 0.75  # OSA similarity: one typo or swapped pair in four letters
TYPO_MIN_CHARS = 6  # a shorter word is too often an everyday word one edit from a name

_OPEN_QUOTES = QUOTE_MARKS
_QUOTED = re.compile(rf"[{QUOTE_MARKS}]([^{QUOTE_MARKS}]*)[{QUOTE_MARKS}]?")
_SEPARATORS = re.compile(r"[,;\n|]+")
_COMMAND = re.compile(r"^\s*/\w+(?:@\w+)?")
_MENTION = re.compile(r"(?<![\w.])@\w+")
_KEYWORD = re.compile(r"(?is)^(?:keyword|kw)(?:\s*:\s*|\s+)(.*)$")
_BARE_KEYWORD = re.compile(r"(?i)^(?:keyword|kw)\s*:?$")
_EDGE_JUNK = " \t,;:!?()[]{}<>*\u2022\u00b7\u2013\u2014-"  # incl. bullets and dashes
_KEPT = "&+@#$%"  # part of a word ("LGBTQ+", "&lt"): never stripped as punctuation
_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")  # two regional-indicator letters
# "Myanmar (Burma)": a name and a second name or a note; trailing punctuation allowed.
_PARENTHESES = re.compile(r"^(?P<outer>[^()]*?)\s*\((?P<inner>[^()]+)\)?[\W_]*$")

EMPTY_MESSAGE = N_(
    "Tell me what to follow after /subscribe: a country, a topic or a keyword, "
    "e.g. /subscribe Peru, labor"
)


@dataclass(frozen=True, slots=True)
class Reading:
    """A term's result, and how it was read when that is not what the reader typed."""

    result: Target | Unresolved
    note: str = ""  # e.g. "Argentna → 🇦🇷 Argentina"; empty when read as typed


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


def _clean(text: str) -> str:
    """The term without a hashtag sign, quotes, brackets or punctuation around it ("¿Perú?")."""
    cleaned = text.lstrip("#").strip(_EDGE_JUNK + _OPEN_QUOTES + "'")
    start, end = 0, len(cleaned)
    while start < end and not (cleaned[start].isalnum() or cleaned[start] in _KEPT):
        start += 1
    while end > start and not (cleaned[end - 1].isalnum() or cleaned[end - 1] in _KEPT):
        end -= 1
    return cleaned[start:end]


def _flags(text: str) -> tuple[Target, ...]:
    """The countries of the flag emoji in the text, each once, in order."""
    found: dict[str, Target] = {}
    for flag in _FLAG.findall(text):
        code = "".join(chr(ord(ch) - 0x1F1E6 + ord("A")) for ch in flag)
        item = country(code)
        if item is not None:
            found.setdefault(item.code, country_target(item))
    return tuple(found.values())


def _norm(text: str) -> str:
    """Lookup form of a reader's term: folded, no dots or hyphens, single spaces."""
    return collapse(phrase_form(text).replace(".", ""))


def _strip_the(text: str) -> str:
    """Readers write "the Philippines" and "the US"."""
    return text[4:] if text.startswith("the ") else text


def split_terms(text: str) -> list[str]:
    """The first MAX_TERMS terms of the text (`split_all_terms`): what one command reads."""
    return split_all_terms(text)[:MAX_TERMS]


def split_all_terms(text: str) -> list[str]:
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
    return list(unique.values())


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
    return echo(term)


def _city(term: str, shown: str, place: Target, tr: Translator) -> Unresolved:
    """A city or state is not followed: its country is suggested instead."""
    return Unresolved(
        term,
        Reason.CITY_OR_STATE,
        tr.gettext("I follow countries, not cities or states: “{term}” is in {country}.").format(
            term=shown, country=tr.label(place)
        ),
        (place,),
    )


class Resolver:
    """Maps a reader's words to targets; build once with `default()` and share."""

    def __init__(
        self,
        index: dict[str, tuple[Target, ...]],
        places: dict[str, Target],
        names: Collection[str] | None = None,
    ) -> None:
        self._index = index
        self._places = places  # cities and states, only ever suggested
        self._choices: dict[str, tuple[Target, ...]] = {
            name: targets for name, targets in index.items() if len(name) > 3
        }
        for name, target in places.items():
            self._choices.setdefault(name, (target,))
        self._names = list(self._choices)
        # a typo is read as a name, never as a topic's word: "inner" is not "winner"
        proper = set(index if names is None else names) | set(places)
        self._proper = [name for name in self._names if name in proper]

    @classmethod
    def default(cls) -> Resolver:
        """The shared resolver over all countries and topics, built on first use."""
        return _default()

    def resolve(
        self, term: str, *, keyword_hint: bool = True, tr: Translator = ENGLISH
    ) -> Target | Unresolved:
        """One term to a Target, or an Unresolved saying what the reader probably meant.

        `keyword_hint=False` leaves out "send /subscribe keyword …" for callers, such as
        filters, that follow unknown words as keywords themselves. Messages are in `tr`'s
        language.
        """
        return self.read(term, keyword_hint=keyword_hint, tr=tr).result

    def read(self, term: str, *, keyword_hint: bool = True, tr: Translator = ENGLISH) -> Reading:
        """Like `resolve`, with a note when the term was read as something close to it."""
        text = collapse(term or "")
        if not text:
            return Reading(Unresolved(term, Reason.EMPTY, tr.gettext(EMPTY_MESSAGE)))
        keyword = _KEYWORD.match(text)
        if keyword or _BARE_KEYWORD.match(text):
            return Reading(self._keyword(term, keyword.group(1) if keyword else "", tr))
        if len(text) >= 2 and text[0] in _OPEN_QUOTES and text[-1] in _OPEN_QUOTES:
            return Reading(self._keyword(term, text[1:-1], tr))
        if len(text) > MAX_TERM_CHARS:
            return Reading(
                Unresolved(
                    term,
                    Reason.TOO_LONG,
                    tr.gettext(
                        "That is too long for one term. Send countries, topics or keywords "
                        "separated by commas, e.g. /subscribe Peru, labor"
                    ),
                )
            )
        flags = _flags(text)
        if flags:
            return self._flagged(term, text, flags, keyword_hint=keyword_hint, tr=tr)
        parts = _PARENTHESES.match(text)
        if parts:
            inside = self._parenthesised(parts["outer"], parts["inner"])
            if inside is not None:
                return Reading(inside)
        cleaned = _clean(text)
        if not any(ch.isalnum() for ch in cleaned):
            return Reading(
                Unresolved(
                    term,
                    Reason.NO_WORD,
                    tr.gettext("I found no word to follow in “{term}”.").format(term=_shown(text))
                    + " "
                    + tr.gettext(EMPTY_MESSAGE),
                )
            )
        found = self._lookup(cleaned)
        if isinstance(found, Target):
            return Reading(found)
        if found:
            return Reading(self._ambiguous(term, cleaned, found, tr))
        if _norm(cleaned) in self._places:
            return Reading(self._unknown(term, cleaned, keyword_hint=keyword_hint, tr=tr))
        return self._one_edit(term, cleaned, tr) or Reading(
            self._unknown(term, cleaned, keyword_hint=keyword_hint, tr=tr)
        )

    def _ambiguous(
        self, term: str, cleaned: str, found: tuple[Target, ...], tr: Translator
    ) -> Unresolved:
        """The question for a name of several targets."""
        return Unresolved(
            term,
            Reason.AMBIGUOUS,
            tr.gettext(
                "“{term}” could mean {choices}. Which one? Send e.g. /subscribe {example}"
            ).format(
                term=_shown(cleaned),
                choices=tr.either(found),
                example=tr.label(found[0]).split(" ", 1)[-1],
            ),
            found,
        )

    def _flagged(
        self,
        term: str,
        text: str,
        flags: tuple[Target, ...],
        *,
        keyword_hint: bool,
        tr: Translator,
    ) -> Reading:
        """A flag is its country ("🇨🇱"); words beside it may pick one of several flags."""
        rest = _clean(_FLAG.sub(" ", text))
        if any(ch.isalnum() for ch in rest):
            beside = self.read(rest, keyword_hint=keyword_hint, tr=tr)
            if beside.result in flags:
                return beside
        if len(flags) == 1:
            return Reading(flags[0])
        return Reading(self._ambiguous(term, text, flags, tr))

    def _candidates(self, words: str) -> tuple[tuple[Target, ...], bool]:
        """What some words may name, and whether they are a name we follow (not a city)."""
        cleaned = _clean(words)
        found = self._lookup(cleaned) if any(ch.isalnum() for ch in cleaned) else ()
        if isinstance(found, Target):
            return (found,), True
        if found:
            return found, True
        place = self._places.get(_norm(cleaned))
        return ((place,), False) if place is not None else ((), False)

    def _parenthesised(self, outer: str, inner: str) -> Target | None:
        """ "Côte d'Ivoire (Ivory Coast)", "Congo (Kinshasa)", "Peru (country)": one target."""
        first, first_named = self._candidates(outer)
        second, second_named = self._candidates(inner)
        common = [target for target in first if target in second]
        if len(common) == 1 and (first_named or second_named):
            return common[0]
        if len(first) == 1 and first_named and not second_named:
            return first[0]
        if not first and len(second) == 1 and second_named:
            return second[0]
        return None

    def _one_edit(self, term: str, cleaned: str, tr: Translator) -> Reading | None:
        """A word one typo from known names: the one target they share, or which one?"""
        name = _norm(cleaned)
        if sum(ch.isalpha() for ch in name) < TYPO_MIN_CHARS:
            return None
        fits = process.extract(name, self._proper, scorer=OSA.distance, score_cutoff=1, limit=None)
        if not fits:
            return None
        # a name readers can follow fits before a city or state one edit away too
        # ("mexco" is Mexico, not Guatemala's Mixco)
        followable = [fit for fit in fits if fit[0] in self._index]
        fits = followable or fits
        targets: dict[tuple[str, str], Target] = {}
        followed = bool(followable)
        for choice, _distance, _index in fits:
            for target in self._choices[choice]:
                targets.setdefault((target.kind, target.value), target)
        found = tuple(targets.values())
        shown = _shown(cleaned)
        if len(found) > 1:
            return Reading(
                Unresolved(
                    term,
                    Reason.TYPO,
                    tr.gettext("I don't know “{term}”.").format(term=shown)
                    + " "
                    + tr.gettext("Did you mean {choices}?").format(
                        choices=tr.either(found[:MAX_SUGGESTIONS])
                    ),
                    found[:MAX_SUGGESTIONS],
                )
            )
        if not followed:  # a city or state, misspelt: suggested, never followed
            return Reading(_city(term, shown, found[0], tr))
        return Reading(found[0], f"{shown} → {tr.label(found[0])}")

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
            record = iso_codes().by_alpha_3(letters)
            item = country(record.alpha_2) if record is not None else None
            if item is not None:
                return country_target(item)
        return ()

    def _keyword(self, term: str, phrase: str, tr: Translator) -> Target | Unresolved:
        """A keyword target, or why the phrase cannot be one."""
        target = keyword_target(phrase)
        if target is not None:
            return target
        if not phrase.strip():
            return Unresolved(
                term,
                Reason.NO_KEYWORD,
                tr.gettext("Which word should I look for? e.g. /subscribe keyword lithium"),
            )
        return Unresolved(
            term,
            Reason.KEYWORD_LENGTH,
            tr.gettext(
                "A keyword needs {min} to {max} letters or digits; “{term}” does not fit."
            ).format(min=KEYWORD_MIN_CHARS, max=KEYWORD_MAX_CHARS, term=_shown(phrase)),
        )

    def _unknown(
        self, term: str, cleaned: str, *, keyword_hint: bool, tr: Translator
    ) -> Unresolved:
        """An Unresolved for an unknown word: a city's country, close spellings, or nothing."""
        name = _norm(cleaned)
        shown = _shown(cleaned)
        place = self._places.get(name)
        if place is not None:
            city = _city(term, shown, place, tr)
            reason, suggestions, message = city.reason, city.suggestions, city.message
        else:
            suggestions = self._suggest(name) if 3 < len(name) <= 60 else ()
            reason = Reason.TYPO if suggestions else Reason.UNKNOWN
            message = tr.gettext("I don't know “{term}”.").format(term=shown)
            if suggestions:
                message += " " + tr.gettext("Did you mean {choices}?").format(
                    choices=tr.either(suggestions)
                )
        if keyword_hint and keyword_target(cleaned) is not None and shown == collapse(cleaned):
            message += " " + tr.gettext(
                "To follow it as a keyword, send /subscribe keyword {term}"
            ).format(term=shown)
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

    names: set[str] = set()  # names of countries, regions and topics, not topics' words

    def add(name: str, target: Target, *, proper: bool = True) -> None:
        """Index one name; a name shared by two targets becomes ambiguous."""
        key = _norm(name)
        if key:
            index.setdefault(key, {}).setdefault((target.kind, target.value), target)
            if proper:
                names.add(key)

    countries = {item.code: country_target(item) for item in all_countries()}
    places: dict[str, Target] = {}
    for item in all_countries():
        add(item.name, countries[item.code])
    for place in place_names():
        # cities, states and provinces (also the hand-kept ones) only ever name their country
        if place.local and place.code:
            places.setdefault(_norm(place.phrase), countries[place.code])
        elif place.kind in (PlaceKind.COUNTRY, PlaceKind.DEMONYM, PlaceKind.LOWER):
            add(place.phrase, countries[place.code])
    shown_in = [translator(code) for code in languages()]  # what we show, a reader may type
    for entry in TOPICS:
        target = topic_target(entry)
        for name in (entry.slug, entry.name, *(tr.topic_name(entry.slug) for tr in shown_in)):
            add(name, target)
        for name in (*entry.terms, *entry.weak):
            add(name, target, proper=False)
    for entry_region in REGIONS:
        target = region_target(entry_region)
        shown = (tr.region_name(entry_region.slug) for tr in shown_in)
        for name in (entry_region.slug, entry_region.name, *entry_region.names, *shown):
            add(name, target)
    for phrase, slug in NOT_TOPICS.items():
        found = topic(slug) if slug else None
        if found is not None:
            add(phrase, topic_target(found), proper=False)
    for code, name in reader_names():  # only where no other name has the word
        if _norm(name) not in index and _norm(name) not in places:
            add(name, countries[code])
    for tr in shown_in:  # "RD del Congo", as /list shows it in Spanish
        for code, target in countries.items():
            name = tr.country_name(code)
            if _norm(name) not in index and _norm(name) not in places:
                add(name, target)
    table = {key: tuple(targets.values()) for key, targets in index.items()}
    for word, codes in geodata.AMBIGUOUS.items():
        table[_norm(word)] = tuple(countries[code] for code in codes)
        names.add(_norm(word))
    return Resolver(table, places, names)


@functools.cache
def _default() -> Resolver:
    """Build the shared resolver once per process."""
    return _build()
