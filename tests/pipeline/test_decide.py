"""The poll's pure decisions, from plain data: due, backoff, new articles, stories, pushes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from bot.classify.classifier import Classifier
from bot.models import (
    ParsedArticle,
    PlannedPush,
    Schedule,
    SourceRead,
    Subscriber,
    Tags,
    TargetKind,
)
from bot.pipeline.decide import (
    MAX_BACKOFF_SECONDS,
    Fresh,
    PollFacts,
    PollPolicy,
    backoff_seconds,
    decide,
    due,
    earlier_stories,
    fresh_articles,
    source_poll,
)
from bot.pipeline.identity import first_listed
from bot.pipeline.stories import StoryIndex
from tests.pipeline.builders import parsed, read, source

NOW = 1_800_000_000.0
POLICY = PollPolicy(interval_seconds=300, digest_threshold=2)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


def test_only_sources_whose_time_has_come_are_due() -> None:
    waiting = source(2, next_poll_after=NOW + 1)
    assert due([source(1), waiting, source(3, next_poll_after=NOW)], NOW) == [
        source(1),
        source(3, next_poll_after=NOW),
    ]


def test_backoff_doubles_with_each_failure_up_to_a_cap() -> None:
    assert [backoff_seconds(n, 300) for n in range(4)] == [300, 600, 1200, 2400]
    assert backoff_seconds(10, 300) == MAX_BACKOFF_SECONDS
    assert backoff_seconds(10_000, 300) == MAX_BACKOFF_SECONDS  # no overflow on a long outage


def test_a_failed_read_backs_off_and_a_good_one_keeps_its_validators() -> None:
    failed = source_poll(source(failures=2), SourceRead(error="HTTP 500"), NOW, 300)
    assert not failed.ok and failed.error == "HTTP 500"
    assert failed.next_poll_after == NOW + 1200
    ok = source_poll(source(), read(etag='"abc"'), NOW, 300)
    assert ok.ok and ok.etag == '"abc"' and ok.error is None


def fresh_from(
    classifier: Classifier, *pages: tuple[int, bool, list[ParsedArticle]]
) -> list[Fresh]:
    found = first_listed(
        (source(sid, initialized=initialized), articles) for sid, initialized, articles in pages
    )
    return fresh_articles(found, StoryIndex(), classifier).articles


def test_new_articles_are_classified_and_a_new_sources_backlog_is_not_pushable(
    classifier: Classifier,
) -> None:
    fresh = fresh_from(
        classifier,
        (1, True, [parsed("lima", "Thousands strike in Lima as Peru's miners walk out")]),
        (2, False, [parsed("paris", "French unions march in Paris against pension reform")]),
    )
    by_source = {item.article.source_id: item for item in fresh}
    assert by_source[1].article.countries == ("PE",) and by_source[1].pushable
    assert by_source[2].article.countries == ("FR",) and not by_source[2].pushable


def test_a_republished_story_joins_the_first_copy(classifier: Classifier) -> None:
    title = "Peruvian miners begin indefinite national strike over pay cuts"
    fresh = fresh_from(
        classifier,
        (1, True, [parsed("strike", title, host="a.test")]),
        (2, True, [parsed("strike", title, host="b.test")]),
    )
    first, copy = fresh
    assert first.article.story_key is None
    assert copy.article.story_key == first.article.url_norm


def facts(
    classifier: Classifier,
    subscribers: list[Subscriber],
    schedules: dict[int, Schedule] | None = None,
) -> PollFacts:
    articles = [parsed(f"peru-{n}", f"Peru protest number {n} in Lima") for n in range(3)]
    fresh = fresh_from(classifier, (1, True, articles))
    return PollFacts(NOW, [source()], [read(*articles)], fresh, subscribers, schedules or {})


def test_decide_pushes_to_whoever_follows_the_tags_with_a_digest_past_the_threshold(
    classifier: Classifier,
) -> None:
    subscribers = [
        Subscriber(1, TargetKind.COUNTRY, "PE"),
        Subscriber(2, TargetKind.COUNTRY, "FR"),
        Subscriber(3, TargetKind.KEYWORD, "number 1"),
    ]
    intent = decide(facts(classifier, subscribers), POLICY)
    assert [poll.source_id for poll in intent.polls] == [1] and intent.polls[0].ok
    assert len(intent.articles) == 3
    pushes = list(intent.pushes)
    assert {p.chat_id for p in pushes} == {1, 3}
    peru = [p for p in pushes if p.chat_id == 1]
    assert len(peru) == 3 and len({p.batch for p in peru}) == 1 and peru[0].batch is not None
    (keyword,) = [p for p in pushes if p.chat_id == 3]
    assert keyword.batch is None  # one article: a push of its own, not a digest


def test_decide_holds_pushes_of_a_chat_in_its_quiet_hours(classifier: Classifier) -> None:
    quiet_all_day = Schedule(quiet_start=0, quiet_end=23, tz_offset_minutes=0)
    subscribers = [Subscriber(1, TargetKind.COUNTRY, "PE"), Subscriber(2, TargetKind.COUNTRY, "PE")]
    intent = decide(facts(classifier, subscribers, {2: quiet_all_day}), POLICY)
    pushes: list[PlannedPush] = list(intent.pushes)
    assert {p.not_before for p in pushes if p.chat_id == 1} == {0.0}
    held = [p for p in pushes if p.chat_id == 2]
    assert len(held) == 3 and all(p.not_before > NOW for p in held)
    assert len({p.batch for p in held}) == 1


def test_nothing_new_means_only_source_states(classifier: Classifier) -> None:
    intent = decide(PollFacts(NOW, [source()], [read()], [], [], {}), POLICY)
    assert len(intent.polls) == 1 and list(intent.articles) == [] and list(intent.pushes) == []


class _Exploding:
    """The real classifier, except on one title: a bug met on one source's text."""

    def __init__(self, real: Classifier) -> None:
        self.real = real

    def classify(self, title: str, text: str = "", categories: Sequence[str] = ()) -> Tags:
        if title == "Boom":
            raise ValueError("bad text")
        return self.real.classify(title, text, categories)


