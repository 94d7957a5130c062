"""Chats in SQLite: who talks to us, whether we may send, and when (their schedule)."""

from __future__ import annotations

from bot.models import FIRST_TOPIC_ID, Chat, Schedule, merge_schedules
from bot.store.records import CHAT_COLUMNS, chat_from_row, schedule_from_row
from bot.store.sqlite.connection import SqliteBase

SCHEDULE_COLUMNS = "tz_offset_minutes, quiet_start, quiet_end, digest_hour, tz_name"


class ChatsMixin(SqliteBase):
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
            await db.execute(
                "INSERT INTO chats (id, type, title, language, managed_by, created_at, "
                "updated_at) VALUES (:id, :type, :title, :language, :managed_by, :now, :now) "
                "ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title, "
                "active = 1, inactive_reason = NULL, updated_at = excluded.updated_at, "
                "language = COALESCE(chats.language, excluded.language), "
                "managed_by = COALESCE(excluded.managed_by, chats.managed_by)",
                {
                    "id": chat_id,
                    "type": chat_type,
                    "title": title,
                    "language": language,
                    "managed_by": managed_by,
                    "now": now,
                },
            )
            async with db.execute(
                f"SELECT {CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,)
            ) as cursor:
                row = await cursor.fetchone()
        assert row is not None
        return chat_from_row(row)

    async def topic_subscriber(self, chat_id: int, thread_id: int, title: str) -> Chat:
        """The subscriber of one forum topic, made on first use; speaking there re-activates it.

        An empty `title` keeps the one stored (a topic's name is known only now and then).
        """
        now = self._clock()
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO chats "
                "(id, type, title, forum_chat_id, thread_id, created_at, updated_at) "
                "VALUES ((SELECT COALESCE(MAX(id) + 1, :first) FROM chats "
                "  WHERE id >= :first), 'topic', :title, :chat, :thread, :now, :now) "
                "ON CONFLICT (forum_chat_id, thread_id) WHERE forum_chat_id IS NOT NULL "
                "DO UPDATE SET title = COALESCE(NULLIF(excluded.title, ''), chats.title), "
                "active = 1, inactive_reason = NULL, "
                "updated_at = excluded.updated_at",
                {
                    "first": FIRST_TOPIC_ID,
                    "title": title,
                    "chat": chat_id,
                    "thread": thread_id,
                    "now": now,
                },
            )
            async with db.execute(
                f"SELECT {CHAT_COLUMNS} FROM chats WHERE forum_chat_id = ? AND thread_id = ?",
                (chat_id, thread_id),
            ) as cursor:
                row = await cursor.fetchone()
        assert row is not None
        return chat_from_row(row)

    async def get_topic(self, chat_id: int, thread_id: int) -> Chat | None:
        """A forum topic's subscriber if one was made; looking never makes one."""
        row = await self._fetchone(
            f"SELECT {CHAT_COLUMNS} FROM chats WHERE forum_chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        )
        return chat_from_row(row) if row else None

    async def managed_channels(self, user_id: int) -> list[Chat]:
        rows = await self._fetchall(
            f"SELECT {CHAT_COLUMNS} FROM chats WHERE managed_by = ? ORDER BY title, id",
            (user_id,),
        )
        return [chat_from_row(row) for row in rows]

    async def get_chat(self, chat_id: int) -> Chat | None:
        row = await self._fetchone(f"SELECT {CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,))
        return chat_from_row(row) if row else None

    async def set_language(self, chat_id: int, language: str) -> None:
        async with self._transaction() as db:
            await db.execute("UPDATE chats SET language = ? WHERE id = ?", (language, chat_id))

    async def set_paused(self, chat_id: int, paused: bool) -> None:
        async with self._transaction() as db:
            await db.execute("UPDATE chats SET paused = ? WHERE id = ?", (int(paused), chat_id))

    async def get_schedule(self, chat_id: int) -> Schedule:
        row = await self._fetchone(f"SELECT {SCHEDULE_COLUMNS} FROM chats WHERE id = ?", (chat_id,))
        return schedule_from_row(row) if row else Schedule()

    async def set_schedule(self, chat_id: int, schedule: Schedule) -> None:
        """Save a chat's schedule; back to immediate delivery, what was held goes out now."""
        async with self._transaction() as db:
            if schedule.immediate:
                await db.execute(
                    "UPDATE pushes SET next_attempt_at = 0 WHERE chat_id = ? "
                    "AND status = 'pending' AND held = 1",
                    (chat_id,),
                )
            await db.execute(
                "UPDATE chats SET tz_offset_minutes = :tz_offset_minutes, "
                "quiet_start = :quiet_start, quiet_end = :quiet_end, digest_hour = :digest_hour, "
                "tz_name = :tz_name WHERE id = :id",
                {
                    "id": chat_id,
                    "tz_offset_minutes": schedule.tz_offset_minutes,
                    "quiet_start": schedule.quiet_start,
                    "quiet_end": schedule.quiet_end,
                    "digest_hour": schedule.digest_hour,
                    "tz_name": schedule.tz_name,
                },
            )

    async def schedules(self) -> dict[int, Schedule]:
        """Active chats that hold pushes back (quiet hours or a daily digest); few, usually."""
        rows = await self._fetchall(
            f"SELECT id, {SCHEDULE_COLUMNS} FROM chats "
            "WHERE active = 1 AND (quiet_start IS NOT NULL OR digest_hour IS NOT NULL)"
        )
        return {row["id"]: schedule_from_row(row) for row in rows}

    async def deactivate_chat(self, chat_id: int, reason: str) -> bool:
        """Stop all sending to a chat that blocked us or is gone (a group with its topics);
        its queued pushes fail. True when it was active: whoever manages it is told once."""
        ids = {"id": chat_id, "reason": reason, "error": f"chat inactive: {reason}"}
        async with self._transaction() as db:
            async with db.execute("SELECT active FROM chats WHERE id = ?", (chat_id,)) as cursor:
                row = await cursor.fetchone()
            await db.execute(
                "UPDATE chats SET active = 0, inactive_reason = :reason "
                "WHERE id = :id OR forum_chat_id = :id",
                ids,
            )
            await db.execute(
                "UPDATE pushes SET status = 'failed', last_error = :error "
                "WHERE status = 'pending' AND chat_id IN "
                "(SELECT id FROM chats WHERE id = :id OR forum_chat_id = :id)",
                ids,
            )
        return row is not None and bool(row["active"])

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Follow a group that became a supergroup, keeping its subscriptions, settings and queue.

        When both ids hold a chat, the supergroup gets the union of their subscriptions, each
        setting either chat chose (`merge_schedules`; the supergroup's where both chose), and
        stays paused if either was. Calling it again, or for an unknown group, changes nothing.
        """
        ids = {"old": old_id, "new": new_id}
        async with self._transaction() as db:
            query = f"SELECT paused, language, {SCHEDULE_COLUMNS} FROM chats WHERE id = ?"
            async with db.execute(query, (old_id,)) as cursor:
                old = await cursor.fetchone()
            async with db.execute(query, (new_id,)) as cursor:
                new = await cursor.fetchone()
            if old is None:
                return
            if new is None:
                await db.execute(
                    "UPDATE chats SET id = :new, type = 'supergroup' WHERE id = :old", ids
                )
                return
            merged = merge_schedules(schedule_from_row(old), schedule_from_row(new))
            await db.execute(
                "UPDATE chats SET tz_offset_minutes = :tz_offset_minutes, "
                "quiet_start = :quiet_start, quiet_end = :quiet_end, digest_hour = :digest_hour, "
                "tz_name = :tz_name, paused = :paused, language = :language WHERE id = :id",
                {
                    "id": new_id,
                    "tz_offset_minutes": merged.tz_offset_minutes,
                    "quiet_start": merged.quiet_start,
                    "quiet_end": merged.quiet_end,
                    "digest_hour": merged.digest_hour,
                    "tz_name": merged.tz_name,
                    "paused": int(bool(old["paused"]) or bool(new["paused"])),
                    "language": new["language"] or old["language"],
                },
            )
            await db.execute(
                "INSERT OR IGNORE INTO subscriptions (chat_id, kind, value, label, created_at) "
                "SELECT :new, kind, value, label, created_at FROM subscriptions "
                "WHERE chat_id = :old",
                ids,
            )
            await db.execute("UPDATE OR IGNORE pushes SET chat_id = :new WHERE chat_id = :old", ids)
            await db.execute("DELETE FROM chats WHERE id = :old", ids)
