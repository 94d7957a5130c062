"""scripts/country_model_trial.py: its candidates are the classifier's, and its model learns."""

from __future__ import annotations

from bot.classify.classifier import Classifier
from scripts.country_model_trial import Candidate, candidates, score, train
from tests.helpers.classify_eval import EVAL_SET, Item, evaluate, load


def _item(title: str, teaser: str, countries: set[str], id: str = "x") -> Item:
    return Item(
        id, f"https://{id}.example.org/", title, teaser, (), frozenset(countries), frozenset()
    )


def test_every_named_country_is_one_candidate_with_the_facts_of_its_words() -> None:
    item = _item(
        "Peru's miners strike", "Miners walked out in Lima, Peru, and Chilean ports.", {"PE"}
    )
    found = {c.code: c for c in candidates(Classifier.default(), item)}
    assert set(found) == {"PE", "CL"}
    assert {"kind=country", "kind=city", "title_kind=country", "title_evidence"} <= found[
        "PE"
    ].features
    assert "kind=demonym" in found["CL"].features and "title_evidence" not in found["CL"].features
    assert found["PE"].kept and found["PE"].gold and not found["CL"].gold


def test_the_rules_scored_among_the_candidates_are_the_classifier_s_figures() -> None:
    items = load(EVAL_SET)
    classifier = Classifier.default()
    data = [c for item in items for c in candidates(classifier, item)]
    chosen = score(items, data, lambda c: c.kept)
    expected = evaluate(items, classifier, use_categories=False).countries
    assert (chosen.tp, chosen.fp, chosen.fn) == (expected.tp, expected.fp, expected.fn)


def test_the_model_learns_which_facts_mark_a_subject() -> None:
    # half the candidates lead their item and are its subject; the others trail and are not
    data = [
        Candidate(
            _item("t", "x", {"PE"} if n % 2 else set(), str(n)),
            "PE",
            frozenset({"lead", "kind=country"} if n % 2 else {"rank=3", "kind=country"}),
            kept=False,
        )
        for n in range(40)
    ]
    keep = train(data, with_verdict=False)
    assert [keep(c) for c in data] == [c.gold for c in data]
    assert score([c.item for c in data], data, keep).f1 == 1.0