def test_an_article_that_breaks_classification_fails_only_its_source(
    classifier: Classifier,
) -> None:
    found = first_listed(
        [
            (source(1), [parsed("ok", "Peru votes"), parsed("boom", "Boom")]),
            (source(2), [parsed("fine", "Chile votes")]),
        ]
    )
    result = fresh_articles(found, StoryIndex(), _Exploding(classifier))
    assert [item.article.source_id for item in result.articles] == [2]
    assert list(result.failed) == [1] and isinstance(result.failed[1], ValueError)
    facts = PollFacts(
        NOW, [source(1), source(2)], [read(), read()], result.articles, [], {}, {1: "x"}
    )
    polls = decide(facts, POLICY).polls
    assert [(p.source_id, p.ok, p.error) for p in polls] == [(1, False, "x"), (2, True, None)]
    assert polls[0].next_poll_after == NOW + POLICY.interval_seconds


def test_a_story_reaches_each_chat_once_and_never_again(classifier: Classifier) -> None:
    title = "Peruvian miners begin indefinite national strike over pay cuts"
    fresh = fresh_from(
        classifier,
        (1, True, [parsed("strike", title, host="a.test")]),
        (2, True, [parsed("strike", title, host="b.test")]),
    )
    subscribers = [Subscriber(1, TargetKind.COUNTRY, "PE"), Subscriber(2, TargetKind.COUNTRY, "PE")]
    sources, reads = [source(1), source(2)], [read(), read()]
    pushes = list(decide(PollFacts(NOW, sources, reads, fresh, subscribers, {}), POLICY).pushes)
    assert sorted((p.chat_id, p.url_norm) for p in pushes) == [
        (1, fresh[0].article.url_norm),
        (2, fresh[0].article.url_norm),
    ]
    # a later copy of a story that began earlier: chat 1 already has it, chat 2 does not
    later = fresh_from(classifier, (3, True, [parsed("strike", title, host="c.test")]))
    later = [Fresh(replace(later[0].article, story_key="https://a.test/strike/"), True)]
    assert earlier_stories(later) == ["https://a.test/strike/"]
    facts = PollFacts(
        NOW,
        [source(3)],
        [read()],
        later,
        subscribers,
        {},
        {},
        {"https://a.test/strike/": frozenset({1})},
    )
    assert [p.chat_id for p in decide(facts, POLICY).pushes] == [2]
