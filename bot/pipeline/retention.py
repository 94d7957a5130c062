"""Retention: articles older than RETENTION_DAYS are pruned with their tags and pushes."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.store.base import Store

log = logging.getLogger(__name__)

DAY_SECONDS = 86400


async def prune(store: Store, *, retention_days: int, now: Callable[[], float]) -> int:
    """Delete what is older than the retention period, so the database stays small."""
    deleted = await store.prune_articles(now() - retention_days * DAY_SECONDS)
    if deleted:
        log.info("retention: pruned %d articles older than %d days", deleted, retention_days)
    return deleted
