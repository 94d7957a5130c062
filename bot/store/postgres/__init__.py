"""The PostgreSQL backend (asyncpg, a connection pool), split by domain like the SQLite one.

connection.py     the pool, transactions, driver errors as StorageError
schema.py         numbered migrations, and how they map to SQLite's
chats.py          chats and their schedules
subscriptions.py  what chats follow
sources.py        the source list and each source's poll state
articles.py       articles, their tags, stories and retention
outbox.py         pushes from queued to sent
"""

from bot.store.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
