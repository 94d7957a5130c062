"""`SqliteStore`: the per-domain mixins over one connection, plus the poll's one transaction."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bot.errors import SchemaError, StorageError
from bot.models import PollIntent, PollRecord
from bot.store.sqlite import schema
from bot.store.sqlite.articles import ArticlesMixin, articles_by_id, insert_article
from bot.store.sqlite.chats import ChatsMixin
from bot.store.sqlite.connection import connect, connect_read_only
from bot.store.sqlite.outbox import OutboxMixin, queue_pushes
from bot.store.sqlite.sources import SourcesMixin, record_poll
from bot.store.sqlite.subscriptions import SubscriptionsMixin


class SqliteStore(ChatsMixin, SubscriptionsMixin, SourcesMixin, ArticlesMixin, OutboxMixin):
    """The Store on one SQLite (WAL) file; each method is one atomic step."""

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
        db = await connect(path)
        try:
            await schema.migrate(db)
        except BaseException:
            await db.close()
            raise
        return cls(db, clock)

    @classmethod
    async def _open_read_only(cls, path: Path, clock: Callable[[], float]) -> SqliteStore:
        db = await connect_read_only(path)
        try:
            version = await schema.schema_version(db)
        except sqlite3.Error as exc:
            await db.close()
            raise StorageError(f"cannot read database {path}: {exc}") from exc
        if version != schema.LATEST_VERSION:
            await db.close()
            raise SchemaError(
                f"database {path} has schema version {version}, this newsbot reads "
                f"{schema.LATEST_VERSION}: start the bot once to migrate it"
            )
        return cls(db, clock)

    async def schema_version(self) -> int:
        async with self._reading() as db:
            return await schema.schema_version(db)

    async def apply(self, intent: PollIntent) -> PollRecord:
        """Store a poll's source states, new articles and their pushes in one transaction."""
        now = self._clock()
        inserted: dict[str, int] = {}
        async with self._transaction() as db:
            for poll in intent.polls:
                await record_poll(db, poll)
            for article in intent.articles:
                article_id = await insert_article(db, article, now)
                if article_id is not None:
                    inserted[article.url_norm] = article_id
            queued = await queue_pushes(db, intent.pushes, inserted, now)
            new_articles = await articles_by_id(db, list(inserted.values()))
        return PollRecord(new_articles=new_articles, pushes_queued=queued)
