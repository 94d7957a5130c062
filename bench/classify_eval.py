"""Classification quality on the labelled set: micro precision/recall/F1 and every error.

Run `python bench/classify_eval.py` (add `--text-only` to ignore the items' categories).
The set is real teasers from Peoples Dispatch, Popular Resistance and similar outlets,
labelled by hand: tests/fixtures/classify/eval_set.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bot` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.classify.classifier import Classifier

EVAL_SET = Path(__file__).resolve().parent.parent / "tests/fixtures/classify/eval_set.jsonl"
TARGET_COUNTRIES_F1 = 0.95
TARGET_TOPICS_F1 = 0.85


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled teaser."""

    id: int
    source_url: str
    title: str
    teaser: str
    categories: tuple[str, ...]
    countries: frozenset[str]
    topics: frozenset[str]


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


def load(path: Path = EVAL_SET) -> list[Item]:
    """Read the labelled set, one JSON object per line."""
    items: list[Item] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        items.append(
            Item(
                id=int(raw["id"]),
                source_url=str(raw["source_url"]),
                title=str(raw["title"]),
                teaser=str(raw["teaser"]),
                categories=tuple(raw.get("categories") or ()),
                countries=frozenset(raw["countries"]),
                topics=frozenset(raw["topics"]),
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


def _line(name: str, score: Score, target: float) -> str:
    verdict = "ok" if score.f1 >= target else f"BELOW TARGET {target:.2f}"
    return (
        f"{name:<10} P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} "
        f"(tp={score.tp} fp={score.fp} fn={score.fn}) {verdict}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text-only", action="store_true", help="ignore the items' categories")
    parser.add_argument("path", nargs="?", type=Path, default=EVAL_SET)
    args = parser.parse_args(argv)
    report = evaluate(load(args.path), use_categories=not args.text_only)
    print(f"{report.items} labelled teasers from {args.path.name}")
    print(_line("countries", report.countries, TARGET_COUNTRIES_F1))
    print(_line("topics", report.topics, TARGET_TOPICS_F1))
    print(f"\n{len(report.errors)} items with errors:")
    for error in report.errors:
        print("  " + error)
    ok = report.countries.f1 >= TARGET_COUNTRIES_F1 and report.topics.f1 >= TARGET_TOPICS_F1
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
