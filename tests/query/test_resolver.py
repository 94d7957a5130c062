"""Resolver and split_terms: what a reader's /subscribe words mean."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Target, TargetKind, Unresolved
from bot.query.resolver import Resolver, split_terms


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.default()


def test_default_is_built_once() -> None:
    assert Resolver.default() is Resolver.default()


@pytest.mark.parametrize(
    ("term", "code"),
    [
        ("Peru", "PE"),
        ("peru", "PE"),
        ("PERU", "PE"),
        ("Perú", "PE"),
        ("Peruvian", "PE"),
        ("Peruvians", "PE"),
        ("PE", "PE"),
        ("pe", "PE"),
        ("PER", "PE"),
        ("UK", "GB"),
        ("USA", "US"),
        ("U.S.", "US"),
        ("US", "US"),
        ("Britain", "GB"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d\u2019Ivoire", "CI"),
        ("the Philippines", "PH"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Burma", "MM"),
        ("DRC", "CD"),
        ("DR Congo", "CD"),
        ("Gaza", "PS"),
        ("Palestinians", "PS"),
        ("South Korea", "KR"),
        ("Brasil", "BR"),
        ("Allemagne", "DE"),
        ("#Chile", "CL"),
        ("St. Lucia", "LC"),
        ("Trinidad & Tobago", "TT"),
        ("  peru. ", "PE"),
    ],
)
def test_countries(resolver: Resolver, term: str, code: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Target), result
    assert result.kind is TargetKind.COUNTRY
    assert result.value == code


def test_country_label(resolver: Resolver) -> None:
    assert resolver.resolve("peru") == Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")


@pytest.mark.parametrize(
    ("term", "slug"),
    [
        ("labor", "labor"),
        ("labour", "labor"),
        ("Labor", "labor"),
        ("strikes", "labor"),
        ("unions", "labor"),
        ("protests", "protest"),
        ("climate change", "climate"),
        ("climate-change", "climate"),
        ("LGBTQ+", "lgbtq"),
        ("women", "women"),
        ("refugees", "migration"),
    ],
)
def test_topics(resolver: Resolver, term: str, slug: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Target), result
    assert result.kind is TargetKind.TOPIC
    assert result.value == slug


def test_topic_label(resolver: Resolver) -> None:
    assert resolver.resolve("unions") == Target(TargetKind.TOPIC, "labor", "✊ Labor")


@pytest.mark.parametrize(
    ("term", "value", "label"),
    [
        ('"lithium mining"', "lithium mining", '🔎 "lithium mining"'),
        ("“Lithium  Mining”", "lithium mining", '🔎 "Lithium Mining"'),
        ("keyword lithium", "lithium", '🔎 "lithium"'),
        ("keyword: lithium", "lithium", '🔎 "lithium"'),
        ("Keyword Peru", "peru", '🔎 "Peru"'),
        ('"Perú"', "peru", '🔎 "Perú"'),
        ('"lithium-mining"', "lithium mining", '🔎 "lithium-mining"'),
    ],
)
def test_keywords(resolver: Resolver, term: str, value: str, label: str) -> None:
    assert resolver.resolve(term) == Target(TargetKind.KEYWORD, value, label)


@pytest.mark.parametrize("term", ["keyword", "keyword:", '""', '"x"', "keyword " + "a" * 80])
def test_bad_keywords(resolver: Resolver, term: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert result.message


def test_unknown_word_is_not_a_keyword(resolver: Resolver) -> None:
    result = resolver.resolve("Peruu")
    assert isinstance(result, Unresolved)
    assert result.term == "Peruu"
    assert [target.value for target in result.suggestions] == ["PE"]
    assert result.message == (
        "I don't know “Peruu”. Did you mean 🇵🇪 Peru? "
        "To follow it as a keyword, send /subscribe keyword Peruu"
    )


@pytest.mark.parametrize(
    ("term", "value"),
    [
        ("Columbia", "CO"),
        ("Phillipines", "PH"),
        ("Venezuala", "VE"),
        ("Isreal", "IL"),
        ("labr", "labor"),
        ("climte change", "climate"),
    ],
)
def test_typos_get_suggestions(resolver: Resolver, term: str, value: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert value in [target.value for target in result.suggestions]
    assert len(result.suggestions) <= 3


def test_nonsense_gets_no_suggestion(resolver: Resolver) -> None:
    result = resolver.resolve("xyzzy")
    assert isinstance(result, Unresolved)
    assert result.suggestions == ()
    assert "/subscribe keyword xyzzy" in result.message
    short = resolver.resolve("can")
    assert isinstance(short, Unresolved)
    assert short.suggestions == ()


@pytest.mark.parametrize(
    ("term", "codes"),
    [("Korea", {"KR", "KP"}), ("Congo", {"CD", "CG"}), ("Virgin Islands", {"VG", "VI"})],
)
def test_ambiguous_words_ask(resolver: Resolver, term: str, codes: set[str]) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert {target.value for target in result.suggestions} == codes
    assert "Which one?" in result.message


@pytest.mark.parametrize(("term", "code"), [("Lima", "PE"), ("Texas", "US"), ("Tbilisi", "GE")])
def test_cities_suggest_their_country(resolver: Resolver, term: str, code: str) -> None:
    result = resolver.resolve(term)
    if isinstance(result, Target):  # an alias such as Tbilisi may resolve directly
        assert result.value == code
        return
    assert [target.value for target in result.suggestions] == [code]
    assert "keyword" in result.message


@pytest.mark.parametrize("term", ["", "   ", "!!!", "a" * 5000, "<b>", "🇵🇪🔥"])
def test_odd_terms(resolver: Resolver, term: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert result.message


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Peru, labor", ["Peru", "labor"]),
        ('"lithium mining"', ['"lithium mining"']),
        ("keyword lithium", ["keyword lithium"]),
        ("keyword: lithium", ["keyword lithium"]),
        ('keyword "lithium mining"', ['"lithium mining"']),
        ('Peru "lithium mining", Chile', ["Peru", '"lithium mining"', "Chile"]),
        ("“Chiquitano people”, labor", ['"Chiquitano people"', "labor"]),
        ("Peru\nChile; Bolivia", ["Peru", "Chile", "Bolivia"]),
        ("Peru, peru, PERU", ["Peru"]),
        ("/subscribe@newsbot Peru", ["Peru"]),
        ("@newsbot  Peru ,  #labor!", ["Peru", "labor"]),
        ('"unclosed phrase', ['"unclosed phrase"']),
        ("", []),
        ("  , ,  ", []),
        ("/subscribe", []),
    ],
)
def test_split_terms(text: str, terms: list[str]) -> None:
    assert split_terms(text) == terms


def test_split_then_resolve(resolver: Resolver) -> None:
    results = [resolver.resolve(term) for term in split_terms('Peru, labor, "lithium mining"')]
    assert results == [
        Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru"),
        Target(TargetKind.TOPIC, "labor", "✊ Labor"),
        Target(TargetKind.KEYWORD, "lithium mining", '🔎 "lithium mining"'),
    ]


def test_resolve_many_splits_unseparated_words(resolver: Resolver) -> None:
    results = resolver.resolve_many("Peru Chile and labor, South Africa")
    assert [item.value for item in results if isinstance(item, Target)] == [
        "PE",
        "CL",
        "labor",
        "ZA",
    ]
    assert [
        item.value for item in resolver.resolve_many("Peru UK") if isinstance(item, Target)
    ] == ["PE", "GB"]
    assert all(isinstance(item, Unresolved) for item in resolver.resolve_many("news in Peru"))
    mixed = resolver.resolve_many("Peru blorp")
    assert len(mixed) == 1 and isinstance(mixed[0], Unresolved)


_TRICKY = st.sampled_from(
    ["<i>", "🇵🇪", "مصر", "ישראל", "\u202e", "keyword", '"', "“", ",", "@bot", "/subscribe", "#"]
)
_WORDS = st.one_of(st.text(max_size=200), st.lists(_TRICKY, max_size=8).map(" ".join))


@settings(max_examples=200, deadline=None)
@given(_WORDS)
def test_resolve_never_raises(term: str) -> None:
    result = Resolver.default().resolve(term)
    assert isinstance(result, Target | Unresolved)
    if isinstance(result, Unresolved):
        assert result.message
        assert len(result.suggestions) <= 3


@settings(max_examples=200, deadline=None)
@given(_WORDS)
def test_split_and_resolve_many_never_raise(text: str) -> None:
    terms = split_terms(text)
    assert all(term.strip() for term in terms)
    assert len(Resolver.default().resolve_many(text)) <= 2 * len(terms) + 25


def test_guinea_asks_which_one(resolver: Resolver) -> None:
    """Four countries are called Guinea-something: the reader picks one from buttons."""
    result = resolver.resolve("Guinea")
    assert isinstance(result, Unresolved)
    assert {t.value for t in result.suggestions} == {"GN", "GQ", "GW", "PG"}
    guinea_bissau = resolver.resolve("Guinea-Bissau")
    assert isinstance(guinea_bissau, Target) and guinea_bissau.value == "GW"
