"""Subscriptions in SQLite: what each chat follows, and who follows a given target."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from bot.models import Subscriber, Subscription, Target, TargetKind
from bot.store.records import subscriber_from_row, subscription_from_row
from bot.store.sqlite.connection import IN_CHUNK, SqliteBase, marks

# active, unpaused chats only: the ones that get pushes
FOLLOWERS = (
    "SELECT s.chat_id, s.value FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
    "WHERE c.active = 1 AND c.paused = 0 AND s.kind = ?"
)


class SubscriptionsMixin(SqliteBase):
    async def add_subscriptions(self, chat_id: int, targets: Sequence[Target]) -> list[Target]:
        """Subscribe; returns only the targets that were not already followed."""
        now = self._clock()
        added: list[Target] = []
        async with self._transaction() as db:
            for target in targets:
                cursor = await db.execute(
                    "INSERT OR IGNORE INTO subscriptions (chat_id, kind, value, label, created_at) "
                    "VALUES (:chat_id, :kind, :value, :label, :now)",
                    {
                        "chat_id": chat_id,
                        "kind": target.kind.value,
                        "value": target.value,
                        "label": target.label,
                        "now": now,
                    },
                )
                if cursor.rowcount:
                    added.append(target)
        return added

    async def remove_subscriptions(self, chat_id: int, targets: Sequence[Target]) -> list[Target]:
        removed: list[Target] = []
        async with self._transaction() as db:
            for target in targets:
                cursor = await db.execute(
                    "DELETE FROM subscriptions WHERE chat_id = ? AND kind = ? AND value = ?",
                    (chat_id, target.kind.value, target.value),
                )
                if cursor.rowcount:
                    removed.append(target)
        return removed

    async def remove_all_subscriptions(self, chat_id: int) -> int:
        async with self._transaction() as db:
            cursor = await db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
            return cursor.rowcount

    async def list_subscriptions(self, chat_id: int) -> list[Subscription]:
        rows = await self._fetchall(
            "SELECT chat_id, kind, value, label, created_at FROM subscriptions "
            "WHERE chat_id = ? ORDER BY kind, label",
            (chat_id,),
        )
        return [subscription_from_row(row) for row in rows]

    async def subscribers(self, kind: TargetKind, values: Sequence[str]) -> list[Subscriber]:
        """Active, unpaused chats following any of `values`, via the (kind, value) index."""
        if not values:
            return []
        rows = await self._fetchall(
            f"{FOLLOWERS} AND s.value IN ({marks(len(values))})", (kind.value, *values)
        )
        return [subscriber_from_row(row, kind) for row in rows]

    async def keyword_subscribers(self) -> list[Subscriber]:
        rows = await self._fetchall(FOLLOWERS, (TargetKind.KEYWORD.value,))
        return [subscriber_from_row(row, TargetKind.KEYWORD) for row in rows]

    async def filter_subscribers(self) -> list[Subscriber]:
        """Every active chat's boolean filters; each is evaluated against new articles."""
        rows = await self._fetchall(FOLLOWERS, (TargetKind.FILTER.value,))
        return [subscriber_from_row(row, TargetKind.FILTER) for row in rows]

    async def followed_phrases(self) -> list[str]:
        """Every followed keyword, once (from the index alone): the poll's automaton."""
        rows = await self._fetchall(
            "SELECT DISTINCT value FROM subscriptions WHERE kind = ?", (TargetKind.KEYWORD.value,)
        )
        return [row["value"] for row in rows]

    async def follower_ids(
        self, kind: TargetKind, values: Sequence[str] | None
    ) -> dict[str, array[int]]:
        """The active, unpaused chats following each of `values` (None: every value of `kind`).

        One row per target with its chat ids joined, so a million subscriptions cost a few
        thousand rows and one compact array per target, not an object per subscription; the
        few inactive or paused chats are left out here rather than by a join per row.
        """
        quiet = await self._fetchall("SELECT id FROM chats WHERE active = 0 OR paused = 1")
        skip = {row["id"] for row in quiet}
        grouped = "SELECT value, group_concat(chat_id) AS ids FROM subscriptions WHERE kind = ?"
        if values is None:
            chunks: list[Sequence[str] | None] = [None]
        else:
            chunks = [values[start : start + IN_CHUNK] for start in range(0, len(values), IN_CHUNK)]
        found: dict[str, array[int]] = {}
        for chunk in chunks:
            where = "" if chunk is None else f" AND value IN ({marks(len(chunk))})"
            rows = await self._fetchall(
                f"{grouped}{where} GROUP BY value", (kind.value, *(chunk or ()))
            )
            for row in rows:
                ids = map(int, row["ids"].split(","))
                chats = array("q", (chat for chat in ids if chat not in skip) if skip else ids)
                if chats:
                    found[row["value"]] = chats
        return found
