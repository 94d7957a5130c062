"""The resolver reads the labelled /subscribe inputs as the rules say, and the scorer is fair."""

from __future__ import annotations

from bot.models import Target, TargetKind, Unresolved, UnresolvedReason
from tests.helpers.subscribe_eval import FROZEN, TARGET_SHARE, TUNE, evaluate, fits, load, matches

PERU = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")
CHILE = Target(TargetKind.COUNTRY, "CL", "🇨🇱 Chile")


def test_the_frozen_inputs_reach_the_target() -> None:
    report = evaluate(load(FROZEN))
    assert report.total >= 200
    assert report.share >= TARGET_SHARE, [miss.case.input for miss in report.misses]


def test_the_tuning_inputs_are_a_separate_list() -> None:
    tune = {case.input for case in load(TUNE)}
    assert len(tune) >= 150
    assert not tune & {case.input for case in load(FROZEN)}


def test_the_scorer_wants_the_labelled_outcome_and_nothing_near_it() -> None:
    asked = Unresolved("Korea", UnresolvedReason.AMBIGUOUS, "which?", (CHILE, PERU))
    suggested = Unresolved("Perj", UnresolvedReason.TYPO, "did you mean?", (PERU,))
    city = Unresolved("Lima", UnresolvedReason.CITY_OR_STATE, "a city", (PERU,))
    assert fits(PERU, {"country": "PE"}) and not fits(suggested, {"country": "PE"})
    assert fits(asked, {"ask": ["CL", "PE"]}) and not fits(asked, {"ask": ["PE"]})
    assert fits(city, {"city": "PE"}) and not fits(PERU, {"city": "PE"})
    assert fits(suggested, {"error": True}) and not fits(PERU, {"error": True})
    assert matches((PERU, CHILE), {"many": [{"country": "PE"}, {"country": "CL"}]})
    assert not matches((PERU,), {"many": [{"country": "PE"}, {"country": "CL"}]})
