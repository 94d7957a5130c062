"""Boolean filters: parsing, bounds, and matching as one subscription."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Subscriber, Target, TargetKind, Unresolved, UnresolvedReason
from bot.pipeline.match import Candidate, matches, plan
from bot.query.filter_tree import MAX_DEPTH, MAX_TERMS, AllOf, AnyOf, Not, Term, dump, load
from bot.query.filters import FilterError, looks_like_filter, parse_filter
from bot.query.resolver import Resolver
from bot.query.words import resolve_all

RESOLVER = Resolver.default()


def parse(text: str) -> Target:
    return parse_filter(RESOLVER, text)


def test_the_issue_example_is_one_subscription() -> None:
    target = parse("Peru AND (strike OR protest) -football")
    assert target.kind is TargetKind.FILTER
    tree = AllOf(
        (
            Term(TargetKind.COUNTRY, "PE"),
            AnyOf((Term(TargetKind.TOPIC, "labor"), Term(TargetKind.TOPIC, "protest"))),
            Not(Term(TargetKind.KEYWORD, "football")),
        )
    )
    assert load(target.value) == tree
    assert target.value == dump(tree)
    assert target.label == "🧩 🇵🇪 Peru AND (✊ Labor OR 📣 Protest) AND NOT “football”"
    targets, unresolved = resolve_all(RESOLVER, "Peru AND (strike OR protest) -football")
    assert (targets, unresolved) == ([target], [])


def test_terms_resolve_like_subscriptions() -> None:
    assert load(parse('Latin America AND "lithium mining" NOT Chile').value) == AllOf(
        (
            Term(TargetKind.REGION, "latin-america"),
            Term(TargetKind.KEYWORD, "lithium mining"),
            Not(Term(TargetKind.COUNTRY, "CL")),
        )
    )
    # OR binds looser than AND; lower-case "and" is part of a name, not an operator
    assert load(parse("Trinidad and Tobago OR Peru AND labor").value) == AnyOf(
        (
            Term(TargetKind.COUNTRY, "TT"),
            AllOf((Term(TargetKind.COUNTRY, "PE"), Term(TargetKind.TOPIC, "labor"))),
        )
    )


def test_a_city_is_a_keyword_and_a_typo_is_an_error() -> None:
    lima = parse("Lima AND strike")
    assert load(lima.value) == AllOf(
        (Term(TargetKind.KEYWORD, "lima"), Term(TargetKind.TOPIC, "labor"))
    )
    assert lima.label == "🧩 “Lima” AND ✊ Labor"
    with pytest.raises(FilterError) as typo:
        parse("Perj AND strike")  # one edit, but too short to be read as Peru
    assert str(typo.value) == "I don't know “Perj”. Did you mean 🇵🇪 Peru?"


def test_a_typo_one_edit_from_one_name_reads_as_it_and_the_label_shows_it() -> None:
    found = parse("Argentna AND strike")
    assert load(found.value) == AllOf(
        (Term(TargetKind.COUNTRY, "AR"), Term(TargetKind.TOPIC, "labor"))
    )
    assert found.label == "🧩 🇦🇷 Argentina AND ✊ Labor"


def test_filters_branch_on_the_reason_not_on_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rewording every resolver message changes no filter: the words are for people only."""
    before = {text: parse(text) for text in ("Lima AND strike", "blorp OR Peru", "Texas -oil")}
    resolve = Resolver.resolve

    def reworded(self: Resolver, term: str, **options: Any) -> Target | Unresolved:
        found = resolve(self, term, **options)
        if isinstance(found, Target):
            return found
        return dataclasses.replace(found, message=f"Sorry, {term!r} is beyond me.")

    monkeypatch.setattr(Resolver, "resolve", reworded)
    assert {text: parse(text) for text in before} == before
    with pytest.raises(FilterError, match="beyond me"):
        parse("Perj AND strike")  # a typo still asks, in the new words


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Peru AND (labor", "never closed"),
        ("Peru AND", "ends too early"),
        ("Peru ) AND labor", "did not expect"),
        ("NOT Peru", "something to follow"),
        ("-Peru -Chile", "something to follow"),
        ("Perj AND labor", "Did you mean"),
        ("Korea AND labor", "could mean"),
        ("Peru AND " + " AND ".join(["labor"] * MAX_TERMS), "at most"),
        ("(" * (MAX_DEPTH + 2) + "Peru OR Chile" + ")" * (MAX_DEPTH + 2), "nests too deeply"),
        ("Peru OR " + "x" * 400, "at most"),
    ],
)
def test_bad_filters_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse(text)
    _, unresolved = resolve_all(RESOLVER, text)
    assert [item.reason for item in unresolved] == [UnresolvedReason.BAD_FILTER]
    assert "AND, OR, NOT" in unresolved[0].message


def test_plain_lists_are_not_filters() -> None:
    assert not looks_like_filter("Peru, Chile, labor")
    assert not looks_like_filter("Guinea-Bissau, Timor-Leste")
    assert looks_like_filter("Peru -football")
    assert looks_like_filter("(Peru OR Chile) AND labor")
    assert not looks_like_filter("<script>alert(1)</script>")


def article(countries: tuple[str, ...], topics: tuple[str, ...], text: str) -> Candidate:
    return Candidate(text[:10], countries, topics, text)


def test_a_filter_matches_only_what_it_says() -> None:
    target = parse("Peru AND (strike OR protest) -football")
    assert matches(target, article(("PE",), ("labor",), "Miners strike in Peru"))
    assert matches(target, article(("PE",), ("protest",), "Marches in Lima"))
    assert not matches(target, article(("PE",), ("labor",), "Football players strike in Peru"))
    assert not matches(target, article(("CL",), ("labor",), "Strike in Chile"))
    assert not matches(target, article(("PE",), ("elections",), "Peru votes"))


def test_plan_pushes_filter_matches_to_their_chat() -> None:
    target = parse("Latin America AND labor")
    items = [
        article(("BO",), ("labor",), "Bolivian miners strike"),
        article(("FR",), ("labor",), "French rail strike"),
    ]
    pushes = list(
        plan(items, [Subscriber(5, TargetKind.FILTER, target.value)], digest_threshold=5, batch="b")
    )
    assert [(push.chat_id, push.url_norm) for push in pushes] == [(5, items[0].key)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Peru", "labor", "AND", "OR", "NOT", "(", ")", "-", '"', "Latin America", "x", "🙂"]
        )
        | st.text(max_size=12),
        max_size=25,
    )
)
def test_any_input_parses_or_fails_cleanly(parts: list[str]) -> None:
    text = " ".join(parts)
    try:
        target = parse(text)
    except FilterError as exc:
        assert str(exc)
    else:
        assert target.kind is TargetKind.FILTER
        assert dump(load(target.value)) == target.value  # stored in exactly the documented form
        assert target.label.startswith("🧩 ")
    targets, unresolved = resolve_all(RESOLVER, text)
    if looks_like_filter(text):  # one filter, or one error saying why
        assert len(targets) + len(unresolved) == 1
