"""Resolver and split_terms: what a reader's /subscribe words mean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classify.normalize import fold
from bot.models import Target, TargetKind, Unresolved
from bot.models import UnresolvedReason as Reason
from bot.query.resolver import MAX_TERMS, Resolver, split_terms

RESOLVER = Resolver.default()  # built once, before any example runs and is timed


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return RESOLVER


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


@pytest.mark.parametrize(
    ("term", "reason"),
    [
        ("keyword", Reason.NO_KEYWORD),
        ("keyword:", Reason.NO_KEYWORD),
        ('""', Reason.NO_KEYWORD),
        ('"x"', Reason.KEYWORD_LENGTH),
        ("keyword " + "a" * 80, Reason.KEYWORD_LENGTH),
    ],
)
def test_bad_keywords(resolver: Resolver, term: str, reason: Reason) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert result.reason is reason
    assert result.message


def test_unknown_word_is_not_a_keyword(resolver: Resolver) -> None:
    result = resolver.resolve("Peruu")
    assert isinstance(result, Unresolved)
    assert result.term == "Peruu"
    assert result.reason is Reason.TYPO
    assert [target.value for target in result.suggestions] == ["PE"]
    assert result.message == (
        "I don't know “Peruu”. Did you mean 🇵🇪 Peru? "
        "To follow it as a keyword, send /subscribe keyword Peruu"
    )


def test_the_keyword_hint_can_be_left_out(resolver: Resolver) -> None:
    """Filters follow unknown words as keywords themselves, so they don't tell how to."""
    result = resolver.resolve("Peruu", keyword_hint=False)
    assert isinstance(result, Unresolved)
    assert (result.reason, result.message) == (
        Reason.TYPO,
        "I don't know “Peruu”. Did you mean 🇵🇪 Peru?",
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
    assert result.reason is Reason.TYPO
    assert value in [target.value for target in result.suggestions]
    assert len(result.suggestions) <= 3


def test_nonsense_gets_no_suggestion(resolver: Resolver) -> None:
    result = resolver.resolve("xyzzy")
    assert isinstance(result, Unresolved)
    assert (result.reason, result.suggestions) == (Reason.UNKNOWN, ())
    assert "/subscribe keyword xyzzy" in result.message
    short = resolver.resolve("can")
    assert isinstance(short, Unresolved)
    assert (short.reason, short.suggestions) == (Reason.UNKNOWN, ())


@pytest.mark.parametrize(
    ("term", "codes"),
    [("Korea", {"KR", "KP"}), ("Congo", {"CD", "CG"}), ("Virgin Islands", {"VG", "VI"})],
)
def test_ambiguous_words_ask(resolver: Resolver, term: str, codes: set[str]) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert result.reason is Reason.AMBIGUOUS
    assert {target.value for target in result.suggestions} == codes
    assert "Which one?" in result.message


@pytest.mark.parametrize(("term", "code"), [("Lima", "PE"), ("Texas", "US")])
def test_cities_suggest_their_country(resolver: Resolver, term: str, code: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert result.reason is Reason.CITY_OR_STATE
    assert [target.value for target in result.suggestions] == [code]
    assert "keyword" in result.message


def test_a_capital_with_an_alias_resolves_to_its_country(resolver: Resolver) -> None:
    assert resolver.resolve("Tbilisi") == Target(TargetKind.COUNTRY, "GE", "🇬🇪 Georgia")


@pytest.mark.parametrize(
    ("term", "reason"),
    [
        ("", Reason.EMPTY),
        ("   ", Reason.EMPTY),
        ("!!!", Reason.NO_WORD),
        ("a" * 5000, Reason.TOO_LONG),
        ("<b>", Reason.UNKNOWN),
        ("🇵🇪🔥", Reason.NO_WORD),
    ],
)
def test_odd_terms(resolver: Resolver, term: str, reason: Reason) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert result.reason is reason
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


_TRICKY = st.sampled_from(
    ["<i>", "🇵🇪", "مصر", "ישראל", "\u202e", "keyword", '"', "“", ",", "@bot", "/subscribe", "#"]
)
_WORDS = st.one_of(st.text(max_size=200), st.lists(_TRICKY, max_size=8).map(" ".join))


# Building the resolver takes seconds and happens above, at import, never inside an example,
# so no deadline=None is needed to hide it; one resolve then costs under 10 ms, and a fixed
# deadline leaves room for a busy machine while still catching a resolve gone quadratic.
DEADLINE = settings(max_examples=200, deadline=timedelta(seconds=1))


@DEADLINE
@given(_WORDS)
def test_resolve_never_raises(term: str) -> None:
    result = RESOLVER.resolve(term)
    assert isinstance(result, Target | Unresolved)
    if isinstance(result, Unresolved):
        assert isinstance(result.reason, Reason)
        assert result.message
        assert len(result.suggestions) <= 3
        assert bool(result.suggestions) == (
            result.reason in (Reason.AMBIGUOUS, Reason.CITY_OR_STATE, Reason.TYPO)
        )


@DEADLINE
@given(_WORDS)
def test_split_terms_gives_distinct_terms_each_resolvable(text: str) -> None:
    """Bounds that hold for every input (the old "results <= 2 * terms + 25" did not)."""
    terms = split_terms(text)
    assert len(terms) <= MAX_TERMS
    assert all(term == term.strip() and term for term in terms)
    assert len({fold(term) for term in terms}) == len(terms)
    for term in terms:
        result = RESOLVER.resolve(term)
        assert isinstance(result, Target) or result.reason is not Reason.EMPTY


def test_guinea_asks_which_one(resolver: Resolver) -> None:
    """Four countries are called Guinea-something: the reader picks one from buttons."""
    result = resolver.resolve("Guinea")
    assert isinstance(result, Unresolved)
    assert {t.value for t in result.suggestions} == {"GN", "GQ", "GW", "PG"}
    guinea_bissau = resolver.resolve("Guinea-Bissau")
    assert isinstance(guinea_bissau, Target) and guinea_bissau.value == "GW"
