"""How far two people labelling the same items agree: a ceiling for the classifier's figures.

    python scripts/label_agreement.py [FIRST] [SECOND]

Defaults: the tuning part (`corpus/tune.jsonl`) and `corpus/tune_relabelled.jsonl`, 120 of
its items labelled again by someone who saw only LABELLING.md and each item's title and
teaser.  The second labelling is scored as if it were a classifier's output against the
first (micro precision, recall and F1, countries and topics); items only one file has are
skipped.  If people agree far below a target, the target measures the labels, not the bot.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tests` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.classify_eval import EVAL_SET, Score

CORPUS = EVAL_SET.parent / "corpus"


def labels(path: Path) -> dict[str, dict[str, frozenset[str]]]:
    """id -> {"countries": ..., "topics": ...} for every item of a JSON Lines file."""
    out: dict[str, dict[str, frozenset[str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        out[str(item["id"])] = {kind: frozenset(item[kind]) for kind in ("countries", "topics")}
    return out


def agreement(first: Path, second: Path) -> tuple[int, dict[str, Score]]:
    """How many items both files label, and the second's score against the first."""
    one, two = labels(first), labels(second)
    shared = sorted(one.keys() & two.keys())
    scores = {kind: Score() for kind in ("countries", "topics")}
    for item in shared:
        for kind, score in scores.items():
            score.add(one[item][kind], two[item][kind])
    return len(shared), scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("first", nargs="?", type=Path, default=CORPUS / "tune.jsonl")
    parser.add_argument("second", nargs="?", type=Path, default=CORPUS / "tune_relabelled.jsonl")
    args = parser.parse_args(argv)
    items, scores = agreement(args.first, args.second)
    print(f"{items} items labelled in both {args.first.name} and {args.second.name}")
    for kind, score in scores.items():
        print(
            f"{kind:10} P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f}"
            f" (tp={score.tp} fp={score.fp} fn={score.fn})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
