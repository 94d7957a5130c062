"""Train the experimental topic model on the tuning examples and compare it with the word lists.

    python scripts/train_topic_model.py --cv [--words-only] [--l2 X] [--min-count N]
    python scripts/train_topic_model.py --out PATH     # train on all of them, write weights

Trained on tests/fixtures/classify/corpus/tune.jsonl and tests/fixtures/classify/eval_set.jsonl
only: the frozen test part is never read.  The model is one logistic regression per topic
over word stems and stem pairs (bot/classify/topic_model.py), fitted by plain stochastic
gradient descent with L2 shrinkage, seeded so a rerun writes the same file.  `--cv` deals
the tuning part's outlets into folds, trains on the other folds (and the 160-item set),
and scores the held-out fold with the word lists alone, the model alone, and both
combined (the model adding topics it is sure of and vetoing thin ones, or judging only
the word lists' borderline calls).  `--frozen` trains on every tuning item and prints the
frozen part's aggregate figures only.

What it measured (issue 9, text only, micro topic F1): the model alone 0.78 on tune folds
(stacked on the word lists' verdicts; 0.46 on words alone) against 0.831 for the word
lists; combined, at best 0.836-0.837 on tune folds and 0.787-0.788 on the frozen part
against 0.783, i.e. two or three tags in 530, while the features alone cost about
100 microseconds an article, more than the whole classifier does.  So the bot keeps the
word lists and does not ship the model.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bot` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.classify.classifier import MAX_TOPICS, TOPIC_THRESHOLD, Classifier
from bot.classify.matcher import Matcher
from bot.classify.normalize import align, nfc
from bot.classify.topics import TOPICS
from scripts.topic_model import DEFAULT_STEM, TopicModel, features, rule_features
from tests.helpers.classify_eval import EVAL_SET, Item, Score, load

TUNE = EVAL_SET.parent / "corpus/tune.jsonl"
EPOCHS = 30
RATE = 0.2
L2 = 0.01  # the best of 1e-3, 1e-2, 3e-2 in --cv
MIN_COUNT = 4  # better than 2 in --cv  # a feature seen in fewer training items is noise
KEEP = 0.05  # weights smaller than this are left out of the file
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled item as the model sees it."""

    item: Item
    found: frozenset[str]


def examples(items: Sequence[Item], stem: int, rules: Classifier | None) -> list[Example]:
    """Features of title and teaser, folded the way the classifier folds them, and what
    the word lists said about the item (when `rules` is given)."""
    out: list[Example] = []
    for item in items:
        found = set(features([align(nfc(item.title)), align(nfc(item.teaser))], stem))
        if rules is not None:
            explained = rules.explain(item.title, item.teaser)
            points = {k: v for k, v in explained.scores if not k.isupper()}
            found.update(rule_features(points, explained.tags.topics))
        out.append(Example(item, frozenset(found)))
    return out


def train(
    data: Sequence[Example],
    stem: int,
    *,
    epochs: int = EPOCHS,
    l2: float = L2,
    min_count: int = MIN_COUNT,
    seed: int = 9,
) -> TopicModel:
    """One-vs-rest logistic regression by SGD over the features seen MIN_COUNT times."""
    slugs = [item.slug for item in TOPICS]
    size = len(slugs)
    counts = Counter(name for example in data for name in example.found)
    rows = [
        (
            [name for name in sorted(example.found) if counts[name] >= min_count],
            [1.0 if slug in example.item.topics else 0.0 for slug in slugs],
        )
        for example in data
    ]
    bias = [0.0] * size
    weights: dict[str, list[float]] = {}
    order = list(range(len(rows)))
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(order)
        rate = RATE / (1 + epoch * 0.1)
        for row in order:
            names, gold = rows[row]
            totals = list(bias)
            vectors = [weights.setdefault(name, [0.0] * size) for name in names]
            for vector in vectors:
                for k in range(size):
                    totals[k] += vector[k]
            grads = [
                1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, totals[k])))) - gold[k]
                for k in range(size)
            ]
            for k in range(size):
                bias[k] -= rate * grads[k]
            for vector in vectors:
                for k in range(size):
                    vector[k] -= rate * (grads[k] + l2 * vector[k])
    kept = {
        name: [(k, weight) for k, weight in enumerate(vector) if abs(weight) >= KEEP]
        for name, vector in weights.items()
    }
    return TopicModel(slugs, bias, {name: pairs for name, pairs in kept.items() if pairs}, stem)


