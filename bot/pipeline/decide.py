"""The poll's decisions as pure functions: what is due, what is new, who gets it, what to store.

Nothing here touches the network or the store: `poll.py` loads the facts, calls these, and
applies the `PollIntent` they return, so every policy is tested with plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.classify.classifier import Classifier
from bot.models import (
    NewArticle,
    ParsedArticle,
    PollIntent,
    Schedule,
    SourcePoll,
    SourceState,
    Subscriber,
)
from bot.pipeline.match import Candidate, candidate, plan
from bot.pipeline.stories import StoryIndex
from bot.sources.read import SourceRead

MAX_BACKOFF_SECONDS = 6 * 3600


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """The settings a poll's decisions depend on."""

    interval_seconds: float
    digest_threshold: int


@dataclass(frozen=True, slots=True)
class Fresh:
    """An article the store has not seen, classified; a new source's backlog is not pushed."""

    article: NewArticle
    pushable: bool


@dataclass(frozen=True, slots=True)
class PollFacts:
    """Everything one poll's decision needs, loaded by the pipeline before deciding."""

    now: float
    sources: Sequence[SourceState]
    reads: Sequence[SourceRead]
    fresh: Sequence[Fresh]
    subscribers: Sequence[Subscriber]
    schedules: Mapping[int, Schedule]


def due(sources: Sequence[SourceState], now: float) -> list[SourceState]:
    """Each source has its own next-poll time: a failing one waits out its backoff."""
    return [source for source in sources if source.next_poll_after <= now]


def backoff_seconds(failures: int, interval_seconds: float) -> float:
    """Twice as long after each failure in a row, capped, so a dead site costs little."""
    return min(interval_seconds * 2.0 ** min(failures, 16), MAX_BACKOFF_SECONDS)


def source_poll(
    source: SourceState, read: SourceRead, now: float, interval_seconds: float
) -> SourcePoll:
    """A source's state after this poll: its validators when it answered, a backoff when not."""
    if read.error:
        return SourcePoll(
            source.id,
            now,
            ok=False,
            error=read.error,
            next_poll_after=now + backoff_seconds(source.failures, interval_seconds),
        )
    return SourcePoll(
        source.id,
        now,
        ok=True,
        kind=read.kind,
        etag=read.etag,
        last_modified=read.last_modified,
        feed_url=read.feed_url,
    )


def classified(
    source: SourceState, parsed: ParsedArticle, key: str, classifier: Classifier
) -> NewArticle:
    tags = classifier.classify(parsed.title, parsed.teaser, parsed.categories)
    return NewArticle(
        source_id=source.id,
        url=parsed.url,
        url_norm=key,
        title=parsed.title,
        teaser=parsed.teaser,
        guid=parsed.guid,
        author=parsed.author,
        published_at=parsed.published.timestamp() if parsed.published else None,
        countries=tags.countries,
        topics=tags.topics,
        categories=parsed.categories,
    )


def fresh_articles(
    found: Mapping[str, tuple[SourceState, ParsedArticle]],
    stories: StoryIndex,
    classifier: Classifier,
) -> list[Fresh]:
    """Classify what is new and join republished copies to their story (pushed once per chat)."""
    fresh: list[Fresh] = []
    for key, (source, parsed) in found.items():
        article = classified(source, parsed, key, classifier)
        story = stories.find(source.id, parsed.title, parsed.teaser)
        if story is not None:
            article = replace(article, story_key=story)
        stories.add(key, source.id, parsed.title, parsed.teaser)
        fresh.append(Fresh(article, pushable=source.initialized))
    return fresh


def candidates(fresh: Sequence[Fresh]) -> list[Candidate]:
    """What matching looks at, for the articles that may be pushed."""
    return [candidate(item.article, item.article.url_norm) for item in fresh if item.pushable]


def decide(facts: PollFacts, policy: PollPolicy) -> PollIntent:
    """Source states, new articles and their pushes (with digests and holds) for one poll."""
    polls = [
        source_poll(source, read, facts.now, policy.interval_seconds)
        for source, read in zip(facts.sources, facts.reads, strict=True)
    ]
    items = candidates(facts.fresh)
    pushes = plan(
        items,
        facts.subscribers,
        digest_threshold=policy.digest_threshold,
        batch=f"poll{facts.now:.0f}",
    )
    pushes.hold(dict(facts.schedules), facts.now)
    return PollIntent(polls, [item.article for item in facts.fresh], pushes)
