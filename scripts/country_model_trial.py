"""Would a learned model pick an article's countries better than the rules?  A trial, not a part
of the bot: it ships nothing and writes nothing.

    python scripts/country_model_trial.py           # cross-validation, unseen parts, curve
    python scripts/country_model_trial.py --quick   # the unseen parts only
    python scripts/country_model_trial.py --classes # the rules' calls by kind of evidence

Every country some word of an item names is a candidate (tests/helpers/classify_eval.py's
`place_hits`, the same scan as the classifier's); a logistic regression (train_topic_model.py's
`fit`) decides for each whether the item is about it, from what the scan and the rules' points
say of it: the kinds of word that named it and where (title, first sentence, how far in), how
often, its points and rank among the candidates, how many candidates there are, the teaser's
length and language, and the two words on each side of each mention.  `with verdict` also
gives it the rules' own keep or drop.  Trained on the tuning parts and the 160-item set only;
the frozen part and the holdouts print aggregate figures, never an item.  A country no word
names is beyond any candidate model: the recall ceiling line says how far that caps recall.
The learning curve trains on a quarter, a half, three quarters and all of the tuning
outlets and scores the three unseen parts together: a flat curve says more labelled items of
the same kind would not help.  `--classes` counts the rules' keeps and drops, right and
wrong, by the kinds of word that named the country (T: one was in the title), on the tuning
items and on the three unseen parts together: where the rules stop carrying over.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bot` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.classify.classifier import Classifier
from bot.models import TargetKind
from scripts.train_topic_model import FOLDS, UNSEEN, fit, fold, outlet, tuning_items
from tests.helpers.classify_eval import Item, Score, load, place_hits

EPOCHS = 40
L2 = 0.001
MIN_COUNT = 5  # a context word seen in fewer candidates is noise
THRESHOLD = 0.5
_WORD = re.compile(r"[^\W\d_]+")
_CONTEXT = ("before=", "after=")
_REACH = 30  # characters either side of a mention where its context words are looked for


@dataclass(frozen=True, slots=True)
class Candidate:
    """One country one item names, as the model sees it."""

    item: Item
    code: str
    features: frozenset[str]
    kept: bool  # what the rules decided

    @property
    def gold(self) -> bool:
        return self.code in self.item.countries


def candidates(classifier: Classifier, item: Item) -> list[Candidate]:
    """Every country the item's words name, with the facts the model decides on."""
    explained = classifier.explain(item.title, item.teaser)
    kept = set(explained.tags.countries)
    points = {name: int(value) for name, value in explained.scores if name.isupper()}
    places = [e for e in explained.evidence if e.kind is TargetKind.COUNTRY]
    counted = Counter(e.value for e in places)
    titled = {e.value for e in places if e.field == "title"}
    facts: dict[str, set[str]] = {}
    mentions: Counter[str] = Counter()
    for index, folded, hit in place_hits(item, classifier):
        code, kind = hit.entry.target, hit.entry.kind
        if not code or kind is None:
            continue
        mentions[code] += 1
        where = "title" if index == 0 else "teaser"
        found = facts.setdefault(code, set())
        found.update({f"kind={kind.value}", f"{where}_kind={kind.value}"})
        if index == 1:
            first = folded.find(". ")
            if first < 0 or hit.start < first:
                found.add("first_sentence")
            found.add(f"quarter={min(3, 4 * hit.start // max(1, len(folded)))}")
        before = _WORD.findall(folded[max(0, hit.start - _REACH) : hit.start])[-2:]
        after = _WORD.findall(folded[hit.end : hit.end + _REACH])[:2]
        found.update({f"before={word}" for word in before} | {f"after={word}" for word in after})
    for code in (kept | points.keys()) - facts.keys():  # a Congo the story settles
        facts[code] = {"kind=resolved"}
    lead = max(points.values(), default=0)
    ranked = sorted(facts, key=lambda code: (-points.get(code, 0), -mentions[code]))
    words = item.teaser.count(" ") + 1
    shared = {
        f"candidates={min(len(facts), 5)}",
        f"words={next(size for size in (20, 40, 80, 10**9) if words <= size)}",
        "foreign" if item.lang not in ("en", "?") else "english",
    }
    out = []
    for rank, code in enumerate(ranked):
        found = facts[code] | shared
        found |= {f"points={min(points.get(code, 0), 10)}", f"rank={min(rank, 3)}"}
        found |= {f"mentions={min(mentions[code], 4)}", f"counted={min(counted[code], 3)}"}
        if lead and points.get(code, 0) == lead:
            found.add("lead")
        if code in titled:
            found.add("title_evidence")
        out.append(Candidate(item, code, frozenset(found), code in kept))
    return out


Model = Callable[[Candidate], bool]


def train(data: Sequence[Candidate], with_verdict: bool) -> Model:
    """A logistic regression over the candidates' facts (context words seen MIN_COUNT times)."""

    def names(candidate: Candidate) -> list[str]:
        found = sorted(candidate.features)
        return [*found, f"verdict={candidate.kept}"] if with_verdict else found

    counts = Counter(name for candidate in data for name in names(candidate))
    common = {name for name, n in counts.items() if n >= MIN_COUNT or not name.startswith(_CONTEXT)}
    rows = [([name for name in names(c) if name in common], [float(c.gold)]) for c in data]
    bias, weights = fit(rows, 1, epochs=EPOCHS, l2=L2)

    def keep(candidate: Candidate) -> bool:
        total = bias[0] + sum(weights[name][0] for name in names(candidate) if name in weights)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total)))) >= THRESHOLD

    return keep


