"""Subscriptions in PostgreSQL: what each chat follows, and who follows a given target."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from bot.models import Subscriber, Subscription, Target, TargetKind
from bot.store.postgres.connection import PgBase, row_count
from bot.store.records import subscriber_from_row, subscription_from_row

# active, unpaused chats only: the ones that get pushes
FOLLOWERS = (
    "SELECT s.chat_id, s.value FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
    "WHERE c.active AND NOT c.paused AND s.kind = $1"
)


class SubscriptionsMixin(PgBase):
    async def add_subscriptions(self, chat_id: int, targets: Sequence[Target]) -> list[Target]:
        """Subscribe; returns only the targets that were not already followed."""
        now = self._clock()
        added: list[Target] = []
        async with self._transaction() as db:
            for target in targets:
                status = await db.execute(
                    "INSERT INTO subscriptions (chat_id, kind, value, label, created_at) "
                    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    chat_id,
                    target.kind.value,
                    target.value,
                    target.label,
                    now,
                )
                if row_count(status):
                    added.append(target)
        return added

    async def remove_subscriptions(self, chat_id: int, targets: Sequence[Target]) -> list[Target]:
        removed: list[Target] = []
        async with self._transaction() as db:
            for target in targets:
                status = await db.execute(
                    "DELETE FROM subscriptions WHERE chat_id = $1 AND kind = $2 AND value = $3",
                    chat_id,
                    target.kind.value,
                    target.value,
                )
                if row_count(status):
                    removed.append(target)
        return removed

    async def remove_all_subscriptions(self, chat_id: int) -> int:
        return row_count(
            await self._execute("DELETE FROM subscriptions WHERE chat_id = $1", chat_id)
        )

    async def list_subscriptions(self, chat_id: int) -> list[Subscription]:
        rows = await self._fetch(
            "SELECT chat_id, kind, value, label, created_at FROM subscriptions "
            'WHERE chat_id = $1 ORDER BY kind COLLATE "C", label COLLATE "C"',
            chat_id,
        )
        return [subscription_from_row(row) for row in rows]

    async def subscribers(self, kind: TargetKind, values: Sequence[str]) -> list[Subscriber]:
        """Active, unpaused chats following any of `values`, via the (kind, value) index."""
        if not values:
            return []
        rows = await self._fetch(
            f"{FOLLOWERS} AND s.value = ANY($2::text[])", kind.value, list(values)
        )
        return [subscriber_from_row(row, kind) for row in rows]

    async def keyword_subscribers(self) -> list[Subscriber]:
        rows = await self._fetch(FOLLOWERS, TargetKind.KEYWORD.value)
        return [subscriber_from_row(row, TargetKind.KEYWORD) for row in rows]

    async def filter_subscribers(self) -> list[Subscriber]:
        """Every active chat's boolean filters; each is evaluated against new articles."""
        rows = await self._fetch(FOLLOWERS, TargetKind.FILTER.value)
        return [subscriber_from_row(row, TargetKind.FILTER) for row in rows]

    async def followed_phrases(self) -> list[str]:
        """Every followed keyword, once: the poll's automaton."""
        rows = await self._fetch(
            "SELECT DISTINCT value FROM subscriptions WHERE kind = $1", TargetKind.KEYWORD.value
        )
        return [row["value"] for row in rows]

    async def follower_ids(
        self, kind: TargetKind, values: Sequence[str] | None
    ) -> dict[str, array[int]]:
        """The active, unpaused chats following each of `values` (None: every value of `kind`),
        one row per target with its chat ids as an array, as on SQLite."""
        rows = await self._fetch(
            "SELECT s.value, array_agg(s.chat_id) AS ids FROM subscriptions s "
            "JOIN chats c ON c.id = s.chat_id WHERE c.active AND NOT c.paused AND s.kind = $1 "
            "AND ($2::text[] IS NULL OR s.value = ANY($2::text[])) GROUP BY s.value",
            kind.value,
            None if values is None else list(values),
        )
        return {row["value"]: array("q", row["ids"]) for row in rows if row["ids"]}
