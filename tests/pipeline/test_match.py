"""Matching: which chats get which articles, digests, and the /latest filter."""

from __future__ import annotations

from bot.models import Subscriber, Target, TargetKind
from bot.pipeline.match import Candidate, KeywordCache, matches, plan
from bot.pipeline.poll import load_followers
from bot.store.sqlite import SqliteStore

PERU = Candidate("u/peru", ("PE",), ("labor",), "Miners strike in Arequipa over lithium mining")
FRANCE = Candidate("u/france", ("FR",), ("protest",), "Paris rally against pension reform")


def subs(*rows: tuple[int, TargetKind, str]) -> list[Subscriber]:
    return [Subscriber(chat, kind, value) for chat, kind, value in rows]


def test_country_topic_and_keyword_subscriptions_match() -> None:
    pushes = plan(
        [PERU, FRANCE],
        subs(
            (1, TargetKind.COUNTRY, "PE"),
            (2, TargetKind.TOPIC, "protest"),
            (3, TargetKind.KEYWORD, "lithium mining"),
            (4, TargetKind.COUNTRY, "CL"),
        ),
        digest_threshold=5,
        batch="b",
    )
    assert sorted((p.chat_id, p.url_norm) for p in pushes) == [
        (1, "u/peru"),
        (2, "u/france"),
        (3, "u/peru"),
    ]
    assert all(p.batch is None for p in pushes)


def test_article_matched_by_several_subscriptions_is_pushed_once() -> None:
    pushes = plan(
        [PERU],
        subs(
            (1, TargetKind.COUNTRY, "PE"),
            (1, TargetKind.TOPIC, "labor"),
            (1, TargetKind.KEYWORD, "lithium"),
        ),
        digest_threshold=5,
        batch="b",
    )
    assert [(p.chat_id, p.url_norm) for p in pushes] == [(1, "u/peru")]


def test_more_than_threshold_matches_become_one_digest_batch() -> None:
    items = [Candidate(f"u/{n}", ("PE",), (), f"story {n}") for n in range(7)]
    pushes = plan(
        items,
        subs((1, TargetKind.COUNTRY, "PE"), (2, TargetKind.KEYWORD, "story 3")),
        digest_threshold=5,
        batch="poll9",
    )
    chat1 = [p for p in pushes if p.chat_id == 1]
    assert len(chat1) == 7 and {p.batch for p in chat1} == {"poll9:1"}
    assert [p.url_norm for p in chat1] == [f"u/{n}" for n in range(7)]
    (chat2,) = [p for p in pushes if p.chat_id == 2]
    assert chat2.batch is None


def test_matches_is_whole_word_for_keywords() -> None:
    assert matches(Target(TargetKind.KEYWORD, "lithium", "🔎"), PERU)
    assert not matches(Target(TargetKind.KEYWORD, "lith", "🔎"), PERU)
    assert matches(Target(TargetKind.COUNTRY, "FR", "🇫🇷"), FRANCE)
    assert not matches(Target(TargetKind.TOPIC, "labor", "✊"), FRANCE)


def test_the_keyword_automaton_is_rebuilt_only_when_the_phrases_change() -> None:
    cache = KeywordCache()
    first = cache.index(["lithium mining", "pension"])
    assert cache.index(["pension", "lithium mining", "pension"]) is first
    changed = cache.index(["lithium mining", "arequipa"])
    assert changed is not first
    assert changed.found(PERU.text) == {"lithium mining", "arequipa"}


async def test_followers_from_the_store_plan_what_single_subscriptions_plan(
    store: SqliteStore,
) -> None:
    rows = [
        (1, Target(TargetKind.COUNTRY, "PE", "Peru")),
        (2, Target(TargetKind.TOPIC, "protest", "Protest")),
        (3, Target(TargetKind.KEYWORD, "lithium mining", "lithium mining")),
        (3, Target(TargetKind.KEYWORD, "pension reform", "pension reform")),
        (4, Target(TargetKind.REGION, "europe", "Europe")),
        (5, Target(TargetKind.COUNTRY, "PE", "Peru")),  # paused below
        (6, Target(TargetKind.KEYWORD, "nowhere", "nowhere")),
    ]
    for chat_id, target in rows:
        await store.upsert_chat(chat_id, "private", "")
        await store.add_subscriptions(chat_id, [target])
    await store.set_paused(5, True)
    followers = await load_followers(store, [PERU, FRANCE], KeywordCache())
    single = subs(*((chat, t.kind, t.value) for chat, t in rows if chat != 5))
    expected = plan([PERU, FRANCE], single, digest_threshold=5, batch="b")
    got = plan([PERU, FRANCE], followers, digest_threshold=5, batch="b")
    assert got.per_chat == expected.per_chat == {1: 1, 2: 2, 3: 3, 4: 2}