def combine(
    topics: Sequence[str],
    points: dict[str, int],
    probability: dict[str, float],
    *,
    add: float,
    veto: float,
    veto_points: int,
) -> list[str]:
    """The word lists' topics, less those the model finds implausible when the words are
    thin (`veto_points` or fewer), plus those the model is sure of; at most MAX_TOPICS."""
    kept = [
        slug
        for slug in topics
        if probability.get(slug, 0.0) >= veto or points.get(slug, 0) > veto_points
    ]
    extra = sorted(
        (slug for slug, p in probability.items() if p >= add and slug not in kept),
        key=lambda slug: -probability[slug],
    )
    return (kept + extra)[:MAX_TOPICS]


def rescore(
    topics: Sequence[str],
    points: dict[str, int],
    probability: dict[str, float],
    *,
    rescue: float,
    veto: float,
) -> list[str]:
    """The model judges only the word lists' borderline calls: it keeps a topic the lists
    dropped for want of share or room when it is sure (`rescue`), and drops one the lists
    kept on bare minimum points when it finds it implausible (`veto`)."""
    kept = [
        slug
        for slug in topics
        if points.get(slug, 0) > TOPIC_THRESHOLD or probability.get(slug, 0.0) >= veto
    ]
    rescued = sorted(
        (
            slug
            for slug, value in points.items()
            if value >= TOPIC_THRESHOLD
            and slug not in topics
            and probability.get(slug, 0.0) >= rescue
        ),
        key=lambda slug: -probability.get(slug, 0.0),
    )
    return (kept + rescued)[: MAX_TOPICS + 1]


def _fold(item: Item) -> int:
    """Items of one outlet stay in one fold, as the tune/test split kept outlets apart."""
    outlet = item.source_url.split("/")[2] if "//" in item.source_url else item.source_url
    return zlib.crc32(outlet.encode()) % FOLDS


def cross_validate(stem: int, epochs: int, stacked: bool, l2: float, min_count: int) -> None:
    """Print P/R/F1 on held-out folds of tune for rules, model and their combination."""
    tune, extra = load(TUNE), load(EVAL_SET)
    rules = Classifier(Matcher.build())
    ruled = {}
    for item in tune:
        explained = rules.explain(item.title, item.teaser)
        ruled[item.id] = (list(explained.tags.topics), dict(explained.scores))
    probabilities: dict[str, dict[str, float]] = {}
    for fold in range(FOLDS):
        held = [item for item in tune if _fold(item) == fold]
        rest = [item for item in tune if _fold(item) != fold] + extra
        helper = rules if stacked else None
        model = train(examples(rest, stem, helper), stem, epochs=epochs, l2=l2, min_count=min_count)
        for example in examples(held, stem, helper):
            probabilities[example.item.id] = {
                s.slug: s.probability for s in model.scores(example.found)
            }
    print(
        f"stacked={stacked} stem={stem} epochs={epochs} l2={l2} min={min_count}, "
        f"{FOLDS}-fold by outlet, {len(tune)} tune items"
    )
    _report("rules", tune, lambda item: ruled[item.id][0])
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        _report(
            f"model p>={threshold}",
            tune,
            lambda item, t=threshold: sorted(
                (s for s, p in probabilities[item.id].items() if p >= t),
                key=lambda s: -probabilities[item.id][s],
            )[:3],
        )
    for rescue in (0.2, 0.3, 0.4, 0.5, 0.7, 1.1):
        for veto in (0.0, 0.05, 0.1, 0.2):
            _report(
                f"rules rescored rescue={rescue} veto={veto}",
                tune,
                lambda item, r=rescue, v=veto: rescore(
                    ruled[item.id][0],
                    {k: int(x) for k, x in ruled[item.id][1].items() if not k.isupper()},
                    probabilities[item.id],
                    rescue=r,
                    veto=v,
                ),
            )
    for add in (0.4, 0.5, 0.6, 0.7, 0.8):
        for veto, veto_points in ((0.0, 0), (0.05, 3), (0.1, 3), (0.15, 3), (0.1, 6)):
            _report(
                f"rules+model add={add} veto={veto}/{veto_points}",
                tune,
                lambda item, a=add, v=veto, vp=veto_points: combine(
                    ruled[item.id][0],
                    {k: int(x) for k, x in ruled[item.id][1].items()},
                    probabilities[item.id],
                    add=a,
                    veto=v,
                    veto_points=vp,
                ),
            )


