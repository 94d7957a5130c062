"""Keyword phrases: the one matcher that says whether a text contains a phrase as whole words.

Phrase and text are both compared in `phrase_form` (folded, hyphens as spaces, single
spaces), and a hit counts only where no letter, digit or "_" touches it on either side.
`KeywordIndex` holds many phrases in one Aho-Corasick automaton, so the fan-out scans each
new article once however many phrases are followed; `keyword_in` asks about one phrase
(/latest, filters) through a cached one-phrase index.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

import ahocorasick

from bot.classify.normalize import phrase_form


class KeywordIndex:
    """Every followed phrase in one automaton; `found(text)` names the phrases that occur."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        by_form: dict[str, list[str]] = defaultdict(list)
        for phrase in set(phrases):
            form = phrase_form(phrase)
            if any(ch.isalnum() for ch in form):
                by_form[form].append(phrase)
        for form, originals in by_form.items():
            self._automaton.add_word(form, (len(form), tuple(originals)))
        self._empty = not by_form
        if not self._empty:
            self._automaton.make_automaton()

    def found(self, text: str) -> set[str]:
        """The phrases that occur in `text` as whole words."""
        if self._empty:
            return set()
        hay = _text_form(text)
        hits: set[str] = set()
        for end, (length, originals) in self._automaton.iter(hay):
            start = end - length + 1
            before = hay[start - 1] if start > 0 else " "
            after = hay[end + 1] if end + 1 < len(hay) else " "
            if not _wordy(before) and not _wordy(after):
                hits.update(originals)
        return hits


def _wordy(char: str) -> bool:
    """A character that would make a hit part of a longer word ("oman" in "woman")."""
    return char.isalnum() or char == "_"


@functools.lru_cache(maxsize=256)
def _text_form(text: str) -> str:
    """Fold an article once while every keyword of /latest is checked against it."""
    return phrase_form(text)


@functools.lru_cache(maxsize=4096)
def _one_phrase(phrase: str) -> KeywordIndex:
    """Build a phrase's index once; a subscription is checked against many articles."""
    return KeywordIndex([phrase])


def keyword_in(phrase: str, text: str) -> bool:
    """Whole-word phrase match ignoring case, accents and hyphens, for keyword subscriptions."""
    return phrase in _one_phrase(phrase).found(text)
