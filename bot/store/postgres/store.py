"""`PostgresStore`: the per-domain mixins over one connection pool, plus the poll's transaction."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.errors import SchemaError
from bot.models import PollIntent, PollRecord
from bot.store.postgres import schema
from bot.store.postgres.articles import ArticlesMixin, articles_by_id, insert_articles
from bot.store.postgres.chats import ChatsMixin
from bot.store.postgres.connection import Connection, connect_pool, redacted, storage_errors
from bot.store.postgres.outbox import OutboxMixin, queue_pushes
from bot.store.postgres.sources import SourcesMixin, record_polls
from bot.store.postgres.subscriptions import SubscriptionsMixin


class PostgresStore(ChatsMixin, SubscriptionsMixin, SourcesMixin, ArticlesMixin, OutboxMixin):
    """The Store on a PostgreSQL database; each method is one transaction."""

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        clock: Callable[[], float] = time.time,
        read_only: bool = False,
    ) -> PostgresStore:
        """Connect and bring the schema up to date.

        `read_only` is for report commands: the database must be at this code's schema
        version, and nothing is created, migrated or written.
        """
        pool = await connect_pool(url, read_only=read_only)
        try:
            async with pool.acquire() as db:
                if read_only:
                    await _check_version(db, url)
                else:
                    await schema.migrate(db)
        except BaseException:
            await pool.close()
            raise
        return cls(pool, clock)

    async def schema_version(self) -> int:
        async with storage_errors(), self._pool.acquire() as db:
            return await schema.schema_version(db)

    async def apply(self, intent: PollIntent) -> PollRecord:
        """Store a poll's source states, new articles and their pushes in one transaction.

        Every step is one set-based statement (pushes in chunks of PUSH_CHUNK): readers never
        wait for it (MVCC), and the rows it locks are only those it inserts or updates.
        """
        now = self._clock()
        async with self._transaction() as db:
            await record_polls(db, intent.polls)
            inserted = await insert_articles(db, intent.articles, now)
            queued = await queue_pushes(db, intent.pushes, inserted, now)
            new_articles = await articles_by_id(db, sorted(inserted.values()))
        return PollRecord(new_articles=new_articles, pushes_queued=queued)


async def _check_version(db: Connection, url: str) -> None:
    async with storage_errors():
        version = await schema.schema_version(db)
    if version != schema.LATEST_VERSION:
        raise SchemaError(
            f"database {redacted(url)} has schema version {version}, this newsbot reads "
            f"{schema.LATEST_VERSION}: start the bot once to migrate it"
        )
