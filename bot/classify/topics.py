"""The topics readers can follow, with the words that show an article is about each one.

The words live in `bot/data/topics.toml`, one entry per topic with its words in every
language; this module loads them once at import, checks them and hands them out typed.
`terms` are strong words: one of them is enough (in the title, or in the teaser).
`weak` words only count together with other evidence ("march" is also a month,
"workers" appear in every story); a topic with `weak_alone = false` needs a strong word
too, as its weak words ("opposition", "parliament") fill everyday news.  Words written
in capitals (ICE, AIDS) match only in capitals.  `NOT_TOPICS` lists phrases that contain
a term but mean something else ("air strike", "European Union"), and phrases that
redirect a word to another topic; `ALSO` the words that count for a second topic too
("rent strike": housing and protest); `FIGURATIVE` the contexts in which a word like
"war" is a figure of speech or a holiday ("the war on drugs", "Invasion Day").
That no topic word is also a place word is checked where the two tables meet, when the
gazetteer is built (`gazetteer.check_topics`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.classify.datafile import DATA_DIR, Entry, read
from bot.classify.normalize import key

__all__ = [
    "ALSO",
    "FIGURATIVE",
    "LANGUAGES",
    "NOT_TOPICS",
    "TABLE",
    "TOPICS",
    "TOPICS_FILE",
    "Figurative",
    "Topic",
    "TopicTable",
    "Words",
    "load_topics",
    "topic",
]

TOPICS_FILE = DATA_DIR / "topics.toml"
LANGUAGES = ("en", "es", "pt", "fr")  # the order a topic's words are matched in
_SLUG = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True, slots=True)
class Words:
    """A topic's words in one language."""

    language: str  # ISO 639-1, e.g. "es"
    terms: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic readers can follow."""

    slug: str
    name: str
    description: str
    emoji: str
    terms: tuple[str, ...]  # strong synonyms, keywords and inflections, every language
    weak: tuple[str, ...] = ()  # supporting words that need company, every language
    words: tuple[Words, ...] = ()  # the same words by language, as the data file lists them
    weak_alone: bool = True  # whether weak words without a strong one can make the tag

    @property
    def label(self) -> str:
        """What the reader sees for a subscription, e.g. "✊ Labor"."""
        return f"{self.emoji} {self.name}"

    def language(self, code: str) -> Words | None:
        """This topic's words in one language, if it has any."""
        return next((item for item in self.words if item.language == code), None)


@dataclass(frozen=True, slots=True)
class Figurative:
    """Where a topic word is a figure of speech or a holiday rather than the topic:
    "the war on drugs", "Invasion Day"."""

    words: frozenset[str] = frozenset()  # folded topic words that are often figurative
    against: frozenset[str] = frozenset()  # "war ON/AGAINST <a common noun>" is a campaign
    next: frozenset[str] = frozenset()  # "Invasion DAY", "war MEMORIAL"


@dataclass(frozen=True, slots=True)
class TopicTable:
    """Every topic, and the phrases that hide or redirect topic words."""

    origin: str  # the file it was read from, for messages
    topics: tuple[Topic, ...]
    not_topics: Mapping[str, str]  # phrase -> slug it counts for, "" for nothing
    figurative: Figurative = Figurative()
    also: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # folded phrase -> slugs


def _words(entry: Entry, language: str, value: object) -> Words:
    """One language's sub-table of a topic."""
    table = entry.table(value, ("terms", "weak"))
    return Words(
        language,
        entry.words(table.get("terms", []), "terms"),
        entry.words(table.get("weak", []), "weak"),
    )


def _topic(entry: Entry, slug: str, value: object) -> Topic:
    """One [topics.<slug>] entry, with its words in every language it lists."""
    if not _SLUG.fullmatch(slug):
        raise entry.error("a slug is lower-case letters, digits and hyphens")
    table = entry.table(
        value,
        ("name", "description", "emoji", "weak_alone", *LANGUAGES),
        ("name", "description", "emoji"),
    )
    weak_alone = table.get("weak_alone", True)
    if not isinstance(weak_alone, bool):
        raise entry.error('"weak_alone" must be true or false')
    words = tuple(
        _words(entry.at(f"[{lang}]"), lang, table[lang]) for lang in LANGUAGES if lang in table
    )
    terms = tuple(term for item in words for term in item.terms)
    weak = tuple(term for item in words for term in item.weak)
    if not terms:
        raise entry.error("has no strong terms")
    strong = {key(term) for term in terms}
    both = next((term for term in weak if key(term) in strong), None)
    if both is not None:
        raise entry.error(f'term "{both}" is both strong and weak')
    return Topic(
        slug,
        entry.text(table["name"], "name"),
        entry.text(table["description"], "description"),
        entry.text(table["emoji"], "emoji"),
        terms,
        weak,
        words,
        weak_alone,
    )


