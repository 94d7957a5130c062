"""Syndication: the same story republished by several sources, found by near-duplicate text.

Pure: the poller gives it the recent articles and asks, for each new one, which earlier
article of another source tells the same story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.classify.normalize import collapse, strip_marks
from bot.models import RecentStory

WINDOW_SECONDS = 3 * 86400  # republications appear within a few days
TITLE_SCORE = 90  # token-set similarity of two titles, 0-100
TEASER_SCORE = 90
MIN_TITLE_WORDS = 4  # "Breaking news" twice is no evidence
MIN_TEASER_WORDS = 12
_NON_WORD = re.compile(r"[^\w\s]+")
# words whose presence or absence doesn't change what a headline says
FILLER = frozenset(
    {
        *("a", "an", "the", "in", "on", "of", "to", "for", "and", "or", "as", "at", "by"),
        *("with", "from", "into", "over", "is", "are", "was", "were", "its", "their"),
        *("s", "says", "said", "new"),
    }
)
# " - Peoples Dispatch", " | Popular Resistance": a republisher's own name after the title.
_SITE_SUFFIX = re.compile(r"\s+[-|\u2013\u2014:]\s+[^-|\u2013\u2014:]{2,40}$")


def normalized(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: what similarity compares."""
    return collapse(_NON_WORD.sub(" ", strip_marks(text.casefold())))


@dataclass(frozen=True, slots=True)
class _Entry:
    url_norm: str
    source_id: int
    title: str
    title_words: int
    teaser: str
    teaser_words: int


def _entry(url_norm: str, source_id: int, title: str, teaser: str) -> _Entry:
    title_n = normalized(_SITE_SUFFIX.sub("", title))
    teaser_n = normalized(teaser)[:400]
    return _Entry(
        url_norm, source_id, title_n, len(title_n.split()), teaser_n, len(teaser_n.split())
    )


def substituted(a: str, b: str) -> bool:
    """Each text has words the other lacks: a word was swapped, not added or cut.

    A republisher adds a prefix ("Peru:"), a site name, or cuts the excerpt shorter; a
    different story swaps words ("…Ports In Chile" / "…In Peru", "Day Three" / "Day Four"),
    which token-set similarity alone scores as near-identical.
    """
    only_a = set(a.split()) - set(b.split()) - FILLER
    only_b = set(b.split()) - set(a.split()) - FILLER
    return bool(only_a) and bool(only_b)


def _without_cut_word(teaser: str) -> str:
    """Excerpts end mid-sentence, often mid-word: the last word says nothing."""
    return teaser.rsplit(" ", 1)[0]


def same_story(a: _Entry, b: _Entry) -> bool:
    """Near-duplicate titles of similar length, or near-duplicate teasers with related titles."""
    if min(a.title_words, b.title_words) >= MIN_TITLE_WORDS:
        similar_length = min(a.title_words, b.title_words) >= 0.6 * max(
            a.title_words, b.title_words
        )
        if (
            similar_length
            and fuzz.token_set_ratio(a.title, b.title) >= TITLE_SCORE
            and not substituted(a.title, b.title)
        ):
            return True
    if min(a.teaser_words, b.teaser_words) >= MIN_TEASER_WORDS:
        return (
            fuzz.token_set_ratio(a.teaser, b.teaser) >= TEASER_SCORE
            and fuzz.token_set_ratio(a.title, b.title) >= 60
            and not substituted(_without_cut_word(a.teaser), _without_cut_word(b.teaser))
        )
    return False


class StoryIndex:
    """Recent articles, to find the story a new article belongs to."""

    def __init__(self, recent: Iterable[RecentStory] = ()) -> None:
        self._entries: list[_Entry] = []
        for story in recent:
            self.add(story.url_norm, story.source_id, story.title, story.teaser)

    def add(self, url_norm: str, source_id: int, title: str, teaser: str) -> None:
        self._entries.append(_entry(url_norm, source_id, title, teaser))

    def find(self, source_id: int, title: str, teaser: str) -> str | None:
        """The url_norm of the earliest article from another source telling the same story."""
        new = _entry("", source_id, title, teaser)
        for entry in self._entries:
            if entry.source_id != source_id and same_story(entry, new):
                return entry.url_norm
        return None
