"""Classification speed: articles per second on one core for 10,000 teasers, and start-up.

Run `python bench/classify_speed.py`.  The teasers are the labelled set's, repeated with
a counter so no two strings are equal; the classifier is built before the clock starts.
Start-up is a fresh interpreter importing the classifier and building `Classifier.default()`,
the best of three runs (the machine is shared, so the best run is the least disturbed one).
The first line says whether the classifier's hot modules are mypyc's build (setup.py, what
`pip install .` and `make setup` give where a C compiler is at hand) or plain Python.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bot` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.classify import compiled
from bot.classify.classifier import Classifier
from tests.helpers.classify_eval import load

ARTICLES = 10_000
TARGET_PER_SECOND = 10_000
TARGET_START_UP = 0.5  # seconds: import plus Classifier.default()
START_UP_RUNS = 3
_START_UP = (
    "import time; t = time.perf_counter(); "
    "from bot.classify.classifier import Classifier; Classifier.default(); "
    "print(time.perf_counter() - t)"
)


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


def start_up(runs: int = START_UP_RUNS) -> float:
    """Seconds a fresh interpreter takes to import the classifier and build it, best run."""
    root = Path(__file__).resolve().parent.parent
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", _START_UP],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(runs)
    ]
    return min(times)


def build() -> str:
    """Which classifier this measures: mypyc's build (setup.py) or the plain source."""
    if compiled():
        return "compiled by mypyc"
    return "plain Python (NEWSBOT_COMPILE=0, or no C compiler at install)"


def main() -> int:
    print(f"classifier: {build()}")
    seconds = start_up()
    fast_start = seconds < TARGET_START_UP
    verdict = "ok" if fast_start else f"ABOVE TARGET {TARGET_START_UP}"
    print(
        f"start-up: {seconds:.3f} s (import + Classifier.default(), best of {START_UP_RUNS}) "
        f"{verdict}"
    )
    classifier = Classifier.default()
    classifier.classify("warm up", "Peru")
    per_second = rate(classifier, articles())
    fast = per_second >= TARGET_PER_SECOND
    verdict = "ok" if fast else f"BELOW TARGET {TARGET_PER_SECOND}"
    print(f"{ARTICLES} teasers: {per_second:,.0f} articles/s on one core {verdict}")
    return 0 if fast and fast_start else 1


if __name__ == "__main__":
    raise SystemExit(main())
