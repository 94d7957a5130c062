"""Retention: the prune cutoffs as a pure policy, and what a prune asks of the store."""

from __future__ import annotations

from typing import cast

import pytest

from bot.models import PollIntent, SourceSpec
from bot.pipeline.retention import DAY_SECONDS, TOMBSTONE_PERIODS, Cutoffs, cutoffs, prune
from bot.store.base import ArticleStore, Store
from tests.clock import Clock
from tests.store.builders import article

NOW = 1_800_000_000.0


def test_articles_go_after_one_period_tombstones_after_four() -> None:
    assert cutoffs(NOW, 30) == Cutoffs(
        articles_before=NOW - 30 * DAY_SECONDS, forget_pruned_before=NOW - 120 * DAY_SECONDS
    )
    assert TOMBSTONE_PERIODS == 4


@pytest.mark.parametrize("days", [1, 7, 30, 365])
def test_tombstones_outlive_the_articles_they_stand_for(days: int) -> None:
    cut = cutoffs(NOW, days)
    assert cut.forget_pruned_before < cut.articles_before < NOW
    assert NOW - cut.articles_before == days * DAY_SECONDS


class Recorder:
    """An ArticleStore that only records what prune asked for."""

    def __init__(self, deleted: int) -> None:
        self.deleted = deleted
        self.calls: list[tuple[float, float]] = []

    async def prune_articles(self, before: float, *, forget_pruned_before: float) -> int:
        self.calls.append((before, forget_pruned_before))
        return self.deleted


async def test_prune_passes_the_policy_to_the_store() -> None:
    recorder = Recorder(deleted=3)
    count = await prune(cast(ArticleStore, recorder), retention_days=2, now=lambda: NOW)
    assert count == 3
    assert recorder.calls == [(NOW - 2 * DAY_SECONDS, NOW - 8 * DAY_SECONDS)]


async def test_a_pruned_address_is_remembered_for_four_periods(store: Store, clock: Clock) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    await store.apply(PollIntent([], [article(source.id, 1)], []))
    clock.now += 31 * DAY_SECONDS
    await store.apply(PollIntent([], [article(source.id, 2)], []))
    assert await prune(store, retention_days=30, now=clock) == 1
    assert [a.title for a in await store.recent_articles(10)] == ["Article 2"]
    old = "https://example.org/1"
    clock.now += 3 * 30 * DAY_SECONDS  # the tombstone is younger than four periods still
    assert await prune(store, retention_days=30, now=clock) == 1
    assert await store.unknown_urls([old]) == set()
    clock.now += 30 * DAY_SECONDS + 1  # four periods and a second since it was pruned
    await prune(store, retention_days=30, now=clock)
    assert await store.unknown_urls([old]) == {old}
