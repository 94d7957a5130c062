"""`SqliteStore`: the per-domain mixins over one connection, plus a poll's chunked write."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

from bot.errors import SchemaError, StorageError
from bot.models import PollIntent, PollRecord
from bot.store.sqlite import schema
from bot.store.sqlite.articles import (
    ArticlesMixin,
    articles_by_id,
    complete_articles,
    insert_article,
)
from bot.store.sqlite.chats import ChatsMixin
from bot.store.sqlite.connection import connect, connect_read_only
from bot.store.sqlite.outbox import OutboxMixin, queue_pushes
from bot.store.sqlite.sources import SourcesMixin, record_poll
from bot.store.sqlite.subscriptions import SubscriptionsMixin

PUSH_CHUNK = 20_000  # pushes per transaction of a poll: ~0.25 s of writing, then a command


class SqliteStore(ChatsMixin, SubscriptionsMixin, SourcesMixin, ArticlesMixin, OutboxMixin):
    """The Store on one SQLite (WAL) file; each method is one atomic step, but `apply`."""

    push_chunk = PUSH_CHUNK

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
        """Store a poll's new articles, their pushes and the source states, a chunk at a time.

        Each transaction queues at most `push_chunk` pushes and lets the commands waiting for
        the store go in between (the lock is fair), so a big poll never holds a reader up for
        longer than one chunk. The articles go in the first transaction, incomplete; the last
        completes them and records the source states. A poll that dies in between leaves its
        sources to be read again and its articles unknown: the next poll queues their pushes
        again, and UNIQUE(chat_id, article_id) keeps those already written once.
        """
        now = self._clock()
        pushes = iter(intent.pushes)
        inserted: dict[str, int] = {}
        queued = 0
        first = True
        while True:
            chunk = list(islice(pushes, self.push_chunk))
            last = len(chunk) < self.push_chunk
            async with self._transaction() as db:
                if first:
                    for article in intent.articles:
                        article_id = await insert_article(db, article, now)
                        if article_id is not None:
                            inserted[article.url_norm] = article_id
                    first = False
                queued += await queue_pushes(db, chunk, inserted, now)
                if last:
                    for poll in intent.polls:
                        await record_poll(db, poll)
                    await complete_articles(db, list(inserted.values()))
                    new_articles = await articles_by_id(db, list(inserted.values()))
                    return PollRecord(new_articles=new_articles, pushes_queued=queued)
