"""A small learned model for topics: per-topic weights over word stems and stem pairs.

An experiment of issue 9, kept so it can be rerun (`scripts/train_topic_model.py --cv`):
the model did not beat the word lists on held-out text, so the bot does not ship it.  It
is pure Python, as the bot would need it.  A feature is a word cut to its
first `stem` letters ("arrestation" and "arrested" are both "arrest"; "elecciones" and
"elections" "elecci"/"electi") or two such stems in a row.  A topic's score is its bias
plus the weights of the features an article has, turned into a probability; the word
lists' own verdicts can be features too (`rule_features`), so the model re-scores them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import DataError

__all__ = ["Feature", "Score", "TopicModel", "features", "rule_features"]

DEFAULT_STEM = 6
FIRM_POINTS = 6  # word-list points that are more than one strong word
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Feature:
    """Where a feature first occurs: field index (0 title, 1 teaser) and its span."""

    field: int
    start: int
    end: int


def features(folded: Sequence[str], stem: int = DEFAULT_STEM) -> dict[str, Feature]:
    """Stems and stem pairs of each aligned-folded field, with where each first occurs."""
    out: dict[str, Feature] = {}
    for index, text in enumerate(folded):
        previous: tuple[str, int] | None = None
        for match in _TOKEN.finditer(text):
            word = match.group()
            if len(word) < 2 or word.isdigit():
                previous = None
                continue
            cut = word[:stem]
            if cut not in out:
                out[cut] = Feature(index, match.start(), match.end())
            if previous is not None:
                pair = f"{previous[0]} {cut}"
                if pair not in out:
                    out[pair] = Feature(index, previous[1], match.end())
            previous = (cut, match.start())
    return out


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


@dataclass(frozen=True, slots=True)
class Score:
    """One topic's probability and the features that raised it most."""

    slug: str
    probability: float
    reasons: tuple[str, ...]  # features, heaviest first


class TopicModel:
    """Per-topic linear weights over features; immutable once built."""

    def __init__(
        self,
        slugs: Sequence[str],
        bias: Sequence[float],
        weights: Mapping[str, Sequence[tuple[int, float]]],
        stem: int = DEFAULT_STEM,
    ) -> None:
        self.slugs = tuple(slugs)
        self.bias = tuple(bias)
        self.weights = {name: tuple(pairs) for name, pairs in weights.items()}
        self.stem = stem

    @classmethod
    def load(cls, path: Path) -> TopicModel:
        """Read the shipped weights."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            slugs = [str(slug) for slug in raw["slugs"]]
            weights = {
                str(name): [(int(k), float(w)) for k, w in pairs]
                for name, pairs in raw["weights"].items()
            }
            return cls(slugs, [float(b) for b in raw["bias"]], weights, int(raw["stem"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{path.name}: not a topic model: {exc}") from exc

    def to_json(self) -> str:
        """The compact file form, one feature a line so diffs stay readable."""
        lines = [
            f"{json.dumps(name, ensure_ascii=False)}: "
            f"{json.dumps([[k, round(w, 3)] for k, w in pairs])}"
            for name, pairs in sorted(self.weights.items())
        ]
        head = (
            f'{{"stem": {self.stem}, "slugs": {json.dumps(self.slugs)}, '
            f'"bias": {json.dumps([round(b, 3) for b in self.bias])},\n"weights": {{\n'
        )
        return head + ",\n".join(lines) + "\n}}\n"

    def raw(self, found: Iterable[str]) -> list[float]:
        """Each topic's log-odds for an article with these features."""
        totals = list(self.bias)
        weights = self.weights
        for name in found:
            pairs = weights.get(name)
            if pairs is not None:
                for index, weight in pairs:
                    totals[index] += weight
        return totals

    def scores(self, found: Iterable[str], *, floor: float = 0.0) -> list[Score]:
        """Topics whose probability reaches `floor`, with the features behind each."""
        present = [name for name in found if name in self.weights]
        out: list[Score] = []
        for index, logit in enumerate(self.raw(present)):
            probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
            if probability < floor:
                continue
            pushes = sorted(
                (
                    (weight, name)
                    for name in present
                    if not name.startswith("@")
                    for k, weight in self.weights[name]
                    if k == index and weight > 0
                ),
                reverse=True,
            )
            out.append(Score(self.slugs[index], probability, tuple(name for _, name in pushes)))
        return out
