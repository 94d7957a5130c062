"""The labelled evaluation set keeps classification quality from sliding back."""

from __future__ import annotations

import pytest

from bench.classify_eval import (
    EVAL_SET,
    TARGET_COUNTRIES_F1,
    TARGET_TOPICS_F1,
    Report,
    evaluate,
    load,
)

# Reached when the set was built (countries F1 0.898, topics F1 0.814); no change may go below.
COUNTRIES_FLOOR = 0.89
TOPICS_FLOOR = 0.80


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(load())


def test_the_set_is_large_and_well_formed() -> None:
    items = load(EVAL_SET)
    assert len(items) >= 150
    assert len({item.id for item in items}) == len(items)
    assert all(item.source_url and (item.title or item.teaser) for item in items)
    assert all(len(code) == 2 and code.isupper() for item in items for code in item.countries)


def test_quality_does_not_fall_below_what_was_reached(report: Report) -> None:
    assert report.countries.f1 >= COUNTRIES_FLOOR, report.errors
    assert report.topics.f1 >= TOPICS_FLOOR, report.errors


@pytest.mark.xfail(strict=True, reason="targets of issue #4 not reached yet; see the note")
def test_quality_meets_the_issue_targets(report: Report) -> None:
    assert report.countries.f1 >= TARGET_COUNTRIES_F1
    assert report.topics.f1 >= TARGET_TOPICS_F1
