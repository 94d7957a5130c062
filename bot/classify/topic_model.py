"""A learned second opinion on the word lists' borderline topic calls.

Word lists tuned one error at a time stop carrying over to text nobody tuned on (issue 9);
a model fitted to every labelled tuning item does, a little.  It is one logistic
regression per topic over word stems, stem pairs and what the word lists said, trained by
`scripts/train_topic_model.py` into `bot/data/topic_model.json`.  It never tags on its own:
it only judges the calls the word lists make on the bare minimum, so every topic it
keeps still has words behind it for `/why`.  A feature is a word cut to its first `stem`
letters ("arrestation" and "arrested" are both "arrest"; "elecciones" and "elections"
"elecci"/"electi"), or two such stems in a row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final

import ahocorasick

from bot.classify.datafile import DATA_DIR
from bot.classify.normalize import word_breaks
from bot.errors import DataError

__all__ = ["MODEL_PATH", "TopicModel", "borderline", "features", "rescore", "rule_features"]

MODEL_PATH: Final = DATA_DIR / "topic_model.json"
DEFAULT_STEM: Final = 6
FIRM_POINTS: Final = 6  # word-list points that are more than one strong word
MINIMUM_POINTS: Final = 3  # the word lists' threshold (the classifier passes its own)
MOST_TOPICS: Final = 3  # topics an article keeps (likewise)
VETO: Final = 0.1  # a topic kept on the bare minimum goes when the model gives it less than this
RESCUE: Final = 0.4  # a topic with enough points but no room or share comes back from this on
_UNITS: Final = 1000  # weights are kept to three decimals (to_json)


def features(folded: Iterable[str], stem: int = DEFAULT_STEM) -> set[str]:
    """Stems and stem pairs of each aligned-folded field (title, teaser)."""
    out: set[str] = set()
    for text in folded:
        previous = ""
        for word in _words(text):
            if len(word) < 2 or word.isdigit():
                previous = ""
                continue
            cut = word[:stem]
            out.add(cut)
            if previous:
                out.add(f"{previous} {cut}")
            previous = cut
    return out


def _words(text: str) -> list[str]:
    """The runs of letters and digits in a text."""
    return word_breaks(text).split()


def rule_features(points: Mapping[str, int], chosen: Iterable[str]) -> list[str]:
    """What the word lists said, as features: which topics they chose, and how firmly
    each topic they saw was backed ("@pick:labor", "@firm:labor", "@seen:labor")."""
    out = [f"@pick:{slug}" for slug in chosen]
    for slug, value in points.items():
        if value >= FIRM_POINTS:
            out.append(f"@firm:{slug}")
        elif value > 0:
            out.append(f"@seen:{slug}")
    return out


def borderline(
    topics: Sequence[str], points: Mapping[str, int], minimum: int = MINIMUM_POINTS
) -> set[str]:
    """The calls of the word lists that the model may change (empty if none): topics kept
    on the bare minimum, and topics with enough points left out for want of share or room."""
    doubtful = {slug for slug in topics if points[slug] <= minimum}
    doubtful.update(
        slug for slug, value in points.items() if value >= minimum and slug not in topics
    )
    return doubtful


def rescore(
    topics: Sequence[str],
    points: Mapping[str, int],
    probability: Mapping[str, float],
    *,
    rescue: float = RESCUE,
    veto: float = VETO,
    minimum: int = MINIMUM_POINTS,
    most: int = MOST_TOPICS,
) -> list[str]:
    """The word lists' topics after the model's word on their borderline calls: one kept
    on bare minimum points goes when the model finds it implausible (`veto`), one left out
    despite enough points comes back when the model is sure (`rescue`)."""
    kept = [
        slug
        for slug in topics
        if points.get(slug, 0) > minimum or probability.get(slug, 0.0) >= veto
    ]
    rescued = sorted(
        (
            slug
            for slug, value in points.items()
            if value >= minimum and slug not in topics and probability.get(slug, 0.0) >= rescue
        ),
        key=lambda slug: -probability.get(slug, 0.0),
    )
    return (kept + rescued)[:most]


def _pair_automaton(names: Iterable[str]) -> ahocorasick.Automaton | None:
    """The weighed pairs (" arrest protes "), to find in the stems of a text joined by
    spaces: a pass in C instead of a string made for every two words (None if none)."""
    automaton = ahocorasick.Automaton()
    for name in names:
        if " " in name:
            automaton.add_word(f" {name} ", name)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


class TopicModel:
    """Per-topic linear weights over features; immutable once built."""

    def __init__(
        self,
        bias: Mapping[str, float],
        weights: Mapping[str, Mapping[str, float]],
        stem: int = DEFAULT_STEM,
    ) -> None:
        self.slugs = tuple(bias)
        self._bias = dict(bias)
        self.weights = {slug: dict(weights.get(slug, {})) for slug in self.slugs}
        self.stem = stem
        self.names = frozenset(name for table in self.weights.values() for name in table)
        self._pairs = _pair_automaton(self.names)
        # in thousandths, as the file keeps them: an integer sum is exact in any order, so
        # the order of a set of features cannot move a probability across a threshold
        self._bias_units = {slug: round(value * _UNITS) for slug, value in self._bias.items()}
        self._units = {
            slug: {name: round(weight * _UNITS) for name, weight in table.items()}
            for slug, table in self.weights.items()
        }

    @classmethod
    def load(cls, path: Path = MODEL_PATH, slugs: Sequence[str] | None = None) -> TopicModel:
        """Read the shipped weights; `slugs`, when given, must be the topics it was
        trained for, in order (a model for other topics would score the wrong ones)."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            bias = {str(slug): float(value) for slug, value in raw["bias"].items()}
            weights = raw["weights"]
            for table in weights.values():
                float(sum(table.values()))  # numbers, or a TypeError
            model = cls(bias, weights, int(raw["stem"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DataError(f"{path.name}: not a topic model: {exc}") from exc
        if set(weights) - set(bias):
            raise DataError(f"{path.name}: not a topic model: weights for unknown topics")
        if slugs is not None and tuple(slugs) != model.slugs:
            raise DataError(
                f"{path.name}: trained for other topics; rerun python scripts/train_topic_model.py"
            )
        return model

    def to_json(self) -> str:
        """The file form: each topic's weights, one feature a line so diffs stay readable."""
        tables = [
            f"{json.dumps(slug)}: {{\n"
            + ",\n".join(
                f"{json.dumps(name, ensure_ascii=False)}: {round(weight, 3)}"
                for name, weight in sorted(self.weights[slug].items())
            )
            + "\n}"
            for slug in self.slugs
        ]
        bias = {slug: round(value, 3) for slug, value in self._bias.items()}
        return (
            f'{{"stem": {self.stem}, "bias": {json.dumps(bias)},\n"weights": {{\n'
            + ",\n".join(tables)
            + "\n}}\n"
        )

    def probabilities(self, found: Iterable[str]) -> dict[str, float]:
        """Each topic's probability for an article with these features."""
        present = [name for name in found if name in self.names]
        return {slug: self.probability(slug, present) for slug in self.slugs}

    def probability(self, slug: str, found: Iterable[str]) -> float:
        """One topic's probability for an article with these features."""
        table = self._units[slug]
        units = self._bias_units[slug]
        for name in found:  # a compiled loop: a look-up each, no call through map()
            weight = table.get(name)
            if weight is not None:
                units += weight
        logit = units / _UNITS
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))

    def weighed(self, folded: Iterable[str]) -> set[str]:
        """The features of `features(folded)` that carry a weight: the stems by a set
        operation, the pairs by an automaton over the stems, so no pair is made that has
        no weight.  A number or a one-letter word is never weighed, alone or in a pair, so
        it need not be left out first, and a "0" between the fields keeps a pair from
        reaching across them."""
        stem = self.stem
        cuts = [word[:stem] for word in _words(" 0 ".join(folded))]
        out = set(self.names.intersection(cuts))
        if self._pairs is not None:
            out.update(pair for _, pair in self._pairs.iter(f" {' '.join(cuts)} "))
        return out

    def judge(
        self,
        folded: Iterable[str],
        points: Mapping[str, int],
        topics: Sequence[str],
        *,
        minimum: int = MINIMUM_POINTS,
        most: int = MOST_TOPICS,
    ) -> list[str]:
        """The topics after the model's word, for an article whose fields fold to `folded`
        and whose word lists gave these points and chose these topics."""
        doubtful = borderline(topics, points, minimum)
        if not doubtful:
            return list(topics)
        found = self.weighed(folded)
        found.update(rule_features(points, topics))
        # only the calls in doubt need a probability
        probability = {slug: self.probability(slug, found) for slug in doubtful}
        return rescore(topics, points, probability, minimum=minimum, most=most)
