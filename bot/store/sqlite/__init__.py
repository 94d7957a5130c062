"""The SQLite backend, split by domain: one mixin per module, composed in `store.SqliteStore`.

connection.py     open, pragmas, transactions, sqlite errors as StorageError
schema.py         numbered migrations and the stored forms of JSON values
chats.py          chats and their schedules
subscriptions.py  what chats follow
sources.py        the source list and each source's poll state
articles.py       articles, their tags, stories and retention
outbox.py         pushes from queued to sent
"""

from bot.store.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
