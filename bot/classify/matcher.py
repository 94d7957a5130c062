"""The compiled multi-pattern matcher: every place word and topic term in one automaton.

Built once from the gazetteer and the topic table.  `scan` runs the Aho-Corasick
automaton over aligned-folded text with every character that is not a letter or digit as
a space, and each phrase is stored between two spaces, so only whole words match: the
automaton never reports the "war" in "toward", a third of all hits.  It resolves overlaps
per layer by taking the earliest, then longest, match ("Papua New Guinea" hides
"Guinea", "air strike" hides "strike").  The same pass notes which groups of context cue
words (bot/classify/context.py) the text holds anywhere, even inside a word: a context
regex that needs one of them is run only where it can match.  Case rules and scoring live
in the classifier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from operator import itemgetter
from typing import Final, NamedTuple

import ahocorasick

from bot.classify.context import CUES
from bot.classify.gazetteer import Guard, PlaceKind, key, place_names
from bot.classify.normalize import word_breaks
from bot.classify.topics import ALSO, FIGURATIVE, NOT_TOPICS, TOPICS

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
    titled: str | None = None  # places: an exact acronym's other spelling ("Cosatu")
    month: bool = False  # "march" is also the month
    also: tuple[str, ...] = ()  # topics: more slugs the words count for ("rent strike")
    shape: str | None = None  # places: a name of several words, as capitalised ("La Paz")
    several: bool = False  # places: a name of several words ("south korea")
    plain: bool = False  # topics: no case, month or figure-of-speech rule applies to it
    # (`several` and `plain` are facts about the phrase, set where the entry is made)


class Hit(NamedTuple):
    """A whole-word match at [start, end) of the folded text (a tuple: cheap to make)."""

    start: int
    end: int
    entry: Entry


_new_tuple: Final = tuple.__new__  # Hit(...) and Scan(...) run Python code; the scan makes many


class Scan(NamedTuple):
    """What one pass over a text found."""

    places: list[Hit]
    terms: list[Hit]
    cues: frozenset[str]  # the context cue groups whose words the text holds


# the phrase's length, its place and topic meanings, the cue groups, and the phrase as
# spelled where it is more than one word: the word-break form would also take "u s" for
# "u.s." and "labour/union" for "labour union"
_Value = tuple[int, Entry | None, Entry | None, frozenset[str], str | None]
_NO_CUES: Final[frozenset[str]] = frozenset()
_START: Final = itemgetter(0)
_END: Final = itemgetter(1)


def _longest(hits: list[Hit]) -> list[Hit]:
    """Keep non-overlapping hits, earliest first and longest at each start."""
    reach = -1
    for hit in hits:  # found in order of their ends: without overlaps, already the answer
        if hit.start < reach:
            break
        reach = hit.end
    else:
        return hits
    hits.sort(key=_END, reverse=True)  # then by start, stably: longest first at each start
    hits.sort(key=_START)
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
                slots[entry.layer] = entry
        groups: dict[str, set[str]] = {}
        for group, words in (cues or {}).items():
            for word in words:
                if folded := key(word):
                    groups.setdefault(word_breaks(folded), set()).add(group)
        # a cue counts anywhere, even inside a word; a phrase only as whole words
        values: dict[str, _Value] = {
            cue: (0, None, None, frozenset(found), None) for cue, found in groups.items()
        }
        for folded, (geo, topic) in table.items():
            spaced = f" {word_breaks(folded)} "
            cue = values.get(spaced)  # a cue word with spaces of its own (none has one yet)
            spelled = None if spaced[1:-1].isalnum() else folded  # "u.s.", "labour union"
            values[spaced] = (len(folded), geo, topic, cue[3] if cue else _NO_CUES, spelled)
        self._automaton = ahocorasick.Automaton()
        for word, value in values.items():
            self._automaton.add_word(word, value)
        self._automaton.make_automaton()
        self._places = {folded: geo for folded, (geo, _) in table.items() if geo is not None}
        self.size = len(table)

    @classmethod
    def build(cls) -> Matcher:
        """The matcher over the gazetteer and the topic table, for Classifier.default()."""
        return cls(_patterns(), CUES)

    def place(self, folded: str) -> Entry | None:
        """The place one whole folded phrase names ("north korea"), if any."""
        return self._places.get(folded)

    def scan(self, folded: str) -> Scan:
        """Whole-word, non-overlapping hits in aligned-folded text, per layer, and its cues."""
        geo: list[Hit] = []
        topics: list[Hit] = []
        cues = _NO_CUES
        value: _Value
        # " text ": a position of the text is one more here, and a phrase ends in a space
        for last, value in self._automaton.iter(f" {word_breaks(folded)} "):
            length, place, topic, found, spelled = value
            if found:
                cues = cues | found
                if place is None and topic is None:
                    continue
            start = last - length - 1
            if spelled is not None and folded[start : last - 1] != spelled:
                continue  # "u s" is not "u.s.", nor "labour/union" "labour union"
            if place is not None:
                geo.append(_new_tuple(Hit, (start, last - 1, place)))
            if topic is not None:
                topics.append(_new_tuple(Hit, (start, last - 1, topic)))
        return _new_tuple(Scan, (_longest(geo), _longest(topics), cues))


def _plain(folded: str, slug: str, exact: str | None = None, month: bool = False) -> bool:
    """A topic word that counts wherever it is found, so the classifier need not look twice."""
    return bool(slug) and exact is None and not month and folded not in FIGURATIVE.words


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
    """Every phrase the matcher knows, with its meaning in its layer.  Most phrases share
    their meaning with many others (every plain name of a country, every strong word of a
    topic), so each distinct meaning is made once: it halves the matcher's build."""
    made: dict[tuple[object, ...], Entry] = {}

    def entry(layer: Layer, target: str, **fields: object) -> Entry:
        found = made.get(spec := (layer, target, *fields.items()))
        if found is None:
            found = made[spec] = Entry(layer, target, **fields)  # type: ignore[arg-type]
        return found

    for name in place_names():
        yield (
            name.phrase,
            entry(
                Layer.GEO,
                name.code,
                kind=name.kind,
                guard=name.guard,
                exact=name.phrase if name.exact else None,
                titled=name.phrase.capitalize() if name.titled else None,
                shape=_shape(name.phrase) if not name.exact else None,
                several=" " in key(name.phrase),
            ),
        )
    for phrase, slug in NOT_TOPICS.items():
        folded = key(phrase)
        yield (
            phrase,
            Entry(Layer.TOPIC, slug, also=ALSO.get(folded, ()), plain=_plain(folded, slug)),
        )
    for item in TOPICS:
        for strong, words in ((True, item.terms), (False, item.weak)):
            for phrase in words:
                folded = key(phrase)
                exact, month = _exact(phrase), phrase == "march"
                made_entry = entry(
                    Layer.TOPIC,
                    item.slug,
                    strong=strong,
                    exact=exact,
                    month=month,
                    also=ALSO.get(folded, ()),
                    plain=_plain(folded, item.slug, exact, month),
                )
                yield phrase, made_entry
                if "'" in phrase:
                    yield phrase.replace("'", ""), made_entry
