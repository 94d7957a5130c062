"""The labelled /subscribe inputs keep their documented shape and valid labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pycountry

from bot.classify.regions import REGIONS
from bot.classify.topics import TOPICS

INPUTS = Path(__file__).resolve().parents[1] / "fixtures" / "query" / "subscribe_inputs.jsonl"
CODES = {c.alpha_2 for c in pycountry.countries} | {"XK"}


def valid(expect: dict[str, Any]) -> bool:
    (kind, value), *rest = expect.items()
    if rest:
        return False
    if kind in ("country", "city"):
        return value in CODES
    if kind == "ask":
        return len(value) >= 2 and value == sorted(value) and set(value) <= CODES
    if kind == "topic":
        return value in {t.slug for t in TOPICS}
    if kind == "region":
        return value in {r.slug for r in REGIONS}
    if kind == "keyword":
        return isinstance(value, str) and value == value.lower() and bool(value.strip())
    if kind == "many":
        return len(value) >= 2 and all(valid(part) for part in value)
    return kind == "error" and value is True


def test_every_input_is_labelled_with_a_known_outcome() -> None:
    rows = [json.loads(line) for line in INPUTS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200
    assert len({row["input"] for row in rows}) == len(rows)
    bad = [
        row for row in rows if set(row) != {"input", "expect", "why"} or not valid(row["expect"])
    ]
    assert bad == []
