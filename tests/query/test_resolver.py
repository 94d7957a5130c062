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
    result = resolver.resolve("Perj")
    assert isinstance(result, Unresolved)
    assert result.term == "Perj"
    assert result.reason is Reason.TYPO
    assert [target.value for target in result.suggestions] == ["PE"]
    assert result.message == (
        "I don't know “Perj”. Did you mean 🇵🇪 Peru? "
        "To follow it as a keyword, send /subscribe keyword Perj"
    )


def test_the_keyword_hint_can_be_left_out(resolver: Resolver) -> None:
    """Filters follow unknown words as keywords themselves, so they don't tell how to."""
    result = resolver.resolve("Perj", keyword_hint=False)
    assert isinstance(result, Unresolved)
    assert (result.reason, result.message) == (
        Reason.TYPO,
        "I don't know “Perj”. Did you mean 🇵🇪 Peru?",
    )


@pytest.mark.parametrize(
    ("term", "value"),
    [
        ("Phillipines", "PH"),  # two edits from "Philippines"
        ("Colommbiaa", "CO"),
        ("labr", "labor"),  # one edit, but too short to be read as one name
        ("Peruu", "PE"),  # five letters: "child" and "green" are one edit from Chili and Greek
        ("climmte chnge", "climate"),
        ("climte change", "climate"),  # a topic's word, not its name: suggested, not read
    ],
)
def test_typos_get_suggestions(resolver: Resolver, term: str, value: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert result.reason is Reason.TYPO
    assert value in [target.value for target in result.suggestions]
    assert len(result.suggestions) <= 3


@pytest.mark.parametrize(
    ("term", "value", "label"),
    [
        ("Argentna", "AR", "🇦🇷 Argentina"),  # a letter dropped
        ("Venezuala", "VE", "🇻🇪 Venezuela"),  # a letter wrong
        ("Isreal", "IL", "🇮🇱 Israel"),  # two letters swapped
        ("Hondurass", "HN", "🇭🇳 Honduras"),  # a letter doubled
        ("Amérique latin", "latin-america", "🌎 Latin America"),
        ("educaton", "education", "🎓 Education"),
    ],
)
def test_one_edit_from_one_name_reads_as_it_and_says_so(
    resolver: Resolver, term: str, value: str, label: str
) -> None:
    reading = resolver.read(term)
    assert isinstance(reading.result, Target)
    assert (reading.result.value, reading.result.label) == (value, label)
    assert reading.note == f"{term} → {label}"
    assert resolver.resolve(term) == reading.result


@pytest.mark.parametrize(("term", "codes"), [("Nigera", ["NE", "NG"]), ("Austrlia", ["AT", "AU"])])
def test_one_edit_from_names_of_two_countries_asks(
    resolver: Resolver, term: str, codes: list[str]
) -> None:
    reading = resolver.read(term)
    assert isinstance(reading.result, Unresolved) and reading.note == ""
    assert reading.result.reason is Reason.TYPO
    assert sorted(target.value for target in reading.result.suggestions) == codes
    assert " or " in reading.result.message


def test_a_misspelt_city_is_still_only_suggested(resolver: Resolver) -> None:
    result = resolver.resolve("Nairobbi")
    assert isinstance(result, Unresolved)
    assert result.reason is Reason.CITY_OR_STATE
    assert [target.value for target in result.suggestions] == ["KE"]


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


@pytest.mark.parametrize(("term", "code"), [("Tbilisi", "GE"), ("Chiapas", "MX"), ("Quebec", "CA")])
def test_hand_kept_cities_and_provinces_suggest_their_country_too(
    resolver: Resolver, term: str, code: str
) -> None:
    """One rule for every city: places.toml's local names are not followed either."""
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved)
    assert result.reason is Reason.CITY_OR_STATE
    assert [target.value for target in result.suggestions] == [code]


@pytest.mark.parametrize(
    ("term", "code"),
    [
        ("🇨🇱", "CL"),
        ("🇵🇪🔥", "PE"),
        ("🇨🇴 Colombia", "CO"),
        ("Bolivia 🇧🇴!", "BO"),
        ("🇻🇪🇻🇪", "VE"),
        ("🇦🇶🇽🇽", "AQ"),  # a pair of letters that is no country's flag is left out
    ],
)
def test_a_flag_is_its_country(resolver: Resolver, term: str, code: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Target)
    assert (result.kind, result.value) == (TargetKind.COUNTRY, code)