def frozen_aggregate(stem: int, epochs: int, stacked: bool, l2: float, min_count: int) -> None:
    """Train on every tuning item, then print only aggregate figures on the frozen part."""
    rules = Classifier(Matcher.build())
    helper = rules if stacked else None
    model = train(
        examples(load(TUNE) + load(EVAL_SET), stem, helper),
        stem,
        epochs=epochs,
        l2=l2,
        min_count=min_count,
    )
    frozen = load(TUNE.parent / "test.jsonl")
    ruled = {}
    for item in frozen:
        explained = rules.explain(item.title, item.teaser)
        points = {k: int(v) for k, v in explained.scores if not k.isupper()}
        ruled[item.id] = (list(explained.tags.topics), points)
    probabilities = {
        example.item.id: {s.slug: s.probability for s in model.scores(example.found)}
        for example in examples(frozen, stem, helper)
    }
    print(f"frozen part, aggregates only (stacked={stacked})")
    _report("rules", frozen, lambda item: ruled[item.id][0])
    for rescue, veto in ((0.4, 0.1), (0.4, 0.05), (0.3, 0.0), (1.1, 0.1)):
        _report(
            f"rules rescored rescue={rescue} veto={veto}",
            frozen,
            lambda item, r=rescue, v=veto: rescore(
                *ruled[item.id], probabilities[item.id], rescue=r, veto=v
            ),
        )


def _report(name: str, items: Sequence[Item], predict: object) -> None:
    """One line of micro P/R/F1 over the items, plus non-English recall."""
    assert callable(predict)
    total, foreign = Score(), Score()
    for item in items:
        found = frozenset(predict(item))
        total.add(item.topics, found)
        if item.lang != "en":
            foreign.add(item.topics, found)
    print(
        f"  {name:<36} P={total.precision:.3f} R={total.recall:.3f} F1={total.f1:.3f}"
        f"  non-en R={foreign.recall:.3f} F1={foreign.f1:.3f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate on tune, write nothing")
    parser.add_argument(
        "--frozen", action="store_true", help="aggregate figures on the frozen part only"
    )
    parser.add_argument("--stem", type=int, default=DEFAULT_STEM)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--min-count", type=int, default=MIN_COUNT)
    parser.add_argument("--words-only", action="store_true", help="without rule features")
    parser.add_argument("--out", type=Path, help="write the weights trained on every item here")
    args = parser.parse_args(argv)
    if args.frozen:
        frozen_aggregate(args.stem, args.epochs, not args.words_only, args.l2, args.min_count)
        return 0
    if args.cv or args.out is None:
        cross_validate(args.stem, args.epochs, not args.words_only, args.l2, args.min_count)
        return 0
    rules = None if args.words_only else Classifier(Matcher.build())
    data = examples(load(TUNE) + load(EVAL_SET), args.stem, rules)
    model = train(data, args.stem, epochs=args.epochs, l2=args.l2, min_count=args.min_count)
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"{len(model.weights)} features written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
