"""The layout's promises, checked by reading the source: no import cycle, dependencies one way.

Every `import` counts, at module level, inside functions and under TYPE_CHECKING alike: a
cycle hidden in a function is still a cycle a reader has to untangle.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers")
# The leaf packages see only the record types, the error tree, their own package and these
# helpers, which themselves import nothing of newsbot's: bot.text (clean and shorten prose)
# and bot.urls (is_http_url, normalize_url), used by the parsers and the source catalog.
LEAF_MAY_IMPORT = frozenset({"bot.models", "bot.errors", "bot.text", "bot.urls"})
# the app, what sends (the sender and the Pacer every request passes) and the transport's
# watcher (bot.telegram_link), and the handlers
TELEGRAM_ALLOWED = (
    "bot.app",
    "bot.delivery.sender",
    "bot.delivery.pacer",
    "bot.telegram_link",
    "handlers",
)


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's target, resolved to a module of ours or a top-level name."""

    source: str  # the importing module, e.g. "bot.pipeline.poll"
    target: str  # "bot.store.base", or the top-level name of anything else ("telegram")
    line: int

    def __str__(self) -> str:
        return f"{_path(self.source)}:{self.line} imports {self.target}"


def _path(module: str) -> str:
    """bot.store.sqlite -> bot/store/sqlite.py (or its package's __init__.py)."""
    base = ROOT.joinpath(*module.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    return str(path.relative_to(ROOT))


@cache
def modules() -> dict[str, Path]:
    """Every module of bot/ and handlers/ by dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _resolve(name: str) -> str:
    """The longest prefix of a dotted name that is one of our modules, else its top level."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules():
            return candidate
        parts.pop()
    return name.split(".")[0]


def _imports_of(module: str, path: Path) -> Iterator[Import]:
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, _resolve(alias.name), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                # `from bot.store import sqlite` imports the module bot.store.sqlite
                yield Import(module, _resolve(f"{base}.{alias.name}"), node.lineno)


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(
        found
        for module, path in modules().items()
        for found in _imports_of(module, path)
        if found.target != module
    )


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None; depth-first, so the cycle is a real path."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {module: set() for module in modules()}
    for found in all_imports():
        if found.target in modules():
            edges[found.source].add(found.target)
    return edges


def _describe(cycle: list[str]) -> str:
    lines = []
    for source, target in itertools.pairwise(cycle):
        line = min(i.line for i in all_imports() if i.source == source and i.target == target)
        lines.append(f"  {_path(source)}:{line} imports {target}")
    return "import cycle " + " -> ".join(cycle) + "\n" + "\n".join(lines)


def test_the_walk_sees_the_package() -> None:
    """Guard against a walk that finds nothing and so proves nothing."""
    assert {"bot.app", "bot.store.sqlite", "handlers.context", "bot.models"} <= set(modules())
    assert {"bot.store.sqlite.schema", "bot.models"} <= _graph()["bot.store.sqlite.store"]
    assert any(i.source == "bot.app" and i.target.startswith("handlers") for i in all_imports())


def test_no_import_cycle_anywhere() -> None:
    cycle = find_cycle(_graph())
    assert cycle is None, _describe(cycle)


def test_find_cycle_reports_the_path() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_the_core_does_not_import_handlers() -> None:
    wrong = [
        str(i)
        for i in all_imports()
        if _within(i.source, "bot") and i.source != "bot.app" and _within(i.target, "handlers")
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "package",
    [
        "bot.store",
        "bot.sources",
        "bot.classify",
    ],
)
def test_leaf_packages_import_only_records_errors_and_helpers(package: str) -> None:
    wrong = [
        str(i)
        for i in all_imports()
        if _within(i.source, package)
        and (_within(i.target, "bot") or _within(i.target, "handlers"))
        and not _within(i.target, package)
        and i.target not in LEAF_MAY_IMPORT
    ]
    assert not wrong, "\n".join(wrong)


def test_the_helpers_leaf_packages_see_import_nothing_of_ours() -> None:
    wrong = [
        str(i)
        for i in all_imports()
        if i.source in LEAF_MAY_IMPORT
        and (_within(i.target, "bot") or _within(i.target, "handlers"))
    ]
    assert not wrong, "\n".join(wrong)


def test_only_the_app_the_sender_and_handlers_import_telegram() -> None:
    wrong = [
        str(i)
        for i in all_imports()
        if i.target == "telegram"
        and not any(_within(i.source, allowed) for allowed in TELEGRAM_ALLOWED)
    ]
    assert not wrong, "\n".join(wrong)
