"""Retention: articles older than RETENTION_DAYS are pruned with their tags and pushes.

A pruned article's address is remembered for TOMBSTONE_PERIODS retention periods, so a
feed that still lists it does not make it news again; after that it is forgotten.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.store.base import ArticleStore

log = logging.getLogger(__name__)

DAY_SECONDS = 86400
TOMBSTONE_PERIODS = 4


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """The two moments one prune uses: older articles go, older tombstones are forgotten."""

    articles_before: float
    forget_pruned_before: float


def cutoffs(now: float, retention_days: int) -> Cutoffs:
    """What is too old at `now`: articles past one retention period, tombstones past four."""
    period = retention_days * DAY_SECONDS
    return Cutoffs(
        articles_before=now - period, forget_pruned_before=now - TOMBSTONE_PERIODS * period
    )


async def prune(store: ArticleStore, *, retention_days: int, now: Callable[[], float]) -> int:
    """Delete what is older than the retention period, so the database stays small."""
    cut = cutoffs(now(), retention_days)
    deleted = await store.prune_articles(
        cut.articles_before, forget_pruned_before=cut.forget_pruned_before
    )
    if deleted:
        log.info("retention: pruned %d articles older than %d days", deleted, retention_days)
    return deleted
