"""Near-duplicate stories across sources: what counts as the same story, and what does not."""

from __future__ import annotations

import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.models import RecentStory
from bot.pipeline.stories import (
    WINDOW_SECONDS,
    StoryIndex,
    StoryText,
    normalized,
    same_story,
    story_text,
)

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


# Candidate generation must not change a decision: the index against every recent article.

# Few words, so that titles and teasers drawn from them often overlap, nearly match, or are
# made only of filler; "strikes" / "strike" keep fuzzy scores high without shared tokens.
WORDS = "peru chile strike strikes dockers teachers walk out day three four the in of new said"
WORDS_LIST = WORDS.split()
words = st.lists(st.sampled_from(WORDS_LIST), max_size=9).map(" ".join)
teasers = st.lists(st.sampled_from(WORDS_LIST), max_size=22).map(" ".join)
stories = st.lists(st.tuples(st.integers(1, 3), words, teasers), max_size=40)


def brute_force(earlier: list[StoryText], new: StoryText) -> str | None:
    """What the index answered before it had candidates: every earlier article, in order."""
    return next(
        (e.url_norm for e in earlier if e.source_id != new.source_id and same_story(e, new)),
        None,
    )


def assert_same_as_brute_force(corpus: list[tuple[int, str, str]]) -> int:
    """Feed the corpus as polls do (find, then add); returns how many copies were found."""
    index = StoryIndex()
    earlier: list[StoryText] = []
    found = 0
    for n, (source_id, title, teaser) in enumerate(corpus):
        new = story_text(f"k{n}", source_id, title, teaser)
        expected = brute_force(earlier, new)
        assert index.find(source_id, title, teaser) == expected, (title, teaser)
        found += expected is not None
        index.add(f"k{n}", source_id, title, teaser)
        earlier.append(new)
    return found


@settings(max_examples=300, deadline=None)
@given(stories)
@example([(1, "the in of new peru", ""), (2, "the in of new", "")])  # only filler words
@example([(1, "the in of new", ""), (2, "the in of new peru", "")])
@example([(1, "peru", "the " * 8 + "out day"), (2, "peru", "the in of " * 4 + "x")])
def test_candidates_find_what_comparing_with_everything_finds(
    corpus: list[tuple[int, str, str]],
) -> None:
    assert_same_as_brute_force(corpus)


def test_a_generated_corpus_gets_the_same_matches_as_brute_force() -> None:
    rng = random.Random(12)
    vocabulary = [f"w{n}" for n in range(300)] + WORDS_LIST
    corpus: list[tuple[int, str, str]] = []
    for _ in range(1500):
        if corpus and rng.random() < 0.4:  # a republished copy, edited a little
            _, title, teaser = rng.choice(corpus)
            title_words = title.split()
            if rng.random() < 0.5:
                title_words.insert(rng.randrange(len(title_words) + 1), rng.choice(vocabulary))
            if rng.random() < 0.3:
                title_words[rng.randrange(len(title_words))] = rng.choice(vocabulary)
            corpus.append(
                (rng.randint(1, 20), " ".join(title_words), teaser[: rng.randint(0, 200)])
            )
        else:
            title = " ".join(rng.choices(vocabulary, k=rng.randint(2, 10)))
            teaser = " ".join(rng.choices(vocabulary, k=rng.randint(0, 30)))
            corpus.append((rng.randint(1, 20), title, teaser))
    assert assert_same_as_brute_force(corpus) > 100  # the corpus does test matches


def test_articles_leave_the_index_with_the_window() -> None:
    title = "Peru's Teachers Walk Out Nationwide"
    index = StoryIndex([RecentStory("k", 1, "Dispatch", title, "", first_seen_at=1000.0)])
    index.move_to(1000.0 + WINDOW_SECONDS)
    assert index.find(2, title, "") == "k"
    index.move_to(1001.0 + WINDOW_SECONDS)
    assert index.find(2, title, "") is None and len(index) == 0


def test_a_polls_additions_count_only_once_stored() -> None:
    index = StoryIndex()
    index.move_to(0.0)
    index.add("stored", 1, "Strike Day Three In Lima Port", "")
    index.add("failed", 2, "Dockers Walk Out In Valparaiso Port", "")
    index.commit({"stored"})
    assert index.find(3, "Strike Day Three In Lima Port", "") == "stored"
    assert index.find(3, "Dockers Walk Out In Valparaiso Port", "") is None
    index.add("unfinished", 1, "Miners March On Congress In Lima", "")
    index.move_to(60.0)  # that poll never stored: its article is not known
    assert index.find(3, "Miners March On Congress In Lima", "") is None
