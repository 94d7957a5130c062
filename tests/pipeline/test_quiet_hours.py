"""Held pushes: a chat in quiet hours or on a daily digest gets one digest at its release."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.delivery.sender import group
from bot.models import NewArticle, Schedule, SourceSpec, Subscriber, Target, TargetKind
from bot.pipeline.decide import Fresh, PollFacts, PollPolicy, candidates, decide
from bot.pipeline.match import Candidate, KeywordCache, plan
from bot.pipeline.poll import load_followers
from bot.store.base import Store
from tests.clock import Clock
from tests.store.backends import BACKENDS, open_backend

PERU = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")


def at(hour: int, day: int = 21) -> float:
    return datetime(2026, 11, day, hour, tzinfo=UTC).timestamp()


@pytest.fixture
def clock() -> Clock:
    return Clock(at(23))


@pytest.fixture(params=BACKENDS)
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> AsyncIterator[Store]:
    async with open_backend(request.param, tmp_path, clock) as opened:
        for chat_id in (1, 2):
            await opened.upsert_chat(chat_id, "private", "")
            await opened.add_subscriptions(chat_id, [PERU])
        await opened.set_schedule(2, Schedule(quiet_start=22, quiet_end=7))
        yield opened


async def poll(store: Store, clock: Clock, *numbers: int) -> None:
    """What a poll does with new Peru articles: route them and record them with their pushes."""
    (source,) = await store.sync_sources([SourceSpec("S", "https://s.test/feed/")])
    articles = [
        NewArticle(
            source.id,
            f"https://s.test/{n}/",
            f"https://s.test/{n}",
            f"Peru story {n}",
            "",
            None,
            None,
            None,
            ("PE",),
            (),
        )
        for n in numbers
    ]
    fresh = [Fresh(article, pushable=True) for article in articles]
    subscribers = await load_followers(store, candidates(fresh), KeywordCache())
    facts = PollFacts(clock.now, [], [], fresh, subscribers, await store.schedules())
    await store.apply(decide(facts, PollPolicy(interval_seconds=300, digest_threshold=5)))


async def test_quiet_chat_gets_one_digest_when_its_quiet_hours_end(
    store: Store, clock: Clock
) -> None:
    await poll(store, clock, 1, 2)
    clock.now = at(2, day=22)
    await poll(store, clock, 3)
    due = await store.due_pushes(50)
    assert {p.chat_id for p in due} == {1}  # the awake chat gets its pushes now
    assert await store.pending_count() == 6

    clock.now = at(7, day=22)  # quiet hours over: everything held is due, as one batch
    for push in due:
        await store.mark_sent([push.id], message_id=1)
    held = await store.due_pushes(50)
    assert [p.article.title for p in held] == ["Peru story 1", "Peru story 2", "Peru story 3"]
    (digest,) = group(held)
    html, shown = digest.render()
    assert digest.chat_id == 2 and "3 new articles" in html and len(shown) == 3


async def test_daily_digest_holds_until_its_hour(store: Store, clock: Clock) -> None:
    await store.set_schedule(1, Schedule(tz_offset_minutes=-300, digest_hour=8))
    await poll(store, clock, 1)  # 23:00 UTC is 18:00 in Lima: held until 08:00 Lima
    clock.now = at(12, day=22) - 1  # chat 2's quiet hours ended at 07:00; chat 1 still waits
    assert {p.chat_id for p in await store.due_pushes(10)} == {2}
    clock.now = at(13, day=22)
    assert {p.chat_id for p in await store.due_pushes(10)} == {1, 2}


def test_held_pushes_carry_the_hold_as_a_field() -> None:
    planned = plan(
        [Candidate("https://s.test/1", ("PE",), (), "Peru story 1")],
        [Subscriber(1, TargetKind.COUNTRY, "PE"), Subscriber(2, TargetKind.COUNTRY, "PE")],
        digest_threshold=5,
        batch="poll1",
    )
    planned.hold({2: Schedule(quiet_start=22, quiet_end=7)}, at(23))
    pushes = {push.chat_id: push for push in planned}
    assert not pushes[1].held and pushes[1].not_before == 0.0 and pushes[1].batch is None
    assert pushes[2].held and pushes[2].not_before == at(7, day=22)
