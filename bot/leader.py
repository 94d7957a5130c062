"""Which replica polls and sends: the leader, when several share one PostgreSQL database.

On PostgreSQL the leader holds an advisory lock (bot.store.postgres.leader); the others
wait as standbys before they start polling Telegram or sending. On SQLite there is one
process per database (bot.instance refuses a second), so it always leads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.store.open import is_postgres


class Leadership(Protocol):
    @property
    def is_leader(self) -> bool: ...
    async def confirm(self) -> bool: ...
    async def close(self) -> None: ...


async def take_lead(
    database_url: str, *, on_lost: Callable[[], Awaitable[None]]
) -> Leadership | None:
    """Wait until this process leads (None: SQLite, where it always does); `on_lost` on a loss."""
    if not is_postgres(database_url):
        return None
    from bot.store.postgres.leader import AdvisoryLeader

    leader = AdvisoryLeader(database_url, on_lost=on_lost)
    await leader.acquire()
    return leader
