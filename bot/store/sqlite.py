"""SQLite (WAL) implementation of the Store: every parameterised SQL statement of newsbot."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import SchemaError, StorageError
from bot.models import (
    ArticleText,
    Chat,
    DeliveryStats,
    ListingSelectors,
    PendingPush,
    PollIntent,
    PollRecord,
    RecentStory,
    Schedule,
    SourceKind,
    SourcePoll,
    SourceSpec,
    SourceState,
    StoredArticle,
    Subscriber,
    Subscription,
    Target,
    TargetKind,
)
from bot.store.schema import LATEST_VERSION, MIGRATIONS

ARTICLE_COLUMNS = (
    "a.id, s.name, a.url, a.title, a.teaser, a.published_at, a.first_seen_at, a.countries, a.topics"
)
WHY_COLUMNS = "a.url, a.title, a.teaser, a.categories, a.countries, a.topics"
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)
SOURCE_COLUMNS = (
    "s.id, s.name, s.url, s.kind, s.initialized, s.etag, s.last_modified, s.last_polled_at, "
    "s.last_ok_at, s.last_error, s.failures, s.next_poll_after, s.feed_url, s.selectors, "
    "s.origin, s.guarded"
)


def _article(row: Sequence[Any]) -> StoredArticle:
    return StoredArticle(
        id=row[0],
        source_name=row[1],
        url=row[2],
        title=row[3],
        teaser=row[4],
        published_at=row[5],
        first_seen_at=row[6],
        countries=tuple(row[7].split()),
        topics=tuple(row[8].split()),
    )


def _article_text(row: Sequence[Any]) -> ArticleText:
    try:
        categories = tuple(str(name) for name in json.loads(row[3] or "[]"))
    except (ValueError, TypeError):
        categories = ()
    return ArticleText(
        url=row[0],
        title=row[1],
        teaser=row[2],
        categories=categories,
        countries=tuple(row[4].split()),
        topics=tuple(row[5].split()),
    )


def _source(row: Sequence[Any]) -> SourceState:
    return SourceState(
        id=row[0],
        name=row[1],
        url=row[2],
        kind=SourceKind(row[3]) if row[3] else None,
        initialized=bool(row[4]),
        etag=row[5],
        last_modified=row[6],
        last_polled_at=row[7],
        last_ok_at=row[8],
        last_error=row[9],
        failures=row[10],
        next_poll_after=row[11],
        feed_url=row[12],
        selectors=_selectors_from_json(row[13]),
        origin=row[14],
        guarded=bool(row[15]),
        article_count=row[16] if len(row) > 16 else 0,
    )


def _selectors_json(selectors: ListingSelectors | None) -> str | None:
    if selectors is None:
        return None
    fields = ("item", "title", "link", "teaser", "date", "author")
    return json.dumps({f: getattr(selectors, f) for f in fields if getattr(selectors, f)})


def _selectors_from_json(text: str | None) -> ListingSelectors | None:
    if not text:
        return None
    try:
        return ListingSelectors(**json.loads(text))
    except (ValueError, TypeError):  # written by other code: ignore rather than stop polling
        return None


def _chat(row: Sequence[Any]) -> Chat:
    return Chat(id=row[0], type=row[1], title=row[2], active=bool(row[3]), paused=bool(row[4]))


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _read_only_uri(path: Path) -> str:
    """A URI that opens an existing file without creating or writing it."""
    if not path.is_file():
        raise StorageError(f"no database at {path}: the bot has not run with this DATABASE_URL")
    return f"{path.resolve().as_uri()}?mode=ro"


class SqliteStore:
    """One aiosqlite connection; a lock makes each method one atomic step."""

    def __init__(self, connection: aiosqlite.Connection, clock: Callable[[], float]) -> None:
        self._db = connection
        self._lock = asyncio.Lock()
        self._clock = clock

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        clock: Callable[[], float] = time.time,
        read_only: bool = False,
    ) -> SqliteStore:
        """Connect, switch to WAL and bring the schema up to date.

        `read_only` is for report commands: the file must exist at this code's schema version,
        and nothing is created, migrated or written.
        """
        if read_only:
            return await cls._open_read_only(Path(path), clock)
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            db = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        try:
            for pragma in PRAGMAS:
                await db.execute(pragma)
        except sqlite3.Error as exc:
            await db.close()
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        store = cls(db, clock)
        try:
            await store.migrate()
        except BaseException:
            await db.close()
            raise
        return store

    @classmethod
    async def _open_read_only(cls, path: Path, clock: Callable[[], float]) -> SqliteStore:
        try:
            db = await aiosqlite.connect(_read_only_uri(path), uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        store = cls(db, clock)
        try:
            await db.execute("PRAGMA busy_timeout=5000")
            version = await store.schema_version()
        except (sqlite3.Error, StorageError) as exc:
            await db.close()
            raise StorageError(f"cannot read database {path}: {exc}") from exc
        if version != LATEST_VERSION:
            await db.close()
            raise SchemaError(
                f"database {path} has schema version {version}, this newsbot reads "
                f"{LATEST_VERSION}: start the bot once to migrate it"
            )
        return store

    async def close(self) -> None:
        await self._db.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            try:
                await self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    await self._db.execute("ROLLBACK")
                    raise
                await self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StorageError(str(exc)) from exc

    async def _fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        async with self._lock:
            try:
                async with self._db.execute(sql, tuple(params)) as cursor:
                    return list(await cursor.fetchall())
            except sqlite3.Error as exc:
                raise StorageError(str(exc)) from exc

    # schema

    async def schema_version(self) -> int:
        rows = await self._fetchall("PRAGMA user_version")
        return int(rows[0][0])

    async def migrate(self) -> None:
        """Apply the missing migrations in one transaction; refuse a database from newer code."""
        version = await self.schema_version()
        if version > LATEST_VERSION:
            raise SchemaError(
                f"database schema version {version} is newer than this newsbot "
                f"(knows up to {LATEST_VERSION}); upgrade newsbot"
            )
        if version == LATEST_VERSION:
            return
        async with self._transaction() as db:
            for number in sorted(n for n in MIGRATIONS if n > version):
                for statement in MIGRATIONS[number]:
                    await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {LATEST_VERSION}")

    # chats

    async def upsert_chat(self, chat_id: int, chat_type: str, title: str) -> Chat:
        """Remember a chat that spoke to us; speaking again re-activates a chat that had left."""
        now = self._clock()
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO chats (id, type, title, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title, "
                "active = 1, inactive_reason = NULL, updated_at = excluded.updated_at",
                (chat_id, chat_type, title, now, now),
            )
            async with db.execute(
                "SELECT id, type, title, active, paused FROM chats WHERE id = ?", (chat_id,)
            ) as cursor:
                row = await cursor.fetchone()
        assert row is not None
        return _chat(row)

    async def get_chat(self, chat_id: int) -> Chat | None:
        rows = await self._fetchall(
            "SELECT id, type, title, active, paused FROM chats WHERE id = ?", (chat_id,)
        )
        return _chat(rows[0]) if rows else None

    async def get_schedule(self, chat_id: int) -> Schedule:
        rows = await self._fetchall(
            "SELECT tz_offset_minutes, quiet_start, quiet_end, digest_hour FROM chats WHERE id = ?",
            (chat_id,),
        )
        return Schedule(*rows[0]) if rows else Schedule()

    async def set_schedule(self, chat_id: int, schedule: Schedule) -> None:
        """Save a chat's schedule; back to immediate delivery, what was held goes out now."""
        async with self._transaction() as db:
            if schedule.immediate:
                await db.execute(
                    "UPDATE pushes SET next_attempt_at = 0 WHERE chat_id = ? "
                    "AND status = 'pending' AND batch LIKE 'held%'",
                    (chat_id,),
                )
            await db.execute(
                "UPDATE chats SET tz_offset_minutes = ?, quiet_start = ?, quiet_end = ?, "
                "digest_hour = ? WHERE id = ?",
                (
                    schedule.tz_offset_minutes,
                    schedule.quiet_start,
                    schedule.quiet_end,
                    schedule.digest_hour,
                    chat_id,
                ),
            )

    async def schedules(self) -> dict[int, Schedule]:
        """Active chats that hold pushes back (quiet hours or a daily digest); few, usually."""
        rows = await self._fetchall(
            "SELECT id, tz_offset_minutes, quiet_start, quiet_end, digest_hour FROM chats "
            "WHERE active = 1 AND (quiet_start IS NOT NULL OR digest_hour IS NOT NULL)"
        )
        return {row[0]: Schedule(*row[1:]) for row in rows}

    async def set_paused(self, chat_id: int, paused: bool) -> None:
        async with self._transaction() as db:
            await db.execute("UPDATE chats SET paused = ? WHERE id = ?", (int(paused), chat_id))

    async def deactivate_chat(self, chat_id: int, reason: str) -> None:
        """Stop all sending to a chat that blocked us or is gone; its queued pushes fail."""
        async with self._transaction() as db:
            await db.execute(
                "UPDATE chats SET active = 0, inactive_reason = ? WHERE id = ?", (reason, chat_id)
            )
            await db.execute(
                "UPDATE pushes SET status = 'failed', last_error = ? "
                "WHERE chat_id = ? AND status = 'pending'",
                (f"chat inactive: {reason}", chat_id),
            )

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Follow a group that became a supergroup, keeping its subscriptions and queue."""
        async with self._transaction() as db:
            async with db.execute("SELECT 1 FROM chats WHERE id = ?", (new_id,)) as cursor:
                exists = await cursor.fetchone() is not None
            if not exists:
                await db.execute(
                    "UPDATE chats SET id = ?, type = 'supergroup' WHERE id = ?", (new_id, old_id)
                )
                return
            await db.execute(
                "INSERT OR IGNORE INTO subscriptions (chat_id, kind, value, label, created_at) "
                "SELECT ?, kind, value, label, created_at FROM subscriptions WHERE chat_id = ?",
                (new_id, old_id),
            )
            await db.execute(
                "UPDATE OR IGNORE pushes SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
            )
            await db.execute("DELETE FROM chats WHERE id = ?", (old_id,))

    # subscriptions

    async def add_subscriptions(self, chat_id: int, targets: Sequence[Target]) -> list[Target]:
        """Subscribe; returns only the targets that were not already followed."""
        now = self._clock()
        added: list[Target] = []
        async with self._transaction() as db:
            for target in targets:
                cursor = await db.execute(
                    "INSERT OR IGNORE INTO subscriptions (chat_id, kind, value, label, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (chat_id, target.kind.value, target.value, target.label, now),
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
        return [
            Subscription(
                chat_id=row[0],
                target=Target(TargetKind(row[1]), row[2], row[3]),
                created_at=row[4],
            )
            for row in rows
        ]

    async def subscribers(self, kind: TargetKind, values: Sequence[str]) -> list[Subscriber]:
        """Active, unpaused chats following any of `values`, via the (kind, value) index."""
        if not values:
            return []
        rows = await self._fetchall(
            "SELECT s.chat_id, s.value FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
            f"WHERE s.kind = ? AND s.value IN ({_marks(len(values))}) "
            "AND c.active = 1 AND c.paused = 0",
            (kind.value, *values),
        )
        return [Subscriber(row[0], kind, row[1]) for row in rows]

    async def keyword_subscribers(self) -> list[Subscriber]:
        rows = await self._fetchall(
            "SELECT s.chat_id, s.value FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
            "WHERE s.kind = 'keyword' AND c.active = 1 AND c.paused = 0"
        )
        return [Subscriber(row[0], TargetKind.KEYWORD, row[1]) for row in rows]

    async def filter_subscribers(self) -> list[Subscriber]:
        """Every active chat's boolean filters; each is evaluated against new articles."""
        rows = await self._fetchall(
            "SELECT s.chat_id, s.value FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
            "WHERE s.kind = 'filter' AND c.active = 1 AND c.paused = 0"
        )
        return [Subscriber(row[0], TargetKind.FILTER, row[1]) for row in rows]

    # sources
    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[SourceState]:
        """Make the file's sources the enabled ones; a changed URL starts that source afresh."""
        now = self._clock()
        async with self._transaction() as db:
            for spec in specs:
                kind = spec.kind.value if spec.kind else None
                await db.execute(
                    "INSERT INTO sources (name, url, kind, selectors, created_at) "
                    "VALUES (?, ?, ?, ?, ?) "
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
                    "url = excluded.url",
                    (spec.name, spec.url, kind, _selectors_json(spec.selectors), now),
                )
            names = [spec.name for spec in specs]
            await db.execute(
                f"UPDATE sources SET enabled = 0 WHERE origin = 'file' "
                f"AND name NOT IN ({_marks(len(names))})",
                names,
            )
        return await self.list_sources()

    async def list_sources(self) -> list[SourceState]:
        rows = await self._fetchall(
            f"SELECT {SOURCE_COLUMNS}, "
            "(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) "
            "FROM sources s WHERE s.enabled = 1 ORDER BY s.name"
        )
        return [_source(row) for row in rows]

    async def add_source(self, spec: SourceSpec, *, guarded: bool) -> SourceState:
        """An operator's source added through the bot; re-adding a removed one enables it anew."""
        now = self._clock()
        kind = spec.kind.value if spec.kind else None
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO sources (name, url, kind, origin, guarded, created_at) "
                "VALUES (?, ?, ?, 'admin', ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET enabled = 1, origin = 'admin', "
                "guarded = excluded.guarded, kind = excluded.kind, feed_url = NULL, "
                "initialized = CASE WHEN sources.url = excluded.url "
                "  THEN sources.initialized ELSE 0 END, etag = NULL, last_modified = NULL, "
                "url = excluded.url, next_poll_after = 0",
                (spec.name, spec.url, kind, int(guarded), now),
            )
        return await self._one_source(spec.name)

    async def disable_source(self, name: str) -> SourceState | None:
        """Stop polling a source (by name, any case); its articles stay."""
        rows = await self._fetchall(
            "SELECT name FROM sources WHERE enabled = 1 AND name = ? COLLATE NOCASE", (name,)
        )
        if not rows:
            return None
        state = await self._one_source(rows[0][0])
        async with self._transaction() as db:
            await db.execute("UPDATE sources SET enabled = 0 WHERE id = ?", (state.id,))
        return state

    async def _one_source(self, name: str) -> SourceState:
        rows = await self._fetchall(
            f"SELECT {SOURCE_COLUMNS}, "
            "(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) "
            "FROM sources s WHERE s.name = ?",
            (name,),
        )
        return _source(rows[0])

    # articles and the outbox

    async def unknown_urls(self, url_norms: Sequence[str]) -> set[str]:
        """The subset of `url_norms` not stored yet, so only new articles are matched."""
        unknown = set(url_norms)
        for start in range(0, len(url_norms), 500):
            chunk = url_norms[start : start + 500]
            rows = await self._fetchall(
                f"SELECT url_norm FROM articles WHERE url_norm IN ({_marks(len(chunk))})", chunk
            )
            unknown.difference_update(row[0] for row in rows)
            rows = await self._fetchall(
                f"SELECT url_norm FROM pruned_urls WHERE url_norm IN ({_marks(len(chunk))})",
                chunk,
            )
            unknown.difference_update(row[0] for row in rows)
        return unknown

    async def apply(self, intent: PollIntent) -> PollRecord:
        """Store a poll's source states, new articles and their pushes in one transaction."""
        polls, articles, pushes = intent.polls, intent.articles, intent.pushes
        now = self._clock()
        inserted: dict[str, int] = {}
        async with self._transaction() as db:
            for poll in polls:
                await self._record_source(db, poll)
            for article in articles:
                cursor = await db.execute(
                    "INSERT OR IGNORE INTO articles (source_id, guid, url, url_norm, title, "
                    "teaser, author, published_at, first_seen_at, countries, topics) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.source_id,
                        article.guid,
                        article.url,
                        article.url_norm,
                        article.title,
                        article.teaser,
                        article.author,
                        article.published_at,
                        now,
                        " ".join(article.countries),
                        " ".join(article.topics),
                    ),
                )
                if not cursor.rowcount or cursor.lastrowid is None:
                    continue
                inserted[article.url_norm] = article_id = cursor.lastrowid
                if article.categories:
                    await db.execute(
                        "UPDATE articles SET categories = ? WHERE id = ?",
                        (json.dumps(list(article.categories), ensure_ascii=False), article_id),
                    )
                await db.execute(
                    "UPDATE articles SET story_id = COALESCE("
                    "(SELECT story_id FROM articles WHERE url_norm = ?), id) WHERE id = ?",
                    (article.story_key, article_id),
                )
                await db.executemany(
                    "INSERT OR IGNORE INTO article_tags (article_id, kind, value) VALUES (?, ?, ?)",
                    [(article_id, "country", code) for code in article.countries]
                    + [(article_id, "topic", slug) for slug in article.topics],
                )
            cursor = await db.executemany(  # one push per story: syndicated copies are skipped
                "INSERT OR IGNORE INTO pushes "
                "(chat_id, article_id, batch, next_attempt_at, created_at) "
                "SELECT id, ?, ?, ?, ? FROM chats WHERE id = ? AND active = 1 "
                # from the story's few articles to this chat's pushes, by index both ways
                "AND NOT EXISTS (SELECT 1 FROM articles a JOIN pushes p "
                "ON p.article_id = a.id AND p.chat_id = chats.id "
                "WHERE a.story_id = (SELECT story_id FROM articles WHERE id = ?))",
                (
                    (
                        inserted[push.url_norm],
                        push.batch,
                        push.not_before,
                        now,
                        push.chat_id,
                        inserted[push.url_norm],
                    )
                    for push in pushes
                    if push.url_norm in inserted
                ),
            )
            queued = max(cursor.rowcount, 0)
            ids = list(inserted.values())
            new_articles: list[StoredArticle] = []
            if ids:
                async with db.execute(
                    f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s "
                    f"ON s.id = a.source_id WHERE a.id IN ({_marks(len(ids))}) ORDER BY a.id",
                    ids,
                ) as cursor:
                    new_articles = [_article(row) for row in await cursor.fetchall()]
        return PollRecord(new_articles=new_articles, pushes_queued=queued)

    @staticmethod
    async def _record_source(db: aiosqlite.Connection, poll: SourcePoll) -> None:
        if poll.ok:
            await db.execute(
                "UPDATE sources SET kind = COALESCE(?, kind), etag = ?, last_modified = ?, "
                "last_polled_at = ?, last_ok_at = ?, last_error = NULL, failures = 0, "
                "initialized = 1, next_poll_after = ?, feed_url = ? WHERE id = ?",
                (
                    poll.kind.value if poll.kind else None,
                    poll.etag,
                    poll.last_modified,
                    poll.polled_at,
                    poll.polled_at,
                    poll.next_poll_after,
                    poll.feed_url,
                    poll.source_id,
                ),
            )
        else:  # a discovered feed that fails is looked for again on the page next time
            await db.execute(
                "UPDATE sources SET last_polled_at = ?, last_error = ?, failures = failures + 1, "
                "next_poll_after = ?, "
                # the validators belong to the feed: sent to the page they could earn a 304
                "etag = CASE WHEN feed_url IS NULL THEN etag END, "
                "last_modified = CASE WHEN feed_url IS NULL THEN last_modified END, "
                "feed_url = NULL WHERE id = ?",
                (poll.polled_at, poll.error, poll.next_poll_after, poll.source_id),
            )

    async def articles_for_message(self, chat_id: int, message_id: int) -> list[ArticleText]:
        """The article(s) of a message we pushed to a chat (a digest holds several), for /why."""
        rows = await self._fetchall(
            f"SELECT {WHY_COLUMNS} FROM pushes p JOIN articles a ON a.id = p.article_id "
            "WHERE p.chat_id = ? AND p.message_id = ? ORDER BY p.id",
            (chat_id, message_id),
        )
        return [_article_text(row) for row in rows]

    async def article_by_url(self, url_norm: str) -> ArticleText | None:
        """A stored article by its normalised URL, for /why URL."""
        rows = await self._fetchall(
            f"SELECT {WHY_COLUMNS} FROM articles a WHERE a.url_norm = ?", (url_norm,)
        )
        return _article_text(rows[0]) if rows else None

    async def recent_articles(self, limit: int) -> list[StoredArticle]:
        rows = await self._fetchall(
            f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "
            "ORDER BY a.first_seen_at DESC, COALESCE(a.published_at, 0) DESC, a.id DESC LIMIT ?",
            (limit,),
        )
        return [_article(row) for row in rows]

    async def recent_stories(self, since: float) -> list[RecentStory]:
        """Articles first seen since `since`, for grouping syndicated copies of a story."""
        rows = await self._fetchall(
            "SELECT a.url_norm, a.source_id, s.name, a.title, a.teaser FROM articles a "
            "JOIN sources s ON s.id = a.source_id WHERE a.first_seen_at >= ? "
            "ORDER BY a.first_seen_at, a.id",
            (since,),
        )
        return [RecentStory(row[0], row[1], row[2], row[3], row[4]) for row in rows]

    async def prune_articles(self, before: float) -> int:
        """Delete articles first seen before `before` with their tags and pushes."""
        now = self._clock()
        async with self._transaction() as db:
            # Remember pruned addresses (for 4 retention periods) so a feed that still lists
            # an old article does not make it news again.
            await db.execute(
                "INSERT OR REPLACE INTO pruned_urls (url_norm, pruned_at) "
                "SELECT url_norm, ? FROM articles WHERE first_seen_at < ?",
                (now, before),
            )
            cursor = await db.execute("DELETE FROM articles WHERE first_seen_at < ?", (before,))
            deleted = cursor.rowcount
            await db.execute(
                "DELETE FROM pruned_urls WHERE pruned_at < ?", (now - 4 * (now - before),)
            )
        return deleted

    async def due_pushes(self, limit: int, per_chat: int = 30) -> list[PendingPush]:
        """Due pushes of the `limit` chats waiting longest, at most `per_chat` each, oldest first.

        Taking chats rather than rows means one chat with a long queue can't hold up the rest;
        a push waiting to be retried holds back its chat's newer ones, so a chat's pushes keep
        their order; paused chats keep their queue until they resume. Both steps run along
        partial indexes, so a pass costs what it returns, not the size of the backlog.
        """
        now = self._clock()
        rows: list[sqlite3.Row] = []
        async with self._lock:
            try:
                chats = await self._waiting_chats(now, limit)
                for chat_id in chats:
                    async with self._db.execute(
                        f"SELECT p.id, p.chat_id, c.type, p.batch, p.attempts, {ARTICLE_COLUMNS} "
                        "FROM pushes p INDEXED BY pushes_pending "
                        "JOIN chats c ON c.id = p.chat_id "
                        "JOIN articles a ON a.id = p.article_id "
                        "JOIN sources s ON s.id = a.source_id "
                        "WHERE p.chat_id = ? AND p.status = 'pending' AND p.next_attempt_at <= ? "
                        "AND p.id < COALESCE((SELECT MIN(r.id) FROM pushes r "
                        "  INDEXED BY pushes_pending WHERE r.chat_id = ? "
                        "  AND r.status = 'pending' AND r.attempts > 0 "
                        "  AND r.next_attempt_at > ?), 9223372036854775807) "
                        "ORDER BY p.id LIMIT ?",
                        (chat_id, now, chat_id, now, per_chat),
                    ) as cursor:
                        rows.extend(await cursor.fetchall())
            except sqlite3.Error as exc:
                raise StorageError(str(exc)) from exc
        rows.sort(key=lambda row: int(row[0]))
        also_in = await self._also_in([row[5] for row in rows])
        return [
            PendingPush(
                id=row[0],
                chat_id=row[1],
                chat_type=row[2],
                batch=row[3],
                attempts=row[4],
                article=replace(_article(row[5:]), also_in=also_in.get(row[5], ())),
            )
            for row in rows
        ]

    async def _waiting_chats(self, now: float, limit: int) -> list[int]:
        """The active, unpaused chats whose oldest due push is oldest; the caller holds the lock."""
        chats: list[int] = []
        seen: set[int] = set()
        async with self._db.execute(
            "SELECT p.chat_id FROM pushes p INDEXED BY pushes_pending_by_id "
            "CROSS JOIN chats c ON c.id = p.chat_id "
            "WHERE p.status = 'pending' AND p.next_attempt_at <= ? "
            "AND c.active = 1 AND c.paused = 0 ORDER BY p.id",
            (now,),
        ) as cursor:
            cursor.arraysize = 512  # fetched in chunks, not one thread hop per row
            async for (chat_id,) in cursor:
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
            "SELECT DISTINCT a.id, s2.name FROM articles a "
            "JOIN articles a2 ON a2.story_id = a.story_id AND a2.source_id != a.source_id "
            "JOIN sources s2 ON s2.id = a2.source_id "
            f"WHERE a.id IN ({_marks(len(article_ids))}) ORDER BY a.id, a2.id",
            article_ids,
        )
        found: dict[int, list[str]] = {}
        for article_id, name in rows:
            names = found.setdefault(article_id, [])
            if name not in names:
                names.append(name)
        return {article_id: tuple(names) for article_id, names in found.items()}

    async def mark_sent(self, push_ids: Sequence[int], message_id: int | None) -> None:
        now = self._clock()
        async with self._transaction() as db:
            await db.execute(
                f"UPDATE pushes SET status = 'sent', sent_at = ?, message_id = ?, attempts = "
                f"attempts + 1 WHERE id IN ({_marks(len(push_ids))})",
                (now, message_id, *push_ids),
            )

    async def mark_retry(self, push_ids: Sequence[int], error: str, delay_seconds: float) -> None:
        """Keep pushes pending after a transient failure, due again after `delay_seconds`."""
        next_attempt_at = self._clock() + delay_seconds
        async with self._transaction() as db:
            await db.execute(
                f"UPDATE pushes SET last_error = ?, next_attempt_at = ?, "
                f"attempts = attempts + 1 WHERE id IN ({_marks(len(push_ids))})",
                (error, next_attempt_at, *push_ids),
            )

    async def mark_failed(self, push_ids: Sequence[int], error: str) -> None:
        async with self._transaction() as db:
            await db.execute(
                f"UPDATE pushes SET status = 'failed', last_error = ?, attempts = attempts + 1 "
                f"WHERE id IN ({_marks(len(push_ids))})",
                (error, *push_ids),
            )

    async def delivery_stats(self) -> DeliveryStats:
        now = self._clock()
        (counts,) = await self._fetchall(
            "SELECT "
            "(SELECT COUNT(*) FROM pushes WHERE status = 'pending'), "
            "(SELECT COUNT(*) FROM pushes WHERE status = 'pending' AND next_attempt_at > ?), "
            "(SELECT COUNT(*) FROM pushes WHERE status = 'sent' AND sent_at >= ?), "
            "(SELECT COUNT(*) FROM pushes WHERE status = 'failed'), "
            "(SELECT COUNT(*) FROM chats WHERE active = 1), "
            "(SELECT COUNT(*) FROM chats WHERE active = 0)",
            (now, now - 86_400),
        )
        reasons = await self._fetchall(
            "SELECT COALESCE(last_error, '?'), COUNT(*) FROM pushes WHERE status = 'failed' "
            "GROUP BY 1 ORDER BY 2 DESC LIMIT 5"
        )
        pending, held, sent, failed, active, inactive = counts
        return DeliveryStats(
            pending, held, sent, failed, active, inactive, [(r[0], r[1]) for r in reasons]
        )

    async def pending_count(self) -> int:
        rows = await self._fetchall("SELECT COUNT(*) FROM pushes WHERE status = 'pending'")
        return int(rows[0][0])
