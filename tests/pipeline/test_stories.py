"""Near-duplicate stories across sources: what counts as the same story, and what does not."""

from __future__ import annotations

import pytest

from bot.models import RecentStory
from bot.pipeline.stories import StoryIndex, normalized

TEASER = (
    "Thousands of teachers across Peru walked out on Monday demanding higher wages and the "
    "reversal of education cuts announced by the government last month."
)


def test_normalized_folds_case_accents_and_punctuation() -> None:
    assert normalized("Perú\u2019s  Teachers—Walk Out!") == "peru s teachers walk out"


@pytest.mark.parametrize(
    ("title", "teaser"),
    [
        ("Peru's Teachers Walk Out Nationwide", ""),
        ("PERU\u2019S TEACHERS WALK OUT NATIONWIDE", ""),
        ("Peru's Teachers Walk Out Nationwide - Peoples Dispatch", ""),
        ("Peru: Teachers Walk Out Nationwide", ""),
        ("Teachers strike in Peru", TEASER),  # a new title over the same teaser
    ],
)
def test_republished_copies_are_found(title: str, teaser: str) -> None:
    index = StoryIndex(
        [RecentStory("k", 1, "Dispatch", "Peru's Teachers Walk Out Nationwide", TEASER)]
    )
    assert index.find(2, title, teaser) == "k"


@pytest.mark.parametrize(
    ("title", "teaser"),
    [
        ("Chile's Teachers Walk Out Over Pensions", ""),
        ("Peru", ""),  # too short to be evidence
        ("Teachers", TEASER[:40]),
        ("Peru's Teachers Walk Out Nationwide As Miners And Dockers Join The General Strike", ""),
    ],
)
def test_different_stories_stay_apart(title: str, teaser: str) -> None:
    index = StoryIndex([RecentStory("k", 1, "Dispatch", "Peru's Teachers Walk Out Nationwide", "")])
    assert index.find(2, title, teaser) is None


def test_the_same_source_is_never_its_own_syndication() -> None:
    index = StoryIndex([RecentStory("k", 1, "Dispatch", "Peru's Teachers Walk Out Nationwide", "")])
    assert index.find(1, "Peru's Teachers Walk Out Nationwide", "") is None
    index.add("m", 2, "Strike Day Three In Lima Port", "")
    assert index.find(3, "Strike Day Three In Lima Port", "") == "m"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Strike Spreads To Ports In Chile", "Strike Spreads To Ports In Peru"),
        ("General Strike In Lima Enters Day Three", "General Strike In Lima Enters Day Four"),
        ("Teachers Win Pay Rise After Strike", "Teachers Lose Pay Rise After Strike"),
    ],
)
def test_a_swapped_word_is_another_story(first: str, second: str) -> None:
    """Near-identical by token-set score, but a word was swapped, not added: two stories."""
    index = StoryIndex([RecentStory("k", 1, "Dispatch", first, "")])
    assert index.find(2, second, "") is None


def test_templated_teasers_about_two_countries_stay_apart() -> None:
    teaser = (
        "Dock workers walked out at the main ports of {} on Monday, demanding the wage "
        "increase promised last year and an end to subcontracting in the sector."
    )
    index = StoryIndex(
        [RecentStory("k", 1, "Dispatch", "Dockers Walk Out", teaser.format("Chile"))]
    )
    assert index.find(2, "Dockers Walk Out", teaser.format("Peru")) is None
    # the same teaser cut shorter by another outlet is still the same story
    assert index.find(2, "Dockers Walk Out", teaser.format("Chile")[:120]) == "k"
