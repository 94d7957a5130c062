"""The poll's decisions as pure functions: what is due, what is new, who gets it, what to store.

Nothing here touches the network or the store: `poll.py` loads the facts, calls these, and
applies the `PollIntent` they return, so every policy is tested with plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from bot.models import (
    NewArticle,
    ParsedArticle,
    PollIntent,
    Schedule,
    SourcePoll,
    SourceRead,
    SourceState,
    Subscriber,
    Tags,
)
from bot.pipeline.match import Candidate, Followers, Stories, candidate, plan
from bot.pipeline.stories import StoryIndex

MAX_BACKOFF_SECONDS = 6 * 3600


class Tagger(Protocol):
    """What the decide step asks of the classifier (`bot.classify.classifier.Classifier`,
    which may be compiled and so cannot be patched; tests pass a stand-in)."""

    def classify(self, title: str, text: str = "", categories: Sequence[str] = ()) -> Tags: ...


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
    subscribers: Followers | Sequence[Subscriber]
    schedules: Mapping[int, Schedule]
    failed: Mapping[int, str] = field(default_factory=dict)  # source id -> error after reading
    story_recipients: Mapping[str, frozenset[int]] = field(default_factory=dict)


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
        body_hash=read.body_hash,
    )


def classified(
    source: SourceState, parsed: ParsedArticle, key: str, classifier: Tagger
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


@dataclass(frozen=True, slots=True)
class FreshArticles:
    """A poll's new articles, and the sources whose articles could not be processed."""

    articles: list[Fresh]
    failed: dict[int, Exception]  # source id -> what broke, recorded as that source's failure


def fresh_articles(
    found: Mapping[str, tuple[SourceState, ParsedArticle]],
    stories: StoryIndex,
    classifier: Tagger,
) -> FreshArticles:
    """Classify what is new and join republished copies to their story (pushed once per chat).

    An article that breaks classification fails its source, not the poll: that source's new
    articles wait for the next poll (its backoff), everyone else's go on.
    """
    fresh: list[Fresh] = []
    failed: dict[int, Exception] = {}
    for key, (source, parsed) in found.items():
        if source.id in failed:
            continue
        try:
            article = classified(source, parsed, key, classifier)
            story = stories.find(source.id, parsed.title, parsed.teaser)
        except Exception as exc:  # a bug met on one source's text: that source's error
            failed[source.id] = exc
            continue
        if story is not None:
            article = replace(article, story_key=story)
        stories.add(key, source.id, parsed.title, parsed.teaser)
        fresh.append(Fresh(article, pushable=source.initialized))
    if failed:
        fresh = [item for item in fresh if item.article.source_id not in failed]
    return FreshArticles(fresh, failed)


def unexpected(exc: BaseException) -> str:
    """An error no code path expected, as an operator reads it in /sources."""
    detail = " ".join(str(exc).split())[:200]
    return f"unexpected {type(exc).__name__}" + (f": {detail}" if detail else "")


def _failed_or(read: SourceRead, error: str | None) -> SourceRead:
    return read if error is None else SourceRead(error=error)


def story_roots(fresh: Sequence[Fresh]) -> dict[str, str]:
    """Each new article's story, named by its earliest article, stored or new in this poll."""
    roots: dict[str, str] = {}
    for item in fresh:  # oldest first: a copy comes after what it copies
        key = item.article.story_key
        roots[item.article.url_norm] = roots.get(key, key) if key else item.article.url_norm
    return roots


def earlier_stories(fresh: Sequence[Fresh]) -> list[str]:
    """The stories that began before this poll: who already got them is in the store."""
    new = {item.article.url_norm for item in fresh}
    return sorted({root for root in story_roots(fresh).values() if root not in new})


def candidates(fresh: Sequence[Fresh]) -> list[Candidate]:
    """What matching looks at, for the articles that may be pushed."""
    return [candidate(item.article, item.article.url_norm) for item in fresh if item.pushable]


def decide(facts: PollFacts, policy: PollPolicy) -> PollIntent:
    """Source states, new articles and their pushes (with digests and holds) for one poll."""
    polls = [
        source_poll(
            source,
            _failed_or(read, facts.failed.get(source.id)),
            facts.now,
            policy.interval_seconds,
        )
        for source, read in zip(facts.sources, facts.reads, strict=True)
    ]
    items = candidates(facts.fresh)
    pushes = plan(
        items,
        facts.subscribers,
        digest_threshold=policy.digest_threshold,
        batch=f"poll{facts.now:.0f}",
        stories=Stories(story_roots(facts.fresh), facts.story_recipients),
    )
    pushes.hold(dict(facts.schedules), facts.now)
    return PollIntent(polls, [item.article for item in facts.fresh], pushes)
