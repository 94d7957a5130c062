"""The holdouts (holdout.jsonl and holdout2.jsonl, text only) keep the figures they reached.

Nobody reads the holdouts' items or errors (the corpus README says why), so these are the
figures of tags on text nobody tuned on.  None of issue 9's targets is met there yet; each
is asserted at the figure reached minus about 0.01, so a change that makes tags worse on
unseen text fails here even when the tuning sets improve.  holdout.jsonl's figures at its
first reading, then at the end of each session after it (holdout2.jsonl's: FLOORS below):

- countries precision 0.926, 0.925, 0.928, 0.928, 0.928, 0.931 -> 0.92; recall 0.800, 0.820,
  0.855, 0.855, 0.855, 0.858 -> 0.848 (targets 0.95 / 0.95)
- non-English country F1 0.838, 0.862, 0.886, 0.886, 0.886, 0.893 -> 0.883 (target 0.95)
- topics micro F1 0.763, 0.764, 0.772, 0.775, 0.784, 0.779, 0.780, 0.788 -> 0.775 (target 0.85;
  0.788 with the learned topic model, 0.773 without it); non-English topic recall 0.761, 0.766,
  0.797, 0.807, 0.807, 0.802, 0.807, 0.807 -> 0.795 (target 0.80, met since session 8)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.classify.test_frozen_targets import _foreign
from tests.helpers.classify_eval import EVAL_SET, Report, evaluate, load

CORPUS = EVAL_SET.parent / "corpus"


@dataclass(frozen=True)
class Floors:
    """One holdout's figures, each asserted at the figure reached minus about 0.01."""

    countries_precision: float
    countries_recall: float
    foreign_countries_f1: float
    topics_f1: float
    foreign_topics_recall: float
    items: int


FLOORS = {
    "holdout": Floors(0.92, 0.848, 0.883, 0.775, 0.795, 300),  # its figures: the docstring
    # its first reading (session 11): countries 0.911 / 0.880, non-English country F1 0.912,
    # topics F1 0.771, non-English topic recall 0.729; session 13: topics F1 0.781,
    # non-English topic recall 0.760; session 16: topics F1 0.777, non-English topic recall 0.755
    "holdout2": Floors(0.90, 0.87, 0.90, 0.77, 0.75, 240),
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def holdout(request: pytest.FixtureRequest) -> tuple[Report, Floors]:
    name = str(request.param)
    return evaluate(load(CORPUS / f"{name}.jsonl"), use_categories=False), FLOORS[name]


def test_each_holdout_is_the_set_the_readme_describes(holdout: tuple[Report, Floors]) -> None:
    report, floors = holdout
    assert report.items >= floors.items
    assert set(report.by_language) == {"en", "es", "fr", "pt"}


def test_countries_on_unseen_text_hold_their_floor(holdout: tuple[Report, Floors]) -> None:
    report, floors = holdout
    assert report.countries.precision >= floors.countries_precision
    assert report.countries.recall >= floors.countries_recall
    assert _foreign(report, 0).f1 >= floors.foreign_countries_f1


def test_topics_on_unseen_text_hold_their_floor(holdout: tuple[Report, Floors]) -> None:
    report, floors = holdout
    assert report.topics.f1 >= floors.topics_f1
    assert _foreign(report, 1).recall >= floors.foreign_topics_recall