def score(items: Sequence[Item], data: Sequence[Candidate], keep: Model) -> Score:
    """Micro country P/R/F1 over the items when `keep` picks among their candidates."""
    chosen: dict[str, set[str]] = {item.id: set() for item in items}
    for candidate in data:
        if keep(candidate):
            chosen[candidate.item.id].add(candidate.code)
    total = Score()
    for item in items:
        total.add(item.countries, frozenset(chosen[item.id]))
    return total


def _line(name: str, total: Score) -> str:
    return f"  {name:<44} P={total.precision:.3f} R={total.recall:.3f} F1={total.f1:.3f}"


def _ceiling(items: Sequence[Item], data: Sequence[Candidate]) -> str:
    named = {(c.item.id, c.code) for c in data}
    labels = [(item.id, code) for item in items for code in item.countries]
    share = sum(pair in named for pair in labels) / len(labels)
    return f"  {'recall ceiling':<44} {share:.3f} (labels some word of the item names)"


def _rules(candidate: Candidate) -> bool:
    return candidate.kept


def _cross_validate(tune: Sequence[Item], tuned: Sequence[Candidate]) -> None:
    print(f"{len(tune)} tuning items, {len(tuned)} candidates, {FOLDS} folds by outlet")
    for with_verdict in (False, True):
        guessed: set[int] = set()
        for k in range(FOLDS):
            keep = train([c for c in tuned if fold(c.item) != k], with_verdict)
            guessed |= {id(c) for c in tuned if fold(c.item) == k and keep(c)}
        print(_line(f"model, verdict={with_verdict}", score(tune, tuned, _among(guessed))))
    print(_line("rules (tuned on these)", score(tune, tuned, _rules)))


def _among(ids: set[int]) -> Model:
    def keep(candidate: Candidate) -> bool:
        return id(candidate) in ids

    return keep


def _unseen(
    classifier: Classifier, tuned: Sequence[Candidate]
) -> tuple[list[Item], list[Candidate]]:
    """Rules and models on each unseen part, aggregates only; every unseen item and candidate."""
    models = {f"model, verdict={v}": train(tuned, v) for v in (False, True)}
    all_items: list[Item] = []
    all_data: list[Candidate] = []
    for path in UNSEEN:
        items = load(path)
        data = [c for item in items for c in candidates(classifier, item)]
        all_items += items
        all_data += data
        print(f"{path.name}, {len(items)} items, aggregates only")
        print(_line("rules", score(items, data, _rules)))
        for name, keep in models.items():
            print(_line(name, score(items, data, keep)))
        print(_ceiling(items, data))
    return all_items, all_data


def _curve(tuned: Sequence[Candidate], items: Sequence[Item], data: Sequence[Candidate]) -> None:
    print("learning curve, model without verdict, three unseen parts together")
    outlets = sorted({outlet(c.item) for c in tuned})
    random.Random(1).shuffle(outlets)
    for share in (0.25, 0.5, 0.75, 1.0):
        chosen = set(outlets[: int(len(outlets) * share)])
        part = [c for c in tuned if outlet(c.item) in chosen]
        trained = len({c.item.id for c in part})
        name = f"{share:.0%} of outlets, {trained} items named a country"
        print(_line(name, score(items, data, train(part, False))))


def _kinds(candidate: Candidate) -> str:
    kinds = sorted(name.split("=")[1] for name in candidate.features if name.startswith("kind="))
    titled = any(name.startswith("title_kind=") for name in candidate.features)
    return ("T " if titled else "- ") + "+".join(kinds)


def _classes(name: str, data: Sequence[Candidate], most: int = 16) -> None:
    """The rules' keeps and drops, right and wrong, for the commonest kinds of evidence."""
    counts: dict[str, Counter[tuple[bool, bool]]] = {}
    for candidate in data:
        counts.setdefault(_kinds(candidate), Counter())[candidate.kept, candidate.gold] += 1
    print(f"{name}: the rules' calls by the words that named the country")
    for kinds, n in sorted(counts.items(), key=lambda kv: -kv[1].total())[:most]:
        print(
            f"  {kinds:<26} kept {n[True, True]:4} right {n[True, False]:3} wrong"
            f" | dropped {n[False, False]:4} right {n[False, True]:3} wrong"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the unseen parts only")
    parser.add_argument("--classes", action="store_true", help="the rules' calls by evidence")
    args = parser.parse_args(argv)
    classifier = Classifier.default()
    tune = tuning_items()
    tuned = [c for item in tune for c in candidates(classifier, item)]
    if args.classes:
        unseen = [c for path in UNSEEN for item in load(path) for c in candidates(classifier, item)]
        _classes("tuning items", tuned)
        _classes("frozen part and holdouts together", unseen)
        return 0
    if not args.quick:
        _cross_validate(tune, tuned)
    items, data = _unseen(classifier, tuned)
    if not args.quick:
        _curve(tuned, items, data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
