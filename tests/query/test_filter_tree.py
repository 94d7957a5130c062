"""The typed filter tree: evaluation, its one stored form, and refusing every other text."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Subscriber, Target, TargetKind
from bot.pipeline.match import Candidate, matches, plan
from bot.query import filter_tree
from bot.query.filter_tree import (
    MAX_LEVELS,
    MAX_STORED_CHARS,
    MAX_TERMS,
    AllOf,
    AnyOf,
    FilterFormatError,
    Node,
    Not,
    Term,
    dump,
    load,
    stored,
)

PERU = Term(TargetKind.COUNTRY, "PE")
LABOR = Term(TargetKind.TOPIC, "labor")
FOOTBALL = Term(TargetKind.KEYWORD, "football")
DOCUMENTED = (
    '{"tree":{"and":[{"term":["country","PE"]},{"not":{"term":["keyword","football"]}}]},"v":2}'
)


def test_the_documented_example_is_the_stored_form() -> None:
    tree = AllOf((PERU, Not(FOOTBALL)))
    assert dump(tree) == DOCUMENTED
    assert DOCUMENTED in (filter_tree.__doc__ or "")
    assert load(DOCUMENTED) == tree


def test_the_stored_form_is_sorted_compact_and_keeps_non_ascii() -> None:
    tree = AnyOf((Term(TargetKind.KEYWORD, "são paulo"), Term(TargetKind.REGION, "latin-america")))
    text = dump(tree)
    assert text == (
        '{"tree":{"or":[{"term":["keyword","são paulo"]},{"term":["region","latin-america"]}]},'
        '"v":2}'
    )
    assert text == json.dumps(
        json.loads(text), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )


def test_the_tree_evaluates_and_or_not() -> None:
    tree = AllOf((PERU, AnyOf((LABOR, Term(TargetKind.TOPIC, "protest"))), Not(FOOTBALL)))
    assert tree.matches(lambda term: term in (PERU, LABOR))
    assert not tree.matches(lambda term: term in (PERU, LABOR, FOOTBALL))
    assert not tree.matches(lambda term: term == PERU)
    assert not tree.matches(lambda term: term in (LABOR,))


def test_a_filter_cannot_hold_a_filter() -> None:
    with pytest.raises(ValueError, match="another filter"):
        Term(TargetKind.FILTER, "{}")


def _nested(levels: int) -> str:
    text = '{"term":["country","PE"]}'
    for _ in range(levels - 1):
        text = '{"not":' + text + "}"
    return '{"tree":' + text + ',"v":2}'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "null",
        "[]",
        # version 1, the bare list the migration converts: refused like anything else
        '["and",[["t","country","PE"],["t","topic","labor"]]]',
        '["t","country","PE"]',
        '{"tree":{"term":["country","PE"]}}',
        '{"tree":{"term":["country","PE"]},"v":1}',
        '{"tree":{"term":["country","PE"]},"v":"2"}',
        '{"tree":{"term":["country","PE"]},"v":2.0}',
        '{"tree":{"term":["country","PE"]},"v":true}',
        '{"tree":{"term":["country","PE"]},"v":2,"x":1}',
        '{"tree":{"term":["filter","{}"]},"v":2}',
        '{"tree":{"term":["planet","Mars"]},"v":2}',
        '{"tree":{"term":["country",""]},"v":2}',
        '{"tree":{"term":["country",7]},"v":2}',
        '{"tree":{"term":["country"]},"v":2}',
        '{"tree":{"and":[]},"v":2}',
        '{"tree":{"or":{"term":["country","PE"]}},"v":2}',
        '{"tree":{"not":{"term":["country","PE"]},"and":[]},"v":2}',
        '{"tree":{"xor":[{"term":["country","PE"]}]},"v":2}',
        _nested(MAX_LEVELS + 1),
        '{"tree":{"or":[' + ",".join(['{"term":["country","PE"]}'] * (MAX_TERMS + 1)) + ']},"v":2}',
        "[" * 5000,
        '{"tree":{"term":["keyword","' + "x" * MAX_STORED_CHARS + '"]},"v":2}',
    ],
)
def test_load_refuses_anything_but_the_stored_form(text: str) -> None:
    with pytest.raises(FilterFormatError):
        load(text)


def test_the_deepest_tree_the_parser_builds_loads() -> None:
    assert load(_nested(MAX_LEVELS)) is not None


def test_a_damaged_stored_filter_matches_nothing_and_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    value = '["and",[["t","country","PE"],["t","topic","labor"]],"logged once"]'
    target = Target(TargetKind.FILTER, value, "🧩 broken")
    article = Candidate("u/1", ("PE",), ("labor",), "Miners strike in Peru")
    with caplog.at_level(logging.WARNING, logger="bot.query.filter_tree"):
        assert not matches(target, article)
        assert not matches(target, article)
        pushes = plan(
            [article], [Subscriber(1, TargetKind.FILTER, value)], digest_threshold=5, batch="b"
        )
        assert list(pushes) == []
    assert len(caplog.records) == 1
    assert "cannot be read" in caplog.records[0].getMessage()


def test_a_filter_is_decoded_once_per_distinct_value(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_load = filter_tree.load

    def counting(text: str) -> Node:
        calls.append(text)
        return real_load(text)

    monkeypatch.setattr(filter_tree, "load", counting)
    value = dump(AllOf((Term(TargetKind.COUNTRY, "BO"), LABOR)))  # not decoded by other tests
    items = [Candidate(f"u/{n}", ("BO",), ("labor",), f"Strike {n}") for n in range(50)]
    subscribers = [Subscriber(chat, TargetKind.FILTER, value) for chat in range(20)]
    assert len(plan(items, subscribers, digest_threshold=100, batch="b")) == 50 * 20
    target = Target(TargetKind.FILTER, value, "")
    assert all(matches(target, item) for item in items)
    assert calls == [value]


_TERMS = st.builds(
    Term,
    st.sampled_from([kind for kind in TargetKind if kind is not TargetKind.FILTER]),
    st.text(min_size=1, max_size=20),
)
_TREES: st.SearchStrategy[Node] = st.recursive(
    _TERMS,
    lambda parts: st.one_of(
        st.builds(Not, parts),
        st.lists(parts, min_size=1, max_size=3).map(lambda p: AllOf(tuple(p))),
        st.lists(parts, min_size=1, max_size=3).map(lambda p: AnyOf(tuple(p))),
    ),
    max_leaves=MAX_TERMS,
)


def _levels(node: Node) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, Not):
        return 1 + _levels(node.part)
    return 1 + max(_levels(part) for part in node.parts)


@settings(max_examples=300)
@given(_TREES)
def test_every_tree_within_bounds_survives_its_stored_form(tree: Node) -> None:
    text = dump(tree)
    if _levels(tree) <= MAX_LEVELS:
        assert load(text) == tree
        assert stored(text) == tree
    else:
        with pytest.raises(FilterFormatError):
            load(text)


CHILE = Term(TargetKind.COUNTRY, "CL")


def test_the_canonical_form_ignores_order_nesting_and_repeats() -> None:
    one = AllOf((PERU, AnyOf((LABOR, CHILE)), Not(FOOTBALL)))
    same: tuple[Node, ...] = (
        AllOf((Not(FOOTBALL), AnyOf((CHILE, LABOR)), PERU)),
        AllOf((AllOf((PERU, Not(Not(Not(FOOTBALL))))), AnyOf((CHILE, AnyOf((LABOR,)))))),
        AllOf((PERU, PERU, AnyOf((LABOR, CHILE, LABOR)), Not(FOOTBALL))),
    )
    for tree in same:
        assert filter_tree.canonical(tree) == filter_tree.canonical(one), tree
        assert filter_tree.canonical_text(dump(tree)) == filter_tree.canonical_text(dump(one))
    different: tuple[Node, ...] = (
        AnyOf((PERU, AnyOf((LABOR, CHILE)), Not(FOOTBALL))),
        AllOf((PERU, LABOR)),
    )
    for other in different:
        assert filter_tree.canonical(other) != filter_tree.canonical(one), other
    assert filter_tree.canonical_text("not a filter") is None


FOUR = [PERU, LABOR, FOOTBALL, CHILE]
# few distinct leaves, so trees repeat terms and an article's tags hit them
_SMALL_TREES: st.SearchStrategy[Node] = st.recursive(
    st.sampled_from(FOUR),
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.lists(inner, min_size=1, max_size=3).map(lambda p: AllOf(tuple(p))),
        st.lists(inner, min_size=1, max_size=3).map(lambda p: AnyOf(tuple(p))),
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(_SMALL_TREES, st.sets(st.sampled_from(FOUR)))
def test_the_canonical_form_means_the_same_and_is_a_fixed_point(
    tree: Node, present: set[Term]
) -> None:
    shape = filter_tree.canonical(tree)
    assert shape.matches(present.__contains__) == tree.matches(present.__contains__)
    assert filter_tree.canonical(shape) == shape
