"""Sources in SQLite: the enabled ones (from the file or added in chat) and their poll state."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

from bot.models import SourcePoll, SourceSpec, SourceState
from bot.store.records import selectors_json, source_from_row
from bot.store.sqlite.connection import SqliteBase, marks

# with the number of stored articles, which /sources shows
SOURCE_SELECT = (
    "SELECT s.id, s.name, s.url, s.kind, s.initialized, s.etag, s.last_modified, "
    "s.last_polled_at, s.last_ok_at, s.last_error, s.failures, s.next_poll_after, s.feed_url, "
    "s.selectors, s.origin, s.guarded, s.body_hash, "
    "(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS article_count "
    "FROM sources s"
)


async def record_poll(db: aiosqlite.Connection, poll: SourcePoll) -> None:
    """Store what one poll left of a source's state, inside the caller's transaction."""
    if poll.ok:
        await db.execute(
            "UPDATE sources SET kind = COALESCE(:kind, kind), etag = :etag, "
            "last_modified = :last_modified, last_polled_at = :polled_at, "
            "last_ok_at = :polled_at, last_error = NULL, failures = 0, initialized = 1, "
            "next_poll_after = :next_poll_after, feed_url = :feed_url, body_hash = :body_hash "
            "WHERE id = :id",
            {
                "kind": poll.kind.value if poll.kind else None,
                "etag": poll.etag,
                "last_modified": poll.last_modified,
                "polled_at": poll.polled_at,
                "next_poll_after": poll.next_poll_after,
                "feed_url": poll.feed_url,
                "body_hash": poll.body_hash,
                "id": poll.source_id,
            },
        )
    else:  # a discovered feed that fails is looked for again on the page next time
        await db.execute(
            "UPDATE sources SET last_polled_at = :polled_at, last_error = :error, "
            "failures = failures + 1, next_poll_after = :next_poll_after, "
            # the validators belong to the feed: sent to the page they could earn a 304
            "etag = CASE WHEN feed_url IS NULL THEN etag END, "
            "last_modified = CASE WHEN feed_url IS NULL THEN last_modified END, "
            "feed_url = NULL WHERE id = :id",
            {
                "polled_at": poll.polled_at,
                "error": poll.error,
                "next_poll_after": poll.next_poll_after,
                "id": poll.source_id,
            },
        )


class SourcesMixin(SqliteBase):
    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[SourceState]:
        """Make the file's sources the enabled ones; a changed URL starts that source afresh."""
        now = self._clock()
        async with self._transaction() as db:
            for spec in specs:
                await db.execute(
                    "INSERT INTO sources (name, url, kind, selectors, created_at) "
                    "VALUES (:name, :url, :kind, :selectors, :now) "
                    "ON CONFLICT (name) DO UPDATE SET "
                    "enabled = 1, origin = 'file', guarded = 0, selectors = excluded.selectors, "
                    "feed_url = CASE WHEN sources.url = excluded.url THEN sources.feed_url END, "
                    "kind = CASE WHEN excluded.kind IS NOT NULL THEN excluded.kind "
                    "  WHEN sources.url = excluded.url THEN sources.kind END, "
                    "initialized = CASE WHEN sources.url = excluded.url "
                    "  THEN sources.initialized ELSE 0 END, "
                    "etag = CASE WHEN sources.url = excluded.url THEN sources.etag END, "
                    "last_modified = CASE WHEN sources.url = excluded.url "
                    "  THEN sources.last_modified END, "
                    # new selectors read the same body differently: it must be parsed again
                    "body_hash = CASE WHEN sources.url = excluded.url "
                    "  AND sources.selectors IS excluded.selectors "
                    "  AND (excluded.kind IS NULL OR excluded.kind IS sources.kind) "
                    "  THEN sources.body_hash END, "
                    "url = excluded.url",
                    {
                        "name": spec.name,
                        "url": spec.url,
                        "kind": spec.kind.value if spec.kind else None,
                        "selectors": selectors_json(spec.selectors),
                        "now": now,
                    },
                )
            names = [spec.name for spec in specs]
            await db.execute(
                f"UPDATE sources SET enabled = 0 WHERE origin = 'file' "
                f"AND name NOT IN ({marks(len(names))})",
                names,
            )
        return await self.list_sources()

    async def list_sources(self) -> list[SourceState]:
        rows = await self._fetchall(f"{SOURCE_SELECT} WHERE s.enabled = 1 ORDER BY s.name")
        return [source_from_row(row) for row in rows]

    async def add_source(self, spec: SourceSpec, *, guarded: bool) -> SourceState:
        """An operator's source added through the bot; re-adding a removed one enables it anew."""
        now = self._clock()
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO sources (name, url, kind, origin, guarded, created_at) "
                "VALUES (:name, :url, :kind, 'admin', :guarded, :now) "
                "ON CONFLICT (name) DO UPDATE SET enabled = 1, origin = 'admin', "
                "guarded = excluded.guarded, kind = excluded.kind, feed_url = NULL, "
                "initialized = CASE WHEN sources.url = excluded.url "
                "  THEN sources.initialized ELSE 0 END, etag = NULL, last_modified = NULL, "
                "body_hash = NULL, "
                "url = excluded.url, next_poll_after = 0",
                {
                    "name": spec.name,
                    "url": spec.url,
                    "kind": spec.kind.value if spec.kind else None,
                    "guarded": int(guarded),
                    "now": now,
                },
            )
        return await self._one_source(spec.name)

    async def disable_source(self, name: str) -> SourceState | None:
        """Stop polling a source (by name, any case); its articles stay."""
        row = await self._fetchone(
            "SELECT name FROM sources WHERE enabled = 1 AND name = ? COLLATE NOCASE", (name,)
        )
        if row is None:
            return None
        state = await self._one_source(row["name"])
        async with self._transaction() as db:
            await db.execute("UPDATE sources SET enabled = 0 WHERE id = ?", (state.id,))
        return state

    async def _one_source(self, name: str) -> SourceState:
        row = await self._fetchone(f"{SOURCE_SELECT} WHERE s.name = ?", (name,))
        assert row is not None
        return source_from_row(row)
