"""What the scripts that generate `bot/data/` tables share: TOML strings and `--check`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def write_or_check(
    build: Callable[[], str], default: Path, script: str, doc: str, argv: list[str] | None
) -> int:
    """A generating script's main: write the file, or with `--check` only say whether it is
    up to date (exit 1 if not).  `script` is the file to rerun, `doc` its docstring."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run python scripts/{script}")
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0
