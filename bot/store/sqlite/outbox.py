"""The outbox in SQLite: pushes queued with their articles, handed to the sender, marked done."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

import aiosqlite

from bot.models import DeliveryStats, PendingPush, PlannedPush
from bot.store.records import pending_push_from_row
from bot.store.sqlite.articles import ARTICLE_COLUMNS
from bot.store.sqlite.connection import IN_CHUNK, SqliteBase, marks

NO_PUSH = 9223372036854775807  # larger than any push id


async def queue_pushes(
    db: aiosqlite.Connection,
    pushes: Sequence[PlannedPush],
    article_ids: Mapping[str, int],
    now: float,
) -> int:
    """Queue the pushes of articles just stored (`article_ids` by url_norm); how many were new.

    Which of the chunk's chats may receive is asked once per chunk, not once per row: a row
    then costs its insert alone (a per-row SELECT was half the cost of a big poll's write).
    """
    receiving = await _active_chats(db, {push.chat_id for push in pushes})
    cursor = await db.executemany(  # who gets which story once was decided by the pipeline
        "INSERT OR IGNORE INTO pushes "
        "(chat_id, article_id, batch, held, next_attempt_at, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                push.chat_id,
                article_ids[push.url_norm],
                push.batch,
                int(push.held),
                push.not_before,
                now,
            )
            for push in pushes
            if push.chat_id in receiving and push.url_norm in article_ids
        ],
    )
    return max(cursor.rowcount, 0)


async def _active_chats(db: aiosqlite.Connection, chat_ids: set[int]) -> set[int]:
    """Those of `chat_ids` that exist and still receive (not blocked, not gone)."""
    wanted = sorted(chat_ids)
    found: set[int] = set()
    for start in range(0, len(wanted), IN_CHUNK):
        part = wanted[start : start + IN_CHUNK]
        async with db.execute(
            f"SELECT id FROM chats WHERE active = 1 AND id IN ({marks(len(part))})", part
        ) as cursor:
            found.update(int(chat_id) for (chat_id,) in await cursor.fetchall())
    return found


class OutboxMixin(SqliteBase):
    async def story_recipients(self, story_keys: Sequence[str]) -> dict[str, frozenset[int]]:
        """The chats that already have a push of each story (named by one of its articles).

        Asked chat by chat along UNIQUE(chat_id, article_id), pushes having no index by
        article: a probe per chat and earlier article of the stories asked about.
        """
        found: dict[str, set[int]] = {key: set() for key in story_keys}
        for start in range(0, len(story_keys), IN_CHUNK):
            chunk = list(story_keys[start : start + IN_CHUNK])
            rows = await self._fetchall(
                "SELECT named.url_norm, p.chat_id FROM articles named "
                "JOIN articles a ON a.story_id = named.story_id "
                "CROSS JOIN chats c CROSS JOIN pushes p "
                "ON p.chat_id = c.id AND p.article_id = a.id "
                f"WHERE named.url_norm IN ({marks(len(chunk))})",
                chunk,
            )
            for row in rows:
                found[row["url_norm"]].add(row["chat_id"])
        return {key: frozenset(chats) for key, chats in found.items()}

    async def due_pushes(self, limit: int, per_chat: int = 30) -> list[PendingPush]:
        """Due pushes of the `limit` chats waiting longest, at most `per_chat` each, oldest first.

        Taking chats rather than rows means one chat with a long queue can't hold up the rest;
        a push waiting to be retried holds back its chat's newer ones, so a chat's pushes keep
        their order; paused chats keep their queue until they resume. Both steps run along
        partial indexes, so a pass costs what it returns, not the size of the backlog.
        """
        now = self._clock()
        rows: list[sqlite3.Row] = []
        async with self._reading() as db:
            for chat_id in await self._waiting_chats(db, now, limit):
                async with db.execute(
                    "SELECT p.id AS push_id, p.chat_id AS chat_id, c.type AS chat_type, "
                    # a topic that chose no language reads its group's
                    "CASE WHEN c.forum_chat_id IS NULL THEN c.language "
                    "  ELSE COALESCE(c.language, (SELECT g.language FROM chats g "
                    "  WHERE g.id = c.forum_chat_id)) END AS chat_language, "
                    "c.forum_chat_id AS forum_chat_id, c.thread_id AS thread_id, "
                    f"p.batch AS batch, p.attempts AS attempts, {ARTICLE_COLUMNS} "
                    "FROM pushes p INDEXED BY pushes_pending "
                    "JOIN chats c ON c.id = p.chat_id "
                    "JOIN articles a ON a.id = p.article_id "
                    "JOIN sources s ON s.id = a.source_id "
                    "WHERE p.chat_id = :chat_id AND p.status = 'pending' "
                    "AND p.next_attempt_at <= :now "
                    "AND p.id < COALESCE((SELECT MIN(r.id) FROM pushes r "
                    "  INDEXED BY pushes_pending WHERE r.chat_id = :chat_id "
                    "  AND r.status = 'pending' AND r.attempts > 0 "
                    "  AND r.next_attempt_at > :now), :no_push) "
                    "ORDER BY p.id LIMIT :per_chat",
                    {"chat_id": chat_id, "now": now, "no_push": NO_PUSH, "per_chat": per_chat},
                ) as cursor:
                    rows.extend(await cursor.fetchall())
        rows.sort(key=lambda row: int(row["push_id"]))
        also_in = await self._also_in([row["article_id"] for row in rows])
        return [pending_push_from_row(row, also_in.get(row["article_id"], ())) for row in rows]

    @staticmethod
    async def _waiting_chats(db: aiosqlite.Connection, now: float, limit: int) -> list[int]:
        """The active, unpaused chats whose oldest due push is oldest; the caller holds the lock."""
        chats: list[int] = []
        seen: set[int] = set()
        async with db.execute(
            "SELECT p.chat_id AS chat_id FROM pushes p INDEXED BY pushes_pending_by_id "
            "CROSS JOIN chats c ON c.id = p.chat_id "
            "WHERE p.status = 'pending' AND p.next_attempt_at <= ? "
            "AND c.active = 1 AND c.paused = 0 ORDER BY p.id",
            (now,),
        ) as cursor:
            cursor.arraysize = 512  # fetched in chunks, not one thread hop per row
            async for row in cursor:
                chat_id = row["chat_id"]
                if chat_id not in seen:
                    seen.add(chat_id)
                    chats.append(chat_id)
                    if len(chats) >= limit:
                        break
        return chats

    async def _also_in(self, article_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """For each article, the other sources that carried its story (syndication)."""
        if not article_ids:
            return {}
        rows = await self._fetchall(
            "SELECT DISTINCT a.id AS article_id, s2.name AS source_name FROM articles a "
            "JOIN articles a2 ON a2.story_id = a.story_id AND a2.source_id != a.source_id "
            "JOIN sources s2 ON s2.id = a2.source_id "
            f"WHERE a.id IN ({marks(len(article_ids))}) ORDER BY a.id, a2.id",
            article_ids,
        )
        found: dict[int, list[str]] = {}
        for row in rows:
            names = found.setdefault(row["article_id"], [])
            if row["source_name"] not in names:
                names.append(row["source_name"])
        return {article_id: tuple(names) for article_id, names in found.items()}

    async def mark_sent(self, push_ids: Sequence[int], message_id: int | None) -> None:
        now = self._clock()
        async with self._transaction() as db:
            await db.execute(
                f"UPDATE pushes SET status = 'sent', sent_at = ?, message_id = ?, attempts = "
                f"attempts + 1 WHERE id IN ({marks(len(push_ids))})",
                (now, message_id, *push_ids),
            )

    async def mark_retry(self, push_ids: Sequence[int], error: str, delay_seconds: float) -> None:
        """Keep pushes pending after a transient failure, due again after `delay_seconds`."""
        next_attempt_at = self._clock() + delay_seconds
        async with self._transaction() as db:
            await db.execute(
                f"UPDATE pushes SET last_error = ?, next_attempt_at = ?, "
                f"attempts = attempts + 1 WHERE id IN ({marks(len(push_ids))})",
                (error, next_attempt_at, *push_ids),
            )

    async def mark_failed(self, push_ids: Sequence[int], error: str) -> None:
        async with self._transaction() as db:
            await db.execute(
                f"UPDATE pushes SET status = 'failed', last_error = ?, attempts = attempts + 1 "
                f"WHERE id IN ({marks(len(push_ids))})",
                (error, *push_ids),
            )

    async def pending_count(self) -> int:
        row = await self._fetchone(
            "SELECT COUNT(*) AS pending FROM pushes WHERE status = 'pending'"
        )
        assert row is not None
        return int(row["pending"])

    async def delivery_stats(self) -> DeliveryStats:
        now = self._clock()
        counts = await self._fetchone(
            "SELECT "
            "(SELECT COUNT(*) FROM pushes WHERE status = 'pending') AS pending, "
            "(SELECT COUNT(*) FROM pushes WHERE status = 'pending' AND next_attempt_at > :now) "
            "  AS held, "
            "(SELECT COUNT(*) FROM pushes WHERE status = 'sent' AND sent_at >= :day_ago) AS sent, "
            "(SELECT COUNT(*) FROM pushes WHERE status = 'failed') AS failed, "
            "(SELECT COUNT(*) FROM chats WHERE active = 1) AS active, "
            "(SELECT COUNT(*) FROM chats WHERE active = 0) AS inactive, "
            "(SELECT created_at FROM pushes WHERE status = 'pending' AND next_attempt_at <= :now "
            "  ORDER BY id LIMIT 1) AS oldest",
            {"now": now, "day_ago": now - 86_400},
        )
        assert counts is not None
        reasons = await self._fetchall(
            "SELECT COALESCE(last_error, '?') AS reason, COUNT(*) AS count FROM pushes "
            "WHERE status = 'failed' GROUP BY 1 ORDER BY 2 DESC LIMIT 5"
        )
        return DeliveryStats(
            pending=counts["pending"],
            held=counts["held"],
            sent_last_day=counts["sent"],
            failed=counts["failed"],
            active_chats=counts["active"],
            inactive_chats=counts["inactive"],
            failure_reasons=[(row["reason"], row["count"]) for row in reasons],
            oldest_due_at=counts["oldest"],
        )
