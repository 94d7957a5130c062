"""Classification quality on labelled sets: micro P/R/F1, per language, per topic, every error.

    python bench/classify_eval.py [--text-only] [--no-errors] [PATH ...]

Default PATH: tests/fixtures/classify/eval_set.jsonl (160 real teasers from Peoples Dispatch,
Popular Resistance and similar outlets). The corpus parts are tests/fixtures/classify/corpus/
tune.jsonl and test.jsonl; the test part is frozen: read its errors only at the end of a piece
of work (`--no-errors` prints its figures alone).  holdout.jsonl and holdout2.jsonl are never
read at all: their errors stay hidden unless `--read-holdout` says that whoever runs it turns
them into frozen parts (the corpus README says why).
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
    Report,
    Score,
    evaluate,
    load,
)

HOLDOUT_NAMES = frozenset({"holdout.jsonl", "holdout2.jsonl"})  # nobody reads: figures only


def _line(name: str, score: Score, target: float) -> str:
    verdict = "ok" if score.f1 >= target else f"BELOW TARGET {target:.2f}"
    return (
        f"{name:<10} P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} "
        f"(tp={score.tp} fp={score.fp} fn={score.fn}) {verdict}"
    )


def _country_errors(report: Report) -> str:
    """Where the country errors come from: a missed country no word of the text names is
    beyond any choice among the named ones; a wrong one, by the word that named it."""
    words = ", ".join(f"{kind} {n}" for kind, n in report.wrong_by_word.most_common())
    return (
        f"  country errors: {report.countries.fn} missed, {report.unnamed} of them named by no "
        f"word the gazetteer knows (recall ceiling {report.recall_ceiling:.3f}); "
        f"{report.countries.fp} wrong, named by: {words or 'none'}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text-only", action="store_true", help="ignore the items' categories")
    parser.add_argument("--no-errors", action="store_true", help="print the figures only")
    parser.add_argument("--read-holdout", action="store_true", help="list the holdouts' errors too")
    parser.add_argument("paths", nargs="*", type=Path, default=[EVAL_SET])
    args = parser.parse_args(argv)
    ok = True
    for path in args.paths:
        report = evaluate(load(path), use_categories=not args.text_only)
        print(f"{report.items} labelled teasers from {path.name}")
        print(_line("countries", report.countries, TARGET_COUNTRIES_F1))
        print(_line("topics", report.topics, TARGET_TOPICS_F1))
        if len(report.by_language) > 1:
            for lang, (countries, topics) in sorted(report.by_language.items()):
                print(
                    f"  {lang}: countries F1={countries.f1:.3f}  topics F1={topics.f1:.3f} "
                    f"P={topics.precision:.3f} R={topics.recall:.3f}"
                )
        print(_country_errors(report))
        for slug, score in sorted(report.by_topic.items()):
            labels = score.tp + score.fn
            print(
                f"  topic {slug:<12} F1={score.f1:.3f} P={score.precision:.3f} "
                f"R={score.recall:.3f} ({labels} labels)"
            )
        hidden = path.name in HOLDOUT_NAMES and not args.read_holdout
        if hidden and not args.no_errors:
            print(f"\n({path.name}: figures only; its errors are not read)")
        elif not args.no_errors:
            print(f"\n{len(report.errors)} items with errors:")
            for error in report.errors:
                print("  " + error)
        print()
        ok = ok and report.countries.f1 >= TARGET_COUNTRIES_F1
        ok = ok and report.topics.f1 >= TARGET_TOPICS_F1
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
