"""Regions: one subscription that stands for a group of countries."""

from __future__ import annotations

from bot.classify.regions import REGIONS, region, regions_of
from bot.models import Subscriber, Target, TargetKind
from bot.pipeline.match import Candidate, matches, plan
from bot.query.resolver import Resolver


def test_regions_hold_the_expected_countries() -> None:
    latin = region("latin-america")
    assert latin is not None
    assert {"PE", "BO", "CU", "HT", "MX", "GT"} <= latin.countries
    assert not {"US", "CA", "ES"} & latin.countries
    middle_east = region("middle-east")
    assert middle_east is not None and {"PS", "IL", "IR", "YE"} <= middle_east.countries
    africa = region("africa")
    assert africa is not None and {"NG", "ZA", "SD", "CD"} <= africa.countries
    assert all(item.countries for item in REGIONS)


def test_regions_of_lists_each_region_once() -> None:
    found = regions_of(("PE", "BO"))
    assert found.count("latin-america") == 1
    assert "south-america" in found and "africa" not in found
    assert regions_of(()) == ()


def test_reader_words_resolve_to_one_region_subscription() -> None:
    resolver = Resolver.default()
    for words, slug in [
        ("Latin America", "latin-america"),
        ("latin america", "latin-america"),
        ("Africa", "africa"),
        ("Middle East", "middle-east"),
        ("Europe", "europe"),
        ("Asia", "asia"),
    ]:
        target = resolver.resolve(words)
        assert isinstance(target, Target)
        assert (target.kind, target.value) == (TargetKind.REGION, slug)


def test_a_region_subscription_matches_any_member_country() -> None:
    target = Target(TargetKind.REGION, "latin-america", "🌎 Latin America")
    assert matches(target, Candidate("a", ("PE",), (), ""))
    assert not matches(target, Candidate("b", ("FR",), (), ""))
    pushes = list(
        plan(
            [Candidate("a", ("PE",), (), ""), Candidate("b", ("FR",), (), "")],
            [Subscriber(7, TargetKind.REGION, "latin-america")],
            digest_threshold=5,
            batch="t",
        )
    )
    assert [(push.chat_id, push.url_norm) for push in pushes] == [(7, "a")]


def test_regions_hold_only_current_iso_codes() -> None:
    """geonames still lists Serbia and Montenegro (CS); no region may offer a withdrawn code."""
    from bot.classify.countries import country
    from bot.classify.regions import region

    europe = region("europe")
    assert europe is not None and "CS" not in europe.countries and "RS" in europe.countries
    for slug in ("europe", "africa", "asia", "latin-america", "oceania", "middle-east"):
        found = region(slug)
        assert found is not None
        assert all(country(code) is not None for code in found.countries), slug
