"""The labelled evaluation set and its scoring, shared by the quality test and the bench.

tests/classify/test_eval.py holds the scores to the targets; `python bench/classify_eval.py`
prints them with every error.  The set is real teasers labelled by hand:
tests/fixtures/classify/eval_set.jsonl.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.classify.classifier import Classifier, with_elided
from bot.classify.matcher import Hit
from bot.classify.normalize import align, nfc

EVAL_SET = Path(__file__).resolve().parents[1] / "fixtures/classify/eval_set.jsonl"
TARGET_COUNTRIES_F1 = 0.95
TARGET_TOPICS_F1 = 0.85


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled teaser."""

    id: str  # "17" in the 160-item set, "test-017" in the corpus
    source_url: str
    title: str
    teaser: str
    categories: tuple[str, ...]
    countries: frozenset[str]
    topics: frozenset[str]
    lang: str = "?"  # the corpus says; the 160-item set does not


@dataclass(slots=True)
class Score:
    """Micro-averaged counts for one kind of label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: frozenset[str], found: frozenset[str]) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)


@dataclass(slots=True)
class Report:
    """Scores plus one line per wrong item."""

    items: int = 0
    countries: Score = field(default_factory=Score)
    topics: Score = field(default_factory=Score)
    errors: list[str] = field(default_factory=list)
    by_language: dict[str, tuple[Score, Score]] = field(default_factory=dict)  # countries, topics
    by_topic: dict[str, Score] = field(default_factory=dict)
    # missed countries that no word of the item names (no rule can find them), and the
    # wrong ones by the kind of word that named them: aggregates, safe for the holdouts
    unnamed: int = 0
    wrong_by_word: Counter[str] = field(default_factory=Counter)

    @property
    def recall_ceiling(self) -> float:
        """The country recall a perfect choice among the named countries would reach."""
        labels = self.countries.tp + self.countries.fn
        return (labels - self.unnamed) / labels if labels else 1.0


def load(path: Path = EVAL_SET) -> list[Item]:
    """Read the labelled set, one JSON object per line."""
    items: list[Item] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        items.append(
            Item(
                id=str(raw["id"]),
                source_url=str(raw["source_url"]),
                title=str(raw["title"]),
                teaser=str(raw["teaser"]),
                categories=tuple(raw.get("categories") or ()),
                countries=frozenset(raw["countries"]),
                topics=frozenset(raw["topics"]),
                lang=str(raw.get("lang") or "?"),
            )
        )
    return items


def _diff(label: str, gold: frozenset[str], found: frozenset[str]) -> str:
    """ "countries +US -PE" style summary of one item's mistakes."""
    extra = " ".join(f"+{value}" for value in sorted(found - gold))
    missing = " ".join(f"-{value}" for value in sorted(gold - found))
    return f"{label} {extra} {missing}".replace("  ", " ").strip()


def evaluate(
    items: Iterable[Item], classifier: Classifier | None = None, *, use_categories: bool = True
) -> Report:
    """Classify every item and compare with its labels."""
    classifier = classifier or Classifier.default()
    report = Report()
    for item in items:
        tags = classifier.classify(
            item.title, item.teaser, item.categories if use_categories else ()
        )
        countries, topics = frozenset(tags.countries), frozenset(tags.topics)
        report.items += 1
        report.countries.add(item.countries, countries)
        report.topics.add(item.topics, topics)
        by_country, by_topics = report.by_language.setdefault(item.lang, (Score(), Score()))
        by_country.add(item.countries, countries)
        if item.countries != countries:
            named = _named(item, classifier, use_categories)
            report.unnamed += len(item.countries - countries - named.keys())
            for code in countries - item.countries:
                report.wrong_by_word[_strongest(named.get(code, set()))] += 1
        by_topics.add(item.topics, topics)
        for slug in item.topics | topics:
            report.by_topic.setdefault(slug, Score()).add(item.topics & {slug}, topics & {slug})
        wrong = [
            _diff(label, gold, found)
            for label, gold, found in (
                ("countries", item.countries, countries),
                ("topics", item.topics, topics),
            )
            if gold != found
        ]
        if wrong:
            shown = item.title or item.teaser
            report.errors.append(f"#{item.id} {shown[:70]!r}: {'; '.join(wrong)}")
    return report


def place_hits(
    item: Item, classifier: Classifier, use_categories: bool = False
) -> list[tuple[int, str, Hit]]:
    """Every word of the item that names a country, whatever the rules then decide: which
    field (0 the title, 1 the teaser, then the categories), that field folded, the hit."""
    fields = [item.title, item.teaser, *(item.categories if use_categories else ())]
    matcher = classifier.matcher
    out: list[tuple[int, str, Hit]] = []
    for index, text in enumerate(fields):
        folded = align(nfc(text))
        places = matcher.scan(folded).places
        if index < 2:  # as the classifier reads them: "North and South Korea" names both
            places = with_elided(folded, places, matcher)
        out.extend((index, folded, hit) for hit in places)
    return out


def _named(item: Item, classifier: Classifier, use_categories: bool) -> dict[str, set[str]]:
    """The countries the item's words name, with the kinds of those words ("country",
    "demonym", "city"...)."""
    named: dict[str, set[str]] = {}
    for _, _, hit in place_hits(item, classifier, use_categories):
        entry = hit.entry
        if entry.target and entry.kind is not None:
            named.setdefault(entry.target, set()).add(entry.kind.value)
    return named


_WORD_ORDER = ("country", "demonym", "lower", "leader", "city", "region")


def _strongest(kinds: set[str]) -> str:
    """The one kind of word a wrong country is filed under: its name before a demonym, a
    demonym before a leader or a city; "unnamed" if the scan saw no word for it."""
    return next((kind for kind in _WORD_ORDER if kind in kinds), "unnamed")