def test_two_flags_ask_which() -> None:
    result = Resolver.default().resolve("🇨🇱🇦🇷")
    assert isinstance(result, Unresolved) and result.reason is Reason.AMBIGUOUS
    assert {target.value for target in result.suggestions} == {"CL", "AR"}
    picked = Resolver.default().resolve("🇨🇱🇦🇷 Chile")
    assert isinstance(picked, Target) and picked.value == "CL"


@pytest.mark.parametrize(
    ("term", "code"),
    [
        ("Côte d'Ivoire (Ivory Coast)", "CI"),  # two names of one country
        ("Myanmar (Burma)", "MM"),
        ("Congo (Kinshasa)", "CD"),  # the capital picks one of two countries
        ("Congo (Brazzaville)", "CG"),
        ("Peru (country)", "PE"),  # a note beside a name
        ("(Chile)", "CL"),
        ("Haiti (Ayiti).", "HT"),
    ],
)
def test_parentheses_are_tolerated(resolver: Resolver, term: str, code: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Target)
    assert result.value == code


@pytest.mark.parametrize("term", ["Chile!", "Chile.", "¿Chile?", "Chile…", "-> Chile", "'Chile'"])
def test_punctuation_around_a_name_is_tolerated(resolver: Resolver, term: str) -> None:
    assert resolver.resolve(term) == Target(TargetKind.COUNTRY, "CL", "🇨🇱 Chile")


@pytest.mark.parametrize(
    ("term", "slug"),
    [
        ("Oriente Medio", "middle-east"),  # Spanish
        ("Moyen-Orient", "middle-east"),  # French
        ("Oriente Médio", "middle-east"),  # Portuguese
        ("Amérique latine", "latin-america"),
        ("América do Sul", "south-america"),
        ("Afrique de l'Ouest", "west-africa"),
        ("Sudeste Asiático", "southeast-asia"),
    ],
)
def test_regions_in_spanish_french_and_portuguese(resolver: Resolver, term: str, slug: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Target)
    assert (result.kind, result.value) == (TargetKind.REGION, slug)


@pytest.mark.parametrize(
    ("term", "reason"),
    [
        ("", Reason.EMPTY),
        ("   ", Reason.EMPTY),
        ("!!!", Reason.NO_WORD),
        ("a" * 5000, Reason.TOO_LONG),
        ("<b>", Reason.UNKNOWN),
        ("🔥", Reason.NO_WORD),
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


@pytest.mark.parametrize(
    ("term", "code"),
    [
        ("Deutschland", "DE"),  # the country's own language
        ("Polska", "PL"),
        ("Republic of Korea", "KR"),  # a formal name in natural order
        ("Estado Plurinacional de Bolivia", "BO"),
        ("République islamique d'Iran", "IR"),
        ("Chine", "CN"),  # French; kept from the matcher, where "chine" is an English word
    ],
)
def test_names_readers_type_that_teasers_rarely_use(
    resolver: Resolver, term: str, code: str
) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Target)
    assert (result.kind, result.value) == (TargetKind.COUNTRY, code)


@pytest.mark.parametrize("term", ["Corée", "Coreia", "Corea"])
def test_korea_in_french_portuguese_and_spanish_asks_which(resolver: Resolver, term: str) -> None:
    result = resolver.resolve(term)
    assert isinstance(result, Unresolved) and result.reason is Reason.AMBIGUOUS
    assert {target.value for target in result.suggestions} == {"KP", "KR"}


def test_a_typo_fitting_a_country_and_a_city_reads_as_the_country() -> None:
    mexico = Target(TargetKind.COUNTRY, "MX", "🇲🇽 Mexico")
    mixco = Target(TargetKind.COUNTRY, "GT", "🇬🇹 Guatemala")  # a Guatemalan city's country
    resolver = Resolver({"mexicos": (mexico,)}, {"mixicos": mixco})
    reading = resolver.read("mexicas")  # one edit from both
    assert reading.result == mexico
    assert reading.note == "mexicas → 🇲🇽 Mexico"
    # a city alone one edit away is still only suggested
    city = resolver.read("mixicas").result
    assert isinstance(city, Unresolved) and city.suggestions == (mixco,)
