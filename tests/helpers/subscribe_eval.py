"""Scoring the resolver on labelled /subscribe inputs, as tests/fixtures/query/README.md says.

Each input goes the way /subscribe sends it (a filter as one target, else each comma-separated
term), and its results must match the label: a target of that kind and value; `ask`: the
question (a name of several, or a typo close to several) naming exactly those countries;
`city`: not followed, that country suggested; `error`: not followed; `many`: each term in
order.  Shared by `bench/subscribe_eval.py` and the test that holds the target.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.models import Target, Unresolved, UnresolvedReason
from bot.query.resolver import Resolver
from bot.query.words import read_all

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "query"
FROZEN = FIXTURES / "subscribe_inputs.jsonl"  # the test list: read its misses only at the end
TUNE = FIXTURES / "subscribe_inputs_tune.jsonl"  # the list the resolver is tuned on
TARGET_SHARE = 0.97

Result = Target | Unresolved


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled input."""

    input: str
    expect: dict[str, Any]
    why: str


@dataclass(frozen=True, slots=True)
class Miss:
    case: Case
    got: tuple[Result, ...]


@dataclass(frozen=True, slots=True)
class Report:
    total: int
    misses: tuple[Miss, ...]

    @property
    def share(self) -> float:
        return (self.total - len(self.misses)) / self.total if self.total else 0.0


def load(path: Path = FROZEN) -> list[Case]:
    """The labelled inputs of one JSON-lines file."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Case(row["input"], row["expect"], row["why"]) for row in rows]


def results(resolver: Resolver, text: str) -> tuple[Result, ...]:
    """What /subscribe makes of the text, term by term and in order."""
    return tuple(reading.result for reading in read_all(resolver, text))


def _codes(targets: Sequence[Target]) -> list[str]:
    return sorted(target.value for target in targets)


def fits(result: Result, expect: dict[str, Any]) -> bool:
    """Whether one term's result is what its label says."""
    (kind, value), *_ = expect.items()
    if kind == "error":
        return isinstance(result, Unresolved)
    if isinstance(result, Target):
        return result.kind.value == kind and result.value == value
    if kind == "ask":  # "could mean A or B?" for a name, "did you mean A or B?" for a typo
        asks = result.reason in (UnresolvedReason.AMBIGUOUS, UnresolvedReason.TYPO)
        return asks and _codes(result.suggestions) == value
    if kind == "city":
        return result.reason is UnresolvedReason.CITY_OR_STATE and _codes(result.suggestions) == [
            value
        ]
    return False


def matches(got: Sequence[Result], expect: dict[str, Any]) -> bool:
    """Whether a whole input's results are what its label says."""
    parts = expect.get("many", [expect])
    return len(got) == len(parts) and all(map(fits, got, parts))


def evaluate(cases: Sequence[Case], resolver: Resolver | None = None) -> Report:
    """Score every case; the misses keep what the resolver gave."""
    resolver = resolver or Resolver.default()
    misses = []
    for case in cases:
        got = results(resolver, case.input)
        if not matches(got, case.expect):
            misses.append(Miss(case, got))
    return Report(len(cases), tuple(misses))


def describe(result: Result) -> str:
    """One result in a line, for the list of misses."""
    if isinstance(result, Target):
        return f"{result.kind.value}:{result.value}"
    shown = ",".join(f"{t.kind.value}:{t.value}" for t in result.suggestions)
    return f"unresolved {result.reason.value} [{shown}]"
