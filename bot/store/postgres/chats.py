"""Chats in PostgreSQL: who talks to us, whether we may send, and when (their schedule)."""

from __future__ import annotations

from bot.models import FIRST_TOPIC_ID, Chat, Schedule, merge_schedules
from bot.store.postgres.connection import PgBase
from bot.store.records import CHAT_COLUMNS, chat_from_row, schedule_from_row

SCHEDULE_COLUMNS = "tz_offset_minutes, quiet_start, quiet_end, digest_hour, tz_name"
TOPIC_LOCK = 0x746F7069  # "topi": the advisory lock a new topic's id is taken under


class ChatsMixin(PgBase):
    async def upsert_chat(
        self,
        chat_id: int,
        chat_type: str,
        title: str,
        *,
        language: str | None = None,
        managed_by: int | None = None,
    ) -> Chat:
        """Remember a chat that spoke to us; speaking again re-activates a chat that had left.

        `language` is the speaker's, kept only while the chat has none: the first one sticks.
        `managed_by`: the user managing a channel from a private chat (None keeps who did).
        """
        now = self._clock()
        async with self._transaction() as db:
            row = await db.fetchrow(
                "INSERT INTO chats (id, type, title, managed_by, language, created_at, "
                "updated_at) VALUES ($1, $2, $3, $4, $6, $5, $5) "
                "ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title, "
                "active = TRUE, inactive_reason = NULL, updated_at = excluded.updated_at, "
                "language = COALESCE(chats.language, excluded.language), "
                "managed_by = COALESCE(excluded.managed_by, chats.managed_by) "
                f"RETURNING {CHAT_COLUMNS}",
                chat_id,
                chat_type,
                title,
                managed_by,
                now,
                language,
            )
        assert row is not None
        return chat_from_row(row)

    async def topic_subscriber(self, chat_id: int, thread_id: int, title: str) -> Chat:
        """The subscriber of one forum topic, made on first use; speaking there re-activates it.

        An empty `title` keeps the one stored (a topic's name is known only now and then).

        New ids are taken under an advisory lock, so two replicas can't take the same one.
        """
        now = self._clock()
        async with self._transaction() as db:
            await db.execute("SELECT pg_advisory_xact_lock($1)", TOPIC_LOCK)
            row = await db.fetchrow(
                "INSERT INTO chats "
                "(id, type, title, forum_chat_id, thread_id, created_at, updated_at) "
                "VALUES ((SELECT COALESCE(MAX(id) + 1, $1) FROM chats WHERE id >= $1), "
                "'topic', $2, $3, $4, $5, $5) "
                "ON CONFLICT (forum_chat_id, thread_id) WHERE forum_chat_id IS NOT NULL "
                "DO UPDATE SET title = COALESCE(NULLIF(excluded.title, ''), chats.title), "
                "active = TRUE, inactive_reason = NULL, "
                f"updated_at = excluded.updated_at RETURNING {CHAT_COLUMNS}",
                FIRST_TOPIC_ID,
                title,
                chat_id,
                thread_id,
                now,
            )
        assert row is not None
        return chat_from_row(row)

    async def get_topic(self, chat_id: int, thread_id: int) -> Chat | None:
        """A forum topic's subscriber if one was made; looking never makes one."""
        row = await self._fetchrow(
            f"SELECT {CHAT_COLUMNS} FROM chats WHERE forum_chat_id = $1 AND thread_id = $2",
            chat_id,
            thread_id,
        )
        return chat_from_row(row) if row else None

    async def managed_channels(self, user_id: int) -> list[Chat]:
        rows = await self._fetch(
            f"SELECT {CHAT_COLUMNS} FROM chats WHERE managed_by = $1 "
            'ORDER BY title COLLATE "C", id',
            user_id,
        )
        return [chat_from_row(row) for row in rows]

    async def get_chat(self, chat_id: int) -> Chat | None:
        row = await self._fetchrow(f"SELECT {CHAT_COLUMNS} FROM chats WHERE id = $1", chat_id)
        return chat_from_row(row) if row else None

    async def set_language(self, chat_id: int, language: str) -> None:
        await self._execute("UPDATE chats SET language = $1 WHERE id = $2", language, chat_id)

    async def set_paused(self, chat_id: int, paused: bool) -> None:
        await self._execute("UPDATE chats SET paused = $1 WHERE id = $2", paused, chat_id)

    async def get_schedule(self, chat_id: int) -> Schedule:
        row = await self._fetchrow(f"SELECT {SCHEDULE_COLUMNS} FROM chats WHERE id = $1", chat_id)
        return schedule_from_row(row) if row else Schedule()

    async def set_schedule(self, chat_id: int, schedule: Schedule) -> None:
        """Save a chat's schedule; back to immediate delivery, what was held goes out now."""
        async with self._transaction() as db:
            if schedule.immediate:
                await db.execute(
                    "UPDATE pushes SET next_attempt_at = 0 WHERE chat_id = $1 "
                    "AND status = 'pending' AND held",
                    chat_id,
                )
            await db.execute(
                "UPDATE chats SET tz_offset_minutes = $2, quiet_start = $3, quiet_end = $4, "
                "digest_hour = $5, tz_name = $6 WHERE id = $1",
                chat_id,
                schedule.tz_offset_minutes,
                schedule.quiet_start,
                schedule.quiet_end,
                schedule.digest_hour,
                schedule.tz_name,
            )

    async def schedules(self) -> dict[int, Schedule]:
        """Active chats that hold pushes back (quiet hours or a daily digest); few, usually."""
        rows = await self._fetch(
            f"SELECT id, {SCHEDULE_COLUMNS} FROM chats "
            "WHERE active AND (quiet_start IS NOT NULL OR digest_hour IS NOT NULL)"
        )
        return {row["id"]: schedule_from_row(row) for row in rows}

    async def deactivate_chat(self, chat_id: int, reason: str) -> bool:
        """Stop all sending to a chat that blocked us or is gone (a group with its topics);
        its queued pushes fail. True when it was active: whoever manages it is told once."""
        async with self._transaction() as db:
            was = await db.fetchval("SELECT active FROM chats WHERE id = $1 FOR UPDATE", chat_id)
            await db.execute(
                "UPDATE chats SET active = FALSE, inactive_reason = $1 "
                "WHERE id = $2 OR forum_chat_id = $2",
                reason,
                chat_id,
            )
            await db.execute(
                "UPDATE pushes SET status = 'failed', last_error = $1 "
                "WHERE status = 'pending' AND chat_id IN "
                "(SELECT id FROM chats WHERE id = $2 OR forum_chat_id = $2)",
                f"chat inactive: {reason}",
                chat_id,
            )
        return bool(was)

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Follow a group that became a supergroup, keeping its subscriptions, settings and queue.

        As on SQLite: both ids holding a chat, the supergroup gets the union of their
        subscriptions, each setting either chose (`merge_schedules`), and stays paused if
        either was; calling it again, or for an unknown group, changes nothing.
        """
        async with self._transaction() as db:
            query = f"SELECT paused, language, {SCHEDULE_COLUMNS} FROM chats WHERE id = $1"
            old = await db.fetchrow(query, old_id)
            new = await db.fetchrow(query, new_id)
            if old is None:
                return
            if new is None:
                await db.execute(
                    "UPDATE chats SET id = $2, type = 'supergroup' WHERE id = $1", old_id, new_id
                )
                return
            merged = merge_schedules(schedule_from_row(old), schedule_from_row(new))
            await db.execute(
                "UPDATE chats SET tz_offset_minutes = $2, quiet_start = $3, quiet_end = $4, "
                "digest_hour = $5, tz_name = $6, paused = $7, language = $8 WHERE id = $1",
                new_id,
                merged.tz_offset_minutes,
                merged.quiet_start,
                merged.quiet_end,
                merged.digest_hour,
                merged.tz_name,
                bool(old["paused"]) or bool(new["paused"]),
                new["language"] or old["language"],
            )
            await db.execute(
                "INSERT INTO subscriptions (chat_id, kind, value, label, created_at) "
                "SELECT $2, kind, value, label, created_at FROM subscriptions "
                "WHERE chat_id = $1 ORDER BY id ON CONFLICT DO NOTHING",
                old_id,
                new_id,
            )
            # what the new chat already has stays; the rest of the old queue moves over
            await db.execute(
                "UPDATE pushes p SET chat_id = $2 WHERE p.chat_id = $1 AND NOT EXISTS ("
                "SELECT 1 FROM pushes q WHERE q.chat_id = $2 AND q.article_id = p.article_id)",
                old_id,
                new_id,
            )
            await db.execute("DELETE FROM chats WHERE id = $1", old_id)
