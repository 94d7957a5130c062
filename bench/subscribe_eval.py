"""How many labelled /subscribe inputs the resolver reads as the rules say, and the misses.

    python bench/subscribe_eval.py [--no-misses] [PATH ...]

Default PATH: tests/fixtures/query/subscribe_inputs.jsonl, the frozen test list (274 inputs;
read its misses only at the end of a piece of work: `--no-misses` prints the figure alone).
Tune on tests/fixtures/query/subscribe_inputs_tune.jsonl.  The rules and labels are in
tests/fixtures/query/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bot` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.subscribe_eval import FROZEN, TARGET_SHARE, describe, evaluate, load


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-misses", action="store_true", help="print the figure only")
    parser.add_argument("paths", nargs="*", type=Path, default=[FROZEN])
    args = parser.parse_args(argv)
    ok = True
    for path in args.paths:
        report = evaluate(load(path))
        verdict = "ok" if report.share >= TARGET_SHARE else f"BELOW TARGET {TARGET_SHARE:.0%}"
        hits = report.total - len(report.misses)
        print(f"{path.name}: {hits}/{report.total} = {report.share:.1%} as the rules say {verdict}")
        ok = ok and report.share >= TARGET_SHARE
        if args.no_misses:
            continue
        for miss in report.misses:
            got = " | ".join(describe(result) for result in miss.got) or "nothing"
            expect = json.dumps(miss.case.expect, ensure_ascii=False)
            print(f"  {miss.case.input!r}: want {expect}, got {got}  ({miss.case.why})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
