"""Syndication: the same story republished by several sources, found by near-duplicate text.

Pure: the poller gives it the recent articles and asks, for each new one, which earlier
article of another source tells the same story.

Comparing a new article with every recent one costs seconds at tens of thousands, so the
index only compares it with candidates that can pass `same_story`, found through its words.
Both ways of matching end in `not substituted(x, y)`: the content words (not FILLER) of x
all occur in y, or those of y all occur in x. So a stored article can match only if

- its content words all occur in the new one: it is filed under one of its content words
  (`keyed`), and the new article looks up each of its own; or
- the new one's content words all occur in it: it contains the new one's rarest content
  word, found in `having`; or
- one side has no content word at all (kept aside in `wordless`, or compared with all).

Titles and teasers are indexed apart, each only when long enough to count as evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

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
class StoryText:
    """An article's title and teaser in the form similarity compares."""

    url_norm: str
    source_id: int
    title: str
    title_words: int
    teaser: str
    teaser_words: int


def story_text(url_norm: str, source_id: int, title: str, teaser: str) -> StoryText:
    title_n = normalized(_SITE_SUFFIX.sub("", title))
    teaser_n = normalized(teaser)[:400]
    return StoryText(
        url_norm, source_id, title_n, len(title_n.split()), teaser_n, len(teaser_n.split())
    )


def content_words(text: str) -> frozenset[str]:
    """The words that make two texts different stories when one lacks them."""
    return frozenset(text.split()) - FILLER


def substituted(a: str, b: str) -> bool:
    """Each text has words the other lacks: a word was swapped, not added or cut.

    A republisher adds a prefix ("Peru:"), a site name, or cuts the excerpt shorter; a
    different story swaps words ("…Ports In Chile" / "…In Peru", "Day Three" / "Day Four"),
    which token-set similarity alone scores as near-identical.
    """
    only_a = content_words(a) - set(b.split())
    only_b = content_words(b) - set(a.split())
    return bool(only_a) and bool(only_b)


def _without_cut_word(teaser: str) -> str:
    """Excerpts end mid-sentence, often mid-word: the last word says nothing."""
    return teaser.rsplit(" ", 1)[0]


def same_story(a: StoryText, b: StoryText) -> bool:
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


def _title_words(text: StoryText) -> frozenset[str] | None:
    """A title's content words, or None when the title is too short to match by."""
    return content_words(text.title) if text.title_words >= MIN_TITLE_WORDS else None


def _teaser_words(text: StoryText) -> frozenset[str] | None:
    if text.teaser_words < MIN_TEASER_WORDS:
        return None
    return content_words(_without_cut_word(text.teaser))


@dataclass(slots=True)
class _Postings:
    """One field's (titles' or teasers') way from words to the articles that may match."""

    keyed: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    having: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    wordless: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)

    def add(self, seq: int, words: frozenset[str]) -> None:
        self.members.append(seq)
        if not words:
            self.wordless.append(seq)
            return
        # any content word would do; the rarest keeps each key's list short
        key = min(words, key=lambda word: (len(self.having.get(word, ())), -len(word), word))
        self.keyed[key].append(seq)
        for word in words:
            self.having[word].append(seq)

    def candidates(self, words: frozenset[str]) -> Iterable[int]:
        """Every indexed article that can pass `not substituted` with text of `words`."""
        if not words:
            return self.members
        found = [*self.wordless]
        for word in words:
            found += self.keyed.get(word, ())
        rarest = min(words, key=lambda word: len(self.having.get(word, ())))
        found += self.having.get(rarest, ())
        return found


class StoryIndex:
    """Recent articles, to find the story a new article belongs to.

    Kept between polls: `move_to(now)` forgets what left the window and dates what is added
    next; `commit` keeps what the poll stored. Until then the poll's additions are
    provisional: a poll that failed before storing leaves none behind.
    """

    def __init__(self, recent: Iterable[RecentStory] = ()) -> None:
        self._texts: dict[int, StoryText] = {}  # by sequence number: oldest first
        self._seen: dict[int, float] = {}
        self._titles = _Postings()
        self._teasers = _Postings()
        self._next = 0
        self._stale = 0  # sequence numbers still in postings after their article left
        self._now = 0.0
        self._added: list[int] = []  # since the last move_to
        for story in recent:
            text = story_text(story.url_norm, story.source_id, story.title, story.teaser)
            self._insert(text, story.first_seen_at)

    def __len__(self) -> int:
        return len(self._texts)

    def add(self, url_norm: str, source_id: int, title: str, teaser: str) -> None:
        text = story_text(url_norm, source_id, title, teaser)
        self._added.append(self._insert(text, self._now))

    def find(self, source_id: int, title: str, teaser: str) -> str | None:
        """The url_norm of the earliest article from another source telling the same story."""
        new = story_text("", source_id, title, teaser)
        seqs: set[int] = set()
        title_words, teaser_words = _title_words(new), _teaser_words(new)
        if title_words is not None:
            seqs.update(self._titles.candidates(title_words))
        if teaser_words is not None:
            seqs.update(self._teasers.candidates(teaser_words))
        for seq in sorted(seqs):
            text = self._texts.get(seq)
            if text is not None and text.source_id != source_id and same_story(text, new):
                return text.url_norm
        return None

    def move_to(self, now: float) -> None:
        """A new poll at `now`: forget articles first seen before the window."""
        self._now = now
        self.commit(())  # a poll that stopped before storing: none of its articles are known
        since = now - WINDOW_SECONDS
        for seq, seen in list(self._seen.items()):
            if seen >= since:
                break
            self._forget(seq)
        self._compact()

    def commit(self, stored: Collection[str]) -> None:
        """Keep this poll's additions that were stored; a failed source's articles wait."""
        for seq in self._added:
            text = self._texts.get(seq)
            if text is not None and text.url_norm not in stored:
                self._forget(seq)
        self._added = []
        self._compact()

    def _insert(self, text: StoryText, seen: float) -> int:
        seq = self._next
        self._next += 1
        self._texts[seq] = text
        self._seen[seq] = seen
        self._file(seq, text)
        return seq

    def _file(self, seq: int, text: StoryText) -> None:
        title_words, teaser_words = _title_words(text), _teaser_words(text)
        if title_words is not None:
            self._titles.add(seq, title_words)
        if teaser_words is not None:
            self._teasers.add(seq, teaser_words)

    def _forget(self, seq: int) -> None:
        del self._texts[seq], self._seen[seq]
        self._stale += 1

    def _compact(self) -> None:
        """Rebuild the postings once they hold more departed articles than present ones."""
        if self._stale <= max(len(self._texts), 1000):
            return
        self._titles, self._teasers, self._stale = _Postings(), _Postings(), 0
        for seq, text in self._texts.items():
            self._file(seq, text)
