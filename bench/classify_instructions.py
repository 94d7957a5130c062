"""Classification cost as CPU instructions per article, counted by valgrind's callgrind.

Run `python bench/classify_instructions.py [--articles N] [--root CHECKOUT]`.  Wall-clock
rates on a shared or virtual machine move by a third from run to run; an instruction count
does not, so it compares two versions of the classifier fairly (the same bench teasers as
`bench/classify_speed.py`).  Two runs under callgrind, one classifying N articles and one
classifying none, are subtracted, so imports and building the classifier do not count.
`--root` measures another checkout (e.g. an old commit in a `git worktree`) with this script.
A checkout measures its compiled classifier if it has one (`make setup` builds it in place;
plain Python otherwise): compare builds of the same kind.
About a minute for the default 1,000 articles; needs valgrind (`apt-get install valgrind`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from bench.classify_speed import articles; "
    "from bot.classify.classifier import Classifier; "
    "c = Classifier.default(); c.classify('warm up', 'Peru'); "
    "batch = articles()[: int(sys.argv[2])]; "
    "[c.classify(*item) for item in batch]"
)
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def instructions(root: Path, count: int) -> int:
    """Instructions callgrind counts for one child process classifying `count` articles."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", _CHILD, str(root), str(count)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},  # the same sets and dicts in both runs
    )  # fmt: skip
    found = _COLLECTED.search(done.stderr)
    if found is None:
        raise RuntimeError("callgrind printed no instruction count")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: apt-get install valgrind (or use classify_speed.py)")
        return 2
    cost = instructions(args.root, args.articles) - instructions(args.root, 0)
    print(f"{args.articles} teasers: {cost / args.articles:,.0f} instructions per article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
