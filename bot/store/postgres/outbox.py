"""The outbox in PostgreSQL: pushes queued with their articles, handed to the sender, done."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice

from bot.models import DeliveryStats, PendingPush, PlannedPush
from bot.store.postgres.articles import ARTICLE_COLUMNS
from bot.store.postgres.connection import Connection, PgBase, row_count
from bot.store.records import pending_push_from_row

NO_PUSH = 9223372036854775807  # larger than any push id
PUSH_CHUNK = 10_000  # pushes per INSERT: a large fan-out is a few statements, none of them huge
WALK_PAGE = 512  # rows the waiting-chats walk reads per round trip

# the pipeline decided who gets which story once; an inactive chat gets nothing, and a push
# already queued is not queued again (UNIQUE (chat_id, article_id)); in the intent's order
QUEUE_PUSHES = (
    "INSERT INTO pushes (chat_id, article_id, batch, held, next_attempt_at, created_at) "
    "SELECT c.id, u.article_id, u.batch, u.held, u.not_before, $1 "
    "FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::boolean[], $6::float8[]) "
    "WITH ORDINALITY AS u(chat_id, article_id, batch, held, not_before, position) "
    "JOIN chats c ON c.id = u.chat_id AND c.active "
    "ORDER BY u.position ON CONFLICT (chat_id, article_id) DO NOTHING"
)
# one page of the walk: pushes in id order along the partial index (a LIMIT of its own, so
# no estimate makes it a sort of the whole backlog), each with whether its chat takes pushes
WAITING_PAGE = (
    "SELECT w.id, w.chat_id, c.id IS NOT NULL AS ready FROM ("
    "  SELECT id, chat_id FROM pushes WHERE status = 'pending' AND next_attempt_at <= $1 "
    "  AND id > $2 ORDER BY id LIMIT $3) w "
    "LEFT JOIN chats c ON c.id = w.chat_id AND c.active AND NOT c.paused ORDER BY w.id"
)
# each waiting chat's due pushes, oldest first, stopping at one waiting for a retry
DUE = (
    "SELECT p.id AS push_id, p.chat_id AS chat_id, c.type AS chat_type, p.batch AS batch, "
    # a topic that chose no language reads its group's
    "CASE WHEN c.forum_chat_id IS NULL THEN c.language ELSE COALESCE(c.language, "
    "  (SELECT g.language FROM chats g WHERE g.id = c.forum_chat_id)) END AS chat_language, "
    "c.forum_chat_id AS forum_chat_id, c.thread_id AS thread_id, "
    f"p.attempts AS attempts, {ARTICLE_COLUMNS} "
    "FROM unnest($1::bigint[]) AS w(chat_id) CROSS JOIN LATERAL ("
    "  SELECT * FROM pushes q WHERE q.chat_id = w.chat_id AND q.status = 'pending' "
    "  AND q.next_attempt_at <= $2 AND q.id < COALESCE((SELECT MIN(r.id) FROM pushes r "
    "    WHERE r.chat_id = w.chat_id AND r.status = 'pending' AND r.attempts > 0 "
    "    AND r.next_attempt_at > $2), $3) "
    "  ORDER BY q.id LIMIT $4) p "
    "JOIN chats c ON c.id = p.chat_id "
    "JOIN articles a ON a.id = p.article_id "
    "JOIN sources s ON s.id = a.source_id "
    "ORDER BY p.id"
)


def _chunks(pushes: Iterable[PlannedPush], size: int) -> Iterator[list[PlannedPush]]:
    iterator = iter(pushes)
    while chunk := list(islice(iterator, size)):
        yield chunk


async def queue_pushes(
    db: Connection,
    pushes: Iterable[PlannedPush],
    article_ids: Mapping[str, int],
    now: float,
) -> int:
    """Queue the pushes of articles just stored (`article_ids` by url_norm); how many were new."""
    queued = 0
    wanted = (push for push in pushes if push.url_norm in article_ids)
    for chunk in _chunks(wanted, PUSH_CHUNK):
        status = await db.execute(
            QUEUE_PUSHES,
            now,
            [push.chat_id for push in chunk],
            [article_ids[push.url_norm] for push in chunk],
            [push.batch for push in chunk],
            [push.held for push in chunk],
            [push.not_before for push in chunk],
        )
        queued += row_count(status)
    return queued


class OutboxMixin(PgBase):
    async def story_recipients(self, story_keys: Sequence[str]) -> dict[str, frozenset[int]]:
        """The chats that already have a push of each story (named by one of its articles)."""
        found: dict[str, set[int]] = {key: set() for key in story_keys}
        if story_keys:
            rows = await self._fetch(
                "SELECT DISTINCT named.url_norm, p.chat_id FROM articles named "
                "JOIN articles a ON a.story_id = named.story_id "
                "JOIN pushes p ON p.article_id = a.id "
                "WHERE named.url_norm = ANY($1::text[])",
                list(story_keys),
            )
            for row in rows:
                found[row["url_norm"]].add(row["chat_id"])
        return {key: frozenset(chats) for key, chats in found.items()}

    async def due_pushes(self, limit: int, per_chat: int = 30) -> list[PendingPush]:
        """Due pushes of the `limit` chats waiting longest, at most `per_chat` each, oldest first.

        Taking chats rather than rows means one chat with a long queue can't hold up the rest;
        a push waiting to be retried holds back its chat's newer ones, so a chat's pushes keep
        their order; paused chats keep their queue until they resume. The walk runs along the
        partial index in id order and stops at `limit` chats, so a pass costs what it
        returns, not the size of the backlog.
        """
        now = self._clock()
        async with self._transaction() as db:
            chats = await self._waiting_chats(db, now, limit)
            rows = await db.fetch(DUE, chats, now, NO_PUSH, per_chat) if chats else []
            also_in = await self._also_in(db, [row["article_id"] for row in rows])
        return [pending_push_from_row(row, also_in.get(row["article_id"], ())) for row in rows]

    @staticmethod
    async def _waiting_chats(db: Connection, now: float, limit: int) -> list[int]:
        """The active, unpaused chats whose oldest due push is oldest, walked page by page."""
        chats: list[int] = []
        seen: set[int] = set()
        after = 0
        while True:
            page = await db.fetch(WAITING_PAGE, now, after, WALK_PAGE)
            for row in page:
                chat_id = row["chat_id"]
                if row["ready"] and chat_id not in seen:
                    seen.add(chat_id)
                    chats.append(chat_id)
                    if len(chats) >= limit:
                        return chats
            if len(page) < WALK_PAGE:
                return chats
            after = page[-1]["id"]

    @staticmethod
    async def _also_in(db: Connection, article_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """For each article, the other sources that carried its story (syndication)."""
        if not article_ids:
            return {}
        rows = await db.fetch(
            "SELECT a.id AS article_id, s2.name AS source_name FROM articles a "
            "JOIN articles a2 ON a2.story_id = a.story_id AND a2.source_id != a.source_id "
            "JOIN sources s2 ON s2.id = a2.source_id "
            "WHERE a.id = ANY($1::bigint[]) ORDER BY a.id, a2.id",
            sorted(set(article_ids)),
        )
        found: dict[int, list[str]] = {}
        for row in rows:
            names = found.setdefault(row["article_id"], [])
            if row["source_name"] not in names:
                names.append(row["source_name"])
        return {article_id: tuple(names) for article_id, names in found.items()}

    async def mark_sent(self, push_ids: Sequence[int], message_id: int | None) -> None:
        await self._execute(
            "UPDATE pushes SET status = 'sent', sent_at = $1, message_id = $2, "
            "attempts = attempts + 1 WHERE id = ANY($3::bigint[])",
            self._clock(),
            message_id,
            list(push_ids),
        )

    async def mark_retry(self, push_ids: Sequence[int], error: str, delay_seconds: float) -> None:
        """Keep pushes pending after a transient failure, due again after `delay_seconds`."""
        await self._execute(
            "UPDATE pushes SET last_error = $1, next_attempt_at = $2, attempts = attempts + 1 "
            "WHERE id = ANY($3::bigint[])",
            error,
            self._clock() + delay_seconds,
            list(push_ids),
        )

    async def mark_failed(self, push_ids: Sequence[int], error: str) -> None:
        await self._execute(
            "UPDATE pushes SET status = 'failed', last_error = $1, attempts = attempts + 1 "
            "WHERE id = ANY($2::bigint[])",
            error,
            list(push_ids),
        )

    async def pending_count(self) -> int:
        row = await self._fetchrow(
            "SELECT COUNT(*) AS pending FROM pushes WHERE status = 'pending'"
        )
        assert row is not None
        return int(row["pending"])

    async def delivery_stats(self) -> DeliveryStats:
        now = self._clock()
        async with self._transaction() as db:
            counts = await db.fetchrow(
                "SELECT "
                "(SELECT COUNT(*) FROM pushes WHERE status = 'pending') AS pending, "
                "(SELECT COUNT(*) FROM pushes WHERE status = 'pending' AND next_attempt_at > $1)"
                "  AS held, "
                "(SELECT COUNT(*) FROM pushes WHERE status = 'sent' AND sent_at >= $2) AS sent, "
                "(SELECT COUNT(*) FROM pushes WHERE status = 'failed') AS failed, "
                "(SELECT COUNT(*) FROM chats WHERE active) AS active, "
                "(SELECT COUNT(*) FROM chats WHERE NOT active) AS inactive, "
                "(SELECT created_at FROM pushes WHERE status = 'pending' AND next_attempt_at <= $1 "
                "  ORDER BY id LIMIT 1) AS oldest",
                now,
                now - 86_400,
            )
            reasons = await db.fetch(
                "SELECT COALESCE(last_error, '?') AS reason, COUNT(*) AS count FROM pushes "
                "WHERE status = 'failed' GROUP BY 1 ORDER BY 2 DESC LIMIT 5"
            )
        assert counts is not None
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
