"""Classification speed: articles per second on one core for 10,000 teasers.

Run `python bench/classify_speed.py`.  The teasers are the labelled set's, repeated with
a counter so no two strings are equal; the classifier is built before the clock starts.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bot` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.classify.classifier import Classifier
from tests.helpers.classify_eval import load

ARTICLES = 10_000
TARGET_PER_SECOND = 5_000


def articles(count: int = ARTICLES) -> list[tuple[str, str, tuple[str, ...]]]:
    """`count` distinct (title, teaser, categories) triples built from the labelled set."""
    items = load()
    return [
        (f"{item.title} {n}", item.teaser, item.categories)
        for n in range(count // len(items) + 1)
        for item in items
    ][:count]


def rate(classifier: Classifier, batch: list[tuple[str, str, tuple[str, ...]]]) -> float:
    """Articles classified per second over the batch, on this one thread."""
    started = time.perf_counter()
    for title, teaser, categories in batch:
        classifier.classify(title, teaser, categories)
    return len(batch) / (time.perf_counter() - started)


def main() -> int:
    classifier = Classifier.default()
    classifier.classify("warm up", "Peru")
    per_second = rate(classifier, articles())
    verdict = "ok" if per_second >= TARGET_PER_SECOND else f"BELOW TARGET {TARGET_PER_SECOND}"
    print(f"{ARTICLES} teasers: {per_second:,.0f} articles/s on one core {verdict}")
    return 0 if per_second >= TARGET_PER_SECOND else 1


if __name__ == "__main__":
    raise SystemExit(main())
