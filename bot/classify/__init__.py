"""Classification: which countries and topics an article is about.

Pure code over the tables in `bot/data` (hand-kept, or generated from iso-codes and GeoNames by
`scripts/`); it imports only `bot.models` and `bot.errors` from the rest of newsbot.  Its hot
modules may be compiled by mypyc (setup.py); Python prefers a compiled module to its source,
so in a checkout an edited source must not hide behind an older build.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def stale_compiled(package: Path = _PACKAGE) -> list[str]:
    """The sources in a checkout changed after mypyc compiled them for this interpreter
    (an installed package is left alone: its files are as its build made them)."""
    if not (package.parents[1] / "setup.py").is_file():
        return []
    suffix = EXTENSION_SUFFIXES[0]  # this interpreter's own: ".cpython-311-x86_64-linux-gnu.so"
    stale: list[str] = []
    for built in sorted(package.glob(f"*{suffix}")):
        source = built.with_name(built.name.removesuffix(suffix) + ".py")
        if source.is_file() and source.stat().st_mtime > built.stat().st_mtime:
            stale.append(source.name)
    return stale


def compiled() -> bool:
    """Whether this process runs mypyc's build of the classifier rather than its source."""
    from bot.classify import classifier  # not at import: the package check runs first

    return not str(classifier.__file__).endswith(".py")


if _stale := stale_compiled():
    raise ImportError(
        f"bot/classify: {', '.join(_stale)} changed after it was compiled; recompile with"
        " `make setup` (or delete bot/classify/*.so to run plain Python)"
    )
