"""The error tree: drawn once in bot/errors.py, and every error raised on purpose is in it."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import bot.errors
from bot.errors import NewsbotError, ReaderInputError, ScheduleError
from bot.models import Schedule
from bot.query.filters import FilterError, parse_filter
from bot.query.resolver import Resolver
from bot.query.schedule import apply_words

ROOT = Path(__file__).resolve().parents[1]
# "    │   ├── FetchError       network, ...": the name then two spaces or the line's end
_DRAWN = re.compile(r"^[ │]*(?:[├└]── )?(?P<name>[A-Z]\w+Error)(?: {2,}|$)")
# Built-in errors raised on purpose, each for a reason bot/errors.py's docstring gives.
ALLOWED_BUILTINS = {
    ("bot/config.py", "ValueError"),  # pydantic validators must raise it
    ("bot/text.py", "ValueError"),  # shorten(text, 0): a caller's bug
    ("bot/query/filter_tree.py", "ValueError"),  # Term(FILTER, …): a caller's bug
    ("bot/delivery/sender.py", "TypeError"),  # a bot without the Pacer: a caller's bug
    ("bot/__main__.py", "SystemExit"),
    ("bot/classify/__init__.py", "ImportError"),  # a checkout's compiled module is stale
    ("handlers/chats.py", "ApplicationHandlerStop"),  # PTB's control flow: skip the update's rest
}


def drawn_tree() -> dict[str, str | None]:
    """Each error named in the docstring's drawing -> the error drawn above it."""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    doc = bot.errors.__doc__ or ""
    for line in doc.split("\n\n")[1].splitlines():
        match = _DRAWN.match(line)
        if not match:
            continue
        depth = match.start("name")
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[match.group("name")] = stack[-1][1] if stack else None
        stack.append((depth, match.group("name")))
    return parents


def _modules() -> list[tuple[str, Path]]:
    found = []
    for package in ("bot", "handlers"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__main__":
                continue
            if parts[-1] == "__init__":
                parts.pop()
            found.append((".".join(parts), path))
    return found


def defined_errors() -> dict[str, type[BaseException]]:
    """Every exception class defined anywhere in bot/ and handlers/, by name."""
    errors: dict[str, type[BaseException]] = {}
    for name, _ in _modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                errors[value.__name__] = value
    return errors


def test_the_drawing_is_the_class_tree() -> None:
    drawn = drawn_tree()
    errors = defined_errors()
    assert len(drawn) >= 10, drawn  # the parser found the drawing
    assert set(drawn) == set(errors), "drawn but not defined, or defined but not drawn"
    for name, parent in drawn.items():
        first_base = errors[name].__bases__[0]
        expected = Exception if parent is None else errors[parent]
        assert first_base is expected, f"{name} is drawn under {parent}, subclasses {first_base}"


def test_every_error_raised_on_purpose_is_in_the_tree() -> None:
    errors = defined_errors()
    wrong = []
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("handlers").rglob("*.py")]:
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if not isinstance(raised, ast.Name) or not raised.id[:1].isupper():
                continue  # re-raising a caught exception
            name = raised.id
            if name in errors and issubclass(errors[name], NewsbotError):
                continue
            if (rel, name) not in ALLOWED_BUILTINS:
                wrong.append(f"{rel}:{node.lineno} raises {name}")
    assert not wrong, "\n".join(wrong)


def test_reader_input_errors_are_still_value_errors() -> None:
    """Handlers that catch ValueError around parsing keep working."""
    with pytest.raises(ValueError, match="not an hour") as schedule_error:
        apply_words(Schedule(), "quiet 25-7", now=0.0)
    assert isinstance(schedule_error.value, ScheduleError)
    with pytest.raises(ValueError) as filter_error:
        parse_filter(Resolver.default(), "Peru AND (")
    assert isinstance(filter_error.value, FilterError)
    for error in (schedule_error.value, filter_error.value):
        assert isinstance(error, ReaderInputError) and isinstance(error, NewsbotError)
