"""Classification quality on the labelled set: micro precision/recall/F1 and every error.

Run `python bench/classify_eval.py` (add `--text-only` to ignore the items' categories).
The set is real teasers from Peoples Dispatch, Popular Resistance and similar outlets,
labelled by hand: tests/fixtures/classify/eval_set.jsonl.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bot` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.classify_eval import (
    EVAL_SET,
    TARGET_COUNTRIES_F1,
    TARGET_TOPICS_F1,
    Score,
    evaluate,
    load,
)


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
