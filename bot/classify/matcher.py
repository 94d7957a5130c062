"""The compiled multi-pattern matcher: every place word and topic term in one automaton.

Built once from the gazetteer and the topic table.  `scan` runs the Aho-Corasick
automaton over aligned-folded text, keeps whole-word hits only, and resolves overlaps
per layer by taking the earliest, then longest, match ("Papua New Guinea" hides
"Guinea", "air strike" hides "strike").  The same pass notes which groups of context cue
words (bot/classify/context.py) the text holds anywhere, even inside a word: a context
regex that needs one of them is run only where it can match.  Case rules and scoring live
in the classifier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import NamedTuple

import ahocorasick

from bot.classify.context import CUES
from bot.classify.gazetteer import Guard, PlaceKind, key, place_names
from bot.classify.topics import ALSO, NOT_TOPICS, TOPICS

__all__ = ["Entry", "Hit", "Layer", "Matcher", "Scan"]


class Layer(IntEnum):
    """Places and topics are matched together but resolve overlaps separately."""

    GEO = 0
    TOPIC = 1


@dataclass(frozen=True, slots=True)
class Entry:
    """What one pattern means in one layer."""

    layer: Layer
    target: str  # ISO2 code or topic slug; "" hides the words without being evidence
    strong: bool = True  # topics: one strong term is enough
    kind: PlaceKind | None = None
    guard: Guard = Guard.NONE
    exact: str | None = None  # the only spelling that counts (US, ICE)
    month: bool = False  # "march" is also the month
    local: bool = False  # places: a city or province, which places the story there
    also: tuple[str, ...] = ()  # topics: more slugs the words count for ("rent strike")
    shape: str | None = None  # places: a name of several words, as capitalised ("La Paz")
    several: bool = False  # places: a name of several words ("south korea")


class Hit(NamedTuple):
    """A whole-word match at [start, end) of the folded text (a tuple: cheap to make)."""

    start: int
    end: int
    entry: Entry


_hit = Hit._make  # quicker than Hit(...) in the scan's loop


class Scan(NamedTuple):
    """What one pass over a text found."""

    places: list[Hit]
    terms: list[Hit]
    cues: frozenset[str]  # the context cue groups whose words the text holds


_Value = tuple[int, Entry | None, Entry | None, frozenset[str]]
_NO_CUES: frozenset[str] = frozenset()


def _longest(hits: list[Hit]) -> list[Hit]:
    """Keep non-overlapping hits, earliest first and longest at each start."""
    reach = -1
    for hit in hits:  # found in order of their ends: without overlaps, already the answer
        if hit.start < reach:
            break
        reach = hit.end
    else:
        return hits
    hits.sort(key=lambda hit: (hit.start, -hit.end))
    kept: list[Hit] = []
    reach = -1
    for hit in hits:
        if hit.start >= reach:
            kept.append(hit)
            reach = hit.end
    return kept


class Matcher:
    """One automaton over both layers and the cue words; `scan` returns a Scan."""

    def __init__(
        self,
        patterns: Iterable[tuple[str, Entry]],
        cues: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        table: dict[str, list[Entry | None]] = {}
        for phrase, entry in patterns:
            folded = key(phrase)
            if not folded:
                continue
            slots = table.setdefault(folded, [None, None])
            if slots[entry.layer] is None:
                if entry.layer is Layer.GEO and " " in folded:
                    entry = replace(entry, several=True)
                slots[entry.layer] = entry
        groups: dict[str, set[str]] = {}
        for group, words in (cues or {}).items():
            for word in words:
                if folded := key(word):
                    groups.setdefault(folded, set()).add(group)
        self._automaton = ahocorasick.Automaton()
        for folded in table.keys() | groups.keys():
            geo, topic = table.get(folded, (None, None))
            found = frozenset(groups.get(folded, ()))
            self._automaton.add_word(folded, (len(folded), geo, topic, found))
        self._automaton.make_automaton()
        self.size = len(table)

    @classmethod
    def build(cls) -> Matcher:
        """The matcher over the gazetteer and the topic table, for Classifier.default()."""
        return cls(_patterns(), CUES)

    def place(self, folded: str) -> Entry | None:
        """The place one whole folded phrase names ("north korea"), if any."""
        value: _Value | None = self._automaton.get(folded, None)
        return value[1] if value is not None else None

    def scan(self, folded: str) -> Scan:
        """Whole-word, non-overlapping hits in aligned-folded text, per layer, and its cues."""
        geo: list[Hit] = []
        topics: list[Hit] = []
        cues = _NO_CUES
        padded = f" {folded} "  # padded[i] is the character before folded[i]
        value: _Value
        for last, value in self._automaton.iter(folded):
            length, place, topic, found = value
            if found:
                cues = cues | found
                if place is None and topic is None:
                    continue
            start = last - length + 1
            if padded[start].isalnum() or padded[last + 2].isalnum():
                continue  # part of a longer word
            if place is not None:
                geo.append(_hit((start, last + 1, place)))
            if topic is not None:
                topics.append(_hit((start, last + 1, topic)))
        return Scan(_longest(geo), _longest(topics), cues)


def _exact(phrase: str) -> str | None:
    """Terms written in capitals (ICE, AIDS) must match in capitals."""
    letters = [ch for ch in phrase if ch.isalpha()]
    return phrase if letters and phrase.upper() == phrase else None


def _shape(phrase: str) -> str | None:
    """A name whose later words are capitalised ("La Paz", "Costa Rica"), to tell it from
    the same words as common ones ("la paz en su laberinto")."""
    words = phrase.replace("-", " ").split()
    return phrase if any(word[:1].isupper() for word in words[1:]) else None


def _patterns() -> Iterable[tuple[str, Entry]]:
    """Every phrase the matcher knows, with its meaning in its layer."""
    for name in place_names():
        entry = Entry(
            Layer.GEO,
            name.code,
            kind=name.kind,
            guard=name.guard,
            exact=name.phrase if name.exact else None,
            local=name.local,
            shape=_shape(name.phrase) if not name.exact else None,
        )
        yield name.phrase, entry
    for phrase, slug in NOT_TOPICS.items():
        yield phrase, Entry(Layer.TOPIC, slug, also=ALSO.get(key(phrase), ()))
    for item in TOPICS:
        for strong, words in ((True, item.terms), (False, item.weak)):
            for phrase in words:
                entry = Entry(
                    Layer.TOPIC,
                    item.slug,
                    strong=strong,
                    exact=_exact(phrase),
                    month=phrase == "march",
                    also=ALSO.get(key(phrase), ()),
                )
                yield phrase, entry
                if "'" in phrase:
                    yield phrase.replace("'", ""), entry
