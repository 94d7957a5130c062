"""The learned topic model: what it may change, how it reads text, and that the shipped
file is what training on the tuning items gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.classify.classifier import MAX_TOPICS, TOPIC_THRESHOLD, Classifier
from bot.classify.matcher import Matcher
from bot.classify.normalize import align, nfc
from bot.classify.topic_model import (
    MODEL_PATH,
    MOST_TOPICS,
    TopicModel,
    borderline,
    features,
    rescore,
    rule_features,
)
from bot.classify.topics import TOPICS
from bot.errors import DataError
from scripts import train_topic_model
from tests.helpers.classify_eval import load

SLUGS = [item.slug for item in TOPICS]


def _model(weights: dict[str, dict[str, float]], bias: float = 0.0) -> TopicModel:
    """A hand-made model over the real topics."""
    return TopicModel(dict.fromkeys(SLUGS, bias), weights)


def test_the_classifier_shares_the_models_limits() -> None:
    assert (TOPIC_THRESHOLD, MAX_TOPICS) == (3, MOST_TOPICS)


def test_features_are_stems_and_pairs_of_stems() -> None:
    found = features(["workers strike in lima", "arrestation de 12 syndicalistes"])
    assert {"worker", "strike", "worker strike", "strike in", "arrest", "syndic"} <= found
    # a number or a one-letter word is no feature and breaks a pair
    assert "12" not in found and "de syndic" not in found
    # pairs stay inside a field
    assert "lima arrest" not in found


def test_rule_features_say_what_the_word_lists_chose_and_how_firmly() -> None:
    found = rule_features({"labor": 6, "protest": 3}, ["labor"])
    assert sorted(found) == ["@firm:labor", "@pick:labor", "@seen:protest"]


def test_only_a_call_on_the_bare_minimum_is_in_doubt() -> None:
    assert not borderline(["labor"], {"labor": 6})
    assert borderline(["labor"], {"labor": 3})
    assert borderline(["labor"], {"labor": 9, "protest": 3})  # left out for want of share
    assert not borderline(["labor"], {"labor": 9, "protest": 2})


def test_rescore_vetoes_thin_topics_and_rescues_sure_ones() -> None:
    points = {"labor": 9, "education": 3, "protest": 3}
    probability = {"labor": 0.0, "education": 0.05, "protest": 0.9}
    # labor has more than the minimum: the model cannot take it away
    assert rescore(["labor", "education"], points, probability) == ["labor", "protest"]
    assert rescore(["labor", "education"], points, {"education": 0.5}) == ["labor", "education"]
    # no more than the classifier's topics
    many = {"labor": 9, "war": 9, "climate": 9, "protest": 3}
    assert rescore(["labor", "war", "climate"], many, {"protest": 0.99}, most=3) == [
        "labor",
        "war",
        "climate",
    ]


def test_a_model_never_adds_a_topic_without_words() -> None:
    model = _model({"war": {"strike": 30.0}})
    assert model.judge(["strike"], {"labor": 3}, ["labor"]) == ["labor"]


@pytest.fixture(scope="module")
def shipped() -> TopicModel:
    return TopicModel.load()


@given(st.text(alphabet="abcdefghij klmn 0123 áé-,.", max_size=80), st.text(max_size=40))
def test_weighed_features_are_the_features_the_model_weighs(
    shipped: TopicModel, title: str, teaser: str
) -> None:
    model = shipped
    folded = [align(nfc(title)), align(nfc(teaser))]
    assert model.weighed(folded) == features(folded) & model.names


def test_weighed_finds_the_pairs_real_teasers_hold(shipped: TopicModel) -> None:
    """Random text seldom makes a weighed pair; the labelled teasers make many."""
    items, pairs = load(), 0
    for item in items:
        folded = [align(nfc(item.title)), align(nfc(item.teaser))]
        found = shipped.weighed(folded)
        assert found == features(folded) & shipped.names, item.id
        pairs += sum(" " in name for name in found)
    assert pairs >= len(items)  # about one a teaser or more: the pairs were looked for


def test_no_weighed_pair_reaches_from_the_title_into_the_teaser(shipped: TopicModel) -> None:
    first, second = next(name for name in sorted(shipped.names) if " " in name).split(" ")
    assert f"{first} {second}" in shipped.weighed([f"{first} {second}", ""])
    assert f"{first} {second}" not in shipped.weighed([first, second])


def test_the_classifier_drops_a_thin_topic_its_model_rules_out() -> None:
    veto = _model({"education": {"@pick:education": -20.0}})
    title = "Workers strike at the university"  # education on the bare minimum
    teaser = "The union says the strike goes on; students join."
    rules = Classifier(Matcher.build()).classify(title, teaser).topics
    judged = Classifier(Matcher.build(), veto).classify(title, teaser).topics
    assert "education" in rules and "labor" in rules
    assert "education" not in judged and "labor" in judged


def test_the_shipped_model_is_what_training_gives() -> None:
    """The model's features include the word lists' verdicts, so a change to the word
    lists or the rules needs `python scripts/train_topic_model.py` to be run again."""
    assert MODEL_PATH.read_text(encoding="utf-8") == train_topic_model.shipped_text()


def test_the_default_classifier_uses_the_shipped_model() -> None:
    model = Classifier.default()._model
    assert model is not None and model.slugs == tuple(SLUGS)


def test_a_broken_model_file_is_one_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "topic_model.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match=r"topic_model\.json: not a topic model"):
        TopicModel.load(broken)
    broken.write_text(
        json.dumps({"stem": 6, "bias": {"labor": 0.0}, "weights": {"war": {"x": 1.0}}}),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="unknown topics"):
        TopicModel.load(broken)


def test_a_model_for_other_topics_asks_to_be_retrained(tmp_path: Path) -> None:
    other = tmp_path / "topic_model.json"
    other.write_text(_model({}).to_json().replace('"labor"', '"work"'), encoding="utf-8")
    with pytest.raises(DataError, match=r"rerun python scripts/train_topic_model\.py"):
        TopicModel.load(other, slugs=SLUGS)
