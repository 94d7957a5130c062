"""The holdout (holdout.jsonl, text only) keeps the figures it reached.

Nobody reads the holdout's items or errors (the corpus README says why), so these are the
figures of tags on text nobody tuned on.  None of issue 9's targets is met there yet; each
is asserted at the figure reached minus about 0.01, so a change that makes tags worse on
unseen text fails here even when the tuning sets improve (figures at the holdout's first
reading, then at the end of each session after it):

- countries precision 0.926, 0.925, 0.928, 0.928, 0.928, 0.931 -> 0.92; recall 0.800, 0.820,
  0.855, 0.855, 0.855, 0.858 -> 0.848 (targets 0.95 / 0.95)
- non-English country F1 0.838, 0.862, 0.886, 0.886, 0.886, 0.893 -> 0.883 (target 0.95)
- topics micro F1 0.763, 0.764, 0.772, 0.775, 0.784, 0.784 -> 0.775 (target 0.85; 0.784 with
  the learned topic model of session 10, 0.775 without it); non-English topic
  recall 0.761, 0.766, 0.797, 0.807, 0.807, 0.807 -> 0.795 (target 0.80, met since session 8)
"""

from __future__ import annotations

import pytest

from tests.classify.test_frozen_targets import _foreign
from tests.helpers.classify_eval import EVAL_SET, Report, evaluate, load

HOLDOUT = EVAL_SET.parent / "corpus" / "holdout.jsonl"
COUNTRIES_PRECISION = 0.92
COUNTRIES_RECALL = 0.848
FOREIGN_COUNTRIES_F1 = 0.883
TOPICS_F1 = 0.775
FOREIGN_TOPICS_RECALL = 0.795


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(load(HOLDOUT), use_categories=False)


def test_the_holdout_is_the_set_the_readme_describes(report: Report) -> None:
    assert report.items >= 300
    assert set(report.by_language) == {"en", "es", "fr", "pt"}


def test_countries_on_unseen_text_hold_their_floor(report: Report) -> None:
    assert report.countries.precision >= COUNTRIES_PRECISION
    assert report.countries.recall >= COUNTRIES_RECALL
    assert _foreign(report, 0).f1 >= FOREIGN_COUNTRIES_F1


def test_topics_on_unseen_text_hold_their_floor(report: Report) -> None:
    assert report.topics.f1 >= TOPICS_F1
    assert _foreign(report, 1).recall >= FOREIGN_TOPICS_RECALL