def _check_owners(origin: str, topics: tuple[Topic, ...]) -> None:
    """No word belongs to two topics, or it would count for whichever came first."""
    owner: dict[str, str] = {}
    for item in topics:
        entry = Entry(origin).at(f'topic "{item.slug}"')
        for term in (*item.terms, *item.weak):
            other = owner.setdefault(key(term), item.slug)
            if other != item.slug:
                raise entry.error(f'term "{term}" is also in topic "{other}"')


def _not_topics(entry: Entry, value: object, slugs: set[str]) -> dict[str, str]:
    """The hiding phrases, each sending its words to a real topic or to nothing."""
    out: dict[str, str] = {}
    for phrase, slug in entry.table(value).items():
        if not phrase.strip():
            raise entry.error("holds an empty phrase")
        if not isinstance(slug, str):
            raise entry.error(f'"{phrase}" must point to a topic slug or ""')
        if slug and slug not in slugs:
            raise entry.error(f'"{phrase}" points to unknown topic "{slug}"')
        out[phrase] = slug
    return out


def _figurative(entry: Entry, value: object, known: set[str]) -> Figurative:
    """The [figurative] table: which topic words it watches and the contexts that void them."""
    table = entry.table(value, ("words", "against", "next"), ("words",))
    words = {key(word) for word in entry.words(table["words"], "words")}
    unknown = next((word for word in sorted(words) if word not in known), None)
    if unknown is not None:
        raise entry.error(f'"{unknown}" is no topic word')
    lists = {name: entry.words(table.get(name, []), name) for name in ("against", "next")}
    return Figurative(
        frozenset(words),
        frozenset(key(word) for word in lists["against"]),
        frozenset(key(word) for word in lists["next"]),
    )


def _also(entry: Entry, value: object, owners: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """The [also] table: a topic word or hiding phrase that is evidence for more topics too
    ("rent strike" is housing and protest); keyed by the matcher's folded form."""
    out: dict[str, tuple[str, ...]] = {}
    slugs = set(owners.values()) - {""}
    for phrase, value_slugs in entry.table(value).items():
        folded = key(phrase)
        if folded not in owners:
            raise entry.error(f'"{phrase}" is no topic word or [not_topics] phrase')
        extra = entry.words(value_slugs, phrase)
        unknown = next((slug for slug in extra if slug not in slugs), None)
        if unknown is not None:
            raise entry.error(f'"{phrase}" points to unknown topic "{unknown}"')
        if owners[folded] in extra:
            raise entry.error(f'"{phrase}" already counts for "{owners[folded]}"')
        out[folded] = tuple(extra)
    return out


def load_topics(source: Path | str = TOPICS_FILE) -> TopicTable:
    """Read and check the topic table from a file (a Path) or TOML text (a str)."""
    origin, data = read(source, "topics")
    top = Entry(origin)
    data = top.table(data, ("topics", "not_topics", "figurative", "also"), ("topics",))
    entries = top.at("[topics]").table(data["topics"])
    if not entries:
        raise top.error("lists no topics")
    topics = tuple(
        _topic(top.at(f'topic "{slug}"'), slug, value) for slug, value in entries.items()
    )
    _check_owners(origin, topics)
    slugs = {item.slug for item in topics}
    not_topics = _not_topics(top.at("[not_topics]"), data.get("not_topics", {}), slugs)
    known = {key(term) for item in topics for term in (*item.terms, *item.weak)}
    figurative = (
        _figurative(top.at("[figurative]"), data["figurative"], known)
        if "figurative" in data
        else Figurative()
    )
    owners = {key(term): item.slug for item in topics for term in (*item.terms, *item.weak)}
    owners.update({key(phrase): slug for phrase, slug in not_topics.items()})
    also = _also(top.at("[also]"), data.get("also", {}), owners)
    return TopicTable(origin, topics, not_topics, figurative, also)


TABLE = load_topics()
TOPICS: tuple[Topic, ...] = TABLE.topics
NOT_TOPICS: Mapping[str, str] = TABLE.not_topics
FIGURATIVE: Figurative = TABLE.figurative
ALSO: Mapping[str, tuple[str, ...]] = TABLE.also


@functools.cache
def _by_slug() -> dict[str, Topic]:
    """Build the slug table once."""
    return {item.slug: item for item in TOPICS}


def topic(slug: str) -> Topic | None:
    """Look a topic up by slug, in any case, for labels and resolving."""
    return _by_slug().get(slug.strip().lower())
