"""Sources in PostgreSQL: the enabled ones (from the file or added in chat) and their poll state."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import SourcePoll, SourceSpec, SourceState
from bot.store.postgres.connection import Connection, PgBase
from bot.store.records import selectors_json, source_from_row

# with the number of stored articles, which /sources shows
SOURCE_SELECT = (
    "SELECT s.id, s.name, s.url, s.kind, s.initialized, s.etag, s.last_modified, "
    "s.last_polled_at, s.last_ok_at, s.last_error, s.failures, s.next_poll_after, s.feed_url, "
    "s.selectors, s.origin, s.guarded, s.body_hash, "
    "(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS article_count "
    "FROM sources s"
)

RECORD_OK = (
    "UPDATE sources s SET kind = COALESCE(p.kind, s.kind), etag = p.etag, "
    "last_modified = p.last_modified, last_polled_at = p.polled_at, last_ok_at = p.polled_at, "
    "last_error = NULL, failures = 0, initialized = TRUE, next_poll_after = p.next_poll_after, "
    "feed_url = p.feed_url, body_hash = p.body_hash "
    "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], "
    "$7::text[], $8::text[]) "
    "AS p(id, kind, etag, last_modified, polled_at, next_poll_after, feed_url, body_hash) "
    "WHERE s.id = p.id"
)
# a discovered feed that fails is looked for again on the page next time; its validators
# belong to the feed: sent to the page they could earn a 304
RECORD_FAILED = (
    "UPDATE sources s SET last_polled_at = p.polled_at, last_error = p.error, "
    "failures = s.failures + 1, next_poll_after = p.next_poll_after, "
    "etag = CASE WHEN s.feed_url IS NULL THEN s.etag END, "
    "last_modified = CASE WHEN s.feed_url IS NULL THEN s.last_modified END, feed_url = NULL "
    "FROM unnest($1::bigint[], $2::float8[], $3::text[], $4::float8[]) "
    "AS p(id, polled_at, error, next_poll_after) WHERE s.id = p.id"
)


async def record_polls(db: Connection, polls: Sequence[SourcePoll]) -> None:
    """Store what the polls left of their sources' state, inside the caller's transaction."""
    ok = [poll for poll in polls if poll.ok]
    failed = [poll for poll in polls if not poll.ok]
    if ok:
        await db.execute(
            RECORD_OK,
            [p.source_id for p in ok],
            [p.kind.value if p.kind else None for p in ok],
            [p.etag for p in ok],
            [p.last_modified for p in ok],
            [p.polled_at for p in ok],
            [p.next_poll_after for p in ok],
            [p.feed_url for p in ok],
            [p.body_hash for p in ok],
        )
    if failed:
        await db.execute(
            RECORD_FAILED,
            [p.source_id for p in failed],
            [p.polled_at for p in failed],
            [p.error for p in failed],
            [p.next_poll_after for p in failed],
        )


class SourcesMixin(PgBase):
    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[SourceState]:
        """Make the file's sources the enabled ones; a changed URL starts that source afresh."""
        now = self._clock()
        async with self._transaction() as db:
            await db.executemany(
                "INSERT INTO sources (name, url, kind, selectors, created_at) "
                "VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (name) DO UPDATE SET "
                "enabled = TRUE, origin = 'file', guarded = FALSE, "
                "selectors = excluded.selectors, "
                "feed_url = CASE WHEN sources.url = excluded.url THEN sources.feed_url END, "
                "kind = CASE WHEN excluded.kind IS NOT NULL THEN excluded.kind "
                "  WHEN sources.url = excluded.url THEN sources.kind END, "
                "initialized = CASE WHEN sources.url = excluded.url "
                "  THEN sources.initialized ELSE FALSE END, "
                "etag = CASE WHEN sources.url = excluded.url THEN sources.etag END, "
                "last_modified = CASE WHEN sources.url = excluded.url "
                "  THEN sources.last_modified END, "
                # new selectors read the same body differently: it must be parsed again
                "body_hash = CASE WHEN sources.url = excluded.url "
                "  AND sources.selectors IS NOT DISTINCT FROM excluded.selectors "
                "  AND (excluded.kind IS NULL OR excluded.kind IS NOT DISTINCT FROM sources.kind) "
                "  THEN sources.body_hash END, "
                "url = excluded.url",
                [
                    (
                        spec.name,
                        spec.url,
                        spec.kind.value if spec.kind else None,
                        selectors_json(spec.selectors),
                        now,
                    )
                    for spec in specs
                ],
            )
            await db.execute(
                "UPDATE sources SET enabled = FALSE WHERE origin = 'file' "
                "AND NOT (name = ANY($1::text[]))",
                [spec.name for spec in specs],
            )
        return await self.list_sources()

    async def list_sources(self) -> list[SourceState]:
        rows = await self._fetch(f'{SOURCE_SELECT} WHERE s.enabled ORDER BY s.name COLLATE "C"')
        return [source_from_row(row) for row in rows]

    async def add_source(self, spec: SourceSpec, *, guarded: bool) -> SourceState:
        """An operator's source added through the bot; re-adding a removed one enables it anew."""
        await self._execute(
            "INSERT INTO sources (name, url, kind, origin, guarded, created_at) "
            "VALUES ($1, $2, $3, 'admin', $4, $5) "
            "ON CONFLICT (name) DO UPDATE SET enabled = TRUE, origin = 'admin', "
            "guarded = excluded.guarded, kind = excluded.kind, feed_url = NULL, "
            "initialized = CASE WHEN sources.url = excluded.url "
            "  THEN sources.initialized ELSE FALSE END, etag = NULL, last_modified = NULL, "
            "body_hash = NULL, url = excluded.url, next_poll_after = 0",
            spec.name,
            spec.url,
            spec.kind.value if spec.kind else None,
            guarded,
            self._clock(),
        )
        return await self._one_source(spec.name)

    async def disable_source(self, name: str) -> SourceState | None:
        """Stop polling a source (by name, any case); its articles stay."""
        row = await self._fetchrow(
            "SELECT name FROM sources WHERE enabled AND lower(name) = lower($1) "
            'ORDER BY name COLLATE "C" LIMIT 1',
            name,
        )
        if row is None:
            return None
        state = await self._one_source(row["name"])
        await self._execute("UPDATE sources SET enabled = FALSE WHERE id = $1", state.id)
        return state

    async def _one_source(self, name: str) -> SourceState:
        row = await self._fetchrow(f"{SOURCE_SELECT} WHERE s.name = $1", name)
        assert row is not None
        return source_from_row(row)
