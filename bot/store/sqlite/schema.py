"""The schema as numbered migrations; `PRAGMA user_version` holds the last one applied.

A migration is a tuple of steps, run in order in one transaction with the others that are
missing: a step is an SQL statement, or an async function of the connection for what SQL
cannot say (rewriting stored JSON). Migrations are frozen snapshots: once released a step
never changes, and it never imports live code (a step that needs a parser carries its own).

Stored forms of the values SQL cannot see into:

- `articles.countries`, `articles.topics`: space-separated ISO 3166-1 alpha-2 codes and topic
  slugs, most relevant first; the same tags, one row each, in `article_tags` (indexed by
  kind and value, which is how /latest finds a country's articles).
- `articles.categories`: a JSON list of the item's own category names.
- `sources.selectors`: a JSON object of CSS selectors, keys as in ListingSelectors.
- `articles.complete`: 0 from the first to the last transaction of a poll whose pushes
  take several (see `SqliteStore.apply`); such an article is not yet known to the poller,
  so a poll that died half way is read and queued again, the pushes already written kept.
- `pushes.held`: 1 when the chat's quiet hours or daily digest hold the push back until
  `next_attempt_at`; going back to immediate delivery releases it.
- `subscriptions.value` of kind `filter`, version 2 (since migration 7):

      {"tree":NODE,"v":2}
      NODE := {"term":[KIND,VALUE]} | {"and":[NODE,...]} | {"or":[NODE,...]} | {"not":NODE}

  KIND is a target kind (country, topic, region, keyword) and VALUE its stored value.
  Serialised as json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
  so one filter has one text and UNIQUE(chat_id, kind, value) sees duplicates. Version 1
  was a bare JSON list: ["t",KIND,VALUE] | ["and",[NODE,...]] | ["or",[NODE,...]] |
  ["not",NODE]; migration 7 rewrote those rows.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import aiosqlite

from bot.errors import SchemaError, StorageError
from bot.store.sqlite.connection import transaction

Step = str | Callable[[aiosqlite.Connection], Awaitable[None]]

V1: tuple[Step, ...] = (
    """
CREATE TABLE chats (
    id          INTEGER PRIMARY KEY,            -- Telegram chat id
    type        TEXT    NOT NULL,               -- private | group | supergroup | channel
    title       TEXT    NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,     -- 0: blocked us or vanished, nothing is sent
    paused      INTEGER NOT NULL DEFAULT 0,
    inactive_reason TEXT,
    created_at  REAL    NOT NULL,
    updated_at  REAL    NOT NULL
)
""",
    """
CREATE TABLE subscriptions (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
    kind        TEXT    NOT NULL,               -- country | topic | keyword
    value       TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    created_at  REAL    NOT NULL,
    UNIQUE (chat_id, kind, value)
)
""",
    """
CREATE INDEX subscriptions_by_target ON subscriptions (kind, value)
""",
    """
CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    url             TEXT    NOT NULL,
    kind            TEXT,                       -- rss | atom | html, NULL until detected
    origin          TEXT    NOT NULL DEFAULT 'file',
    enabled         INTEGER NOT NULL DEFAULT 1,
    initialized     INTEGER NOT NULL DEFAULT 0, -- 1 once the backlog has been recorded
    etag            TEXT,
    last_modified   TEXT,
    last_polled_at  REAL,
    last_ok_at      REAL,
    last_error      TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    next_poll_after REAL    NOT NULL DEFAULT 0,
    created_at      REAL    NOT NULL
)
""",
    """
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    guid          TEXT,
    url           TEXT    NOT NULL,
    url_norm      TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL,
    teaser        TEXT    NOT NULL,
    author        TEXT,
    published_at  REAL,
    first_seen_at REAL    NOT NULL,
    countries     TEXT    NOT NULL DEFAULT '',  -- space separated ISO2, most relevant first
    topics        TEXT    NOT NULL DEFAULT '',  -- space separated slugs
    UNIQUE (source_id, guid)
)
""",
    """
CREATE INDEX articles_by_seen ON articles (first_seen_at DESC)
""",
    """
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    PRIMARY KEY (kind, value, article_id)
) WITHOUT ROWID
""",
    """
CREATE TABLE pushes (
    id              INTEGER PRIMARY KEY,        -- send order: oldest first
    chat_id         INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    batch           TEXT,                       -- pushes sharing a batch go out as one digest
    status          TEXT    NOT NULL DEFAULT 'pending',  -- pending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL    NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      REAL    NOT NULL,
    sent_at         REAL,
    message_id      INTEGER,
    UNIQUE (chat_id, article_id)
)
""",
    """
CREATE INDEX pushes_due ON pushes (status, next_attempt_at, id)
""",
)

# 2: sources that survive the real web (issue 3): a discovered feed, per-source listing
# selectors, SSRF-guarded admin sources, syndicated stories, and retention tombstones.
V2: tuple[Step, ...] = (
    "ALTER TABLE sources ADD COLUMN feed_url TEXT",  # the feed found on the page, if any
    "ALTER TABLE sources ADD COLUMN selectors TEXT",  # JSON: per-source CSS selectors
    "ALTER TABLE sources ADD COLUMN guarded INTEGER NOT NULL DEFAULT 0",  # 1: public hosts only
    "ALTER TABLE articles ADD COLUMN story_id INTEGER",  # the first article of its story
    "UPDATE articles SET story_id = id",
    "CREATE INDEX articles_by_story ON articles (story_id)",
    """
CREATE TABLE pruned_urls (
    url_norm  TEXT PRIMARY KEY,                 -- a pruned article, so it is not news again
    pruned_at REAL NOT NULL
) WITHOUT ROWID
""",
)

V3: tuple[Step, ...] = (
    # JSON list of the item's own <category>/tag names, kept for /why
    "ALTER TABLE articles ADD COLUMN categories TEXT NOT NULL DEFAULT '[]'",
)

V4: tuple[Step, ...] = (
    # a chat's delivery schedule: its UTC offset, quiet hours and daily digest hour (local)
    "ALTER TABLE chats ADD COLUMN tz_offset_minutes INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE chats ADD COLUMN quiet_start INTEGER",
    "ALTER TABLE chats ADD COLUMN quiet_end INTEGER",
    "ALTER TABLE chats ADD COLUMN digest_hour INTEGER",
)

V5: tuple[Step, ...] = (
    # deleting old articles cascades to their pushes and tags: find them without a scan
    "CREATE INDEX pushes_by_article ON pushes (article_id)",
    "CREATE INDEX article_tags_by_article ON article_tags (article_id)",
    # the sender's questions: which chats wait longest (walked in id order), and each one's
    # oldest pending pushes
    "CREATE INDEX pushes_pending_by_id ON pushes (id, next_attempt_at, chat_id) "
    "WHERE status = 'pending'",
    "CREATE INDEX pushes_pending ON pushes (chat_id, id) WHERE status = 'pending'",
)

V6: tuple[Step, ...] = (
    # a hold is a column, not a batch name: `held…` batches were the only holds
    "ALTER TABLE pushes ADD COLUMN held INTEGER NOT NULL DEFAULT 0",
    "UPDATE pushes SET held = 1 WHERE batch LIKE 'held%'",
)

FILTER_MAX_NESTING = 64  # far beyond what the parser writes; deeper is not a filter of ours


def filter_v1_to_v2(value: str) -> str | None:
    """A version 1 filter in its version 2 text; None when `value` is not a version 1 filter."""
    try:
        tree = json.loads(value)
    except ValueError:
        return None
    node = _node_v1_to_v2(tree, 0)
    if node is None:
        return None
    return json.dumps(
        {"tree": node, "v": 2}, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )


def _node_v1_to_v2(node: object, depth: int) -> dict[str, object] | None:
    if depth > FILTER_MAX_NESTING:
        return None
    match node:
        case ["t", str() as kind, str() as term]:
            return {"term": [kind, term]}
        case ["not", inner]:
            converted = _node_v1_to_v2(inner, depth + 1)
            return None if converted is None else {"not": converted}
        case [("and" | "or") as operator, list() as parts]:
            nodes = [_node_v1_to_v2(part, depth + 1) for part in parts]
            if any(part is None for part in nodes):
                return None
            return {str(operator): nodes}
    return None


async def filters_to_v2(db: aiosqlite.Connection) -> None:
    """Rewrite every version 1 filter subscription; anything unreadable is left as it was."""
    async with db.execute("SELECT id, value FROM subscriptions WHERE kind = 'filter'") as cursor:
        rows = [(int(sub_id), str(value)) for sub_id, value in await cursor.fetchall()]
    for sub_id, value in rows:
        converted = filter_v1_to_v2(value)
        if converted is not None:
            # REPLACE: a chat already holding the same filter in version 2 keeps one row
            await db.execute(
                "UPDATE OR REPLACE subscriptions SET value = :value WHERE id = :id",
                {"value": converted, "id": sub_id},
            )


V7: tuple[Step, ...] = (filters_to_v2,)

V8: tuple[Step, ...] = (
    # a hash of the last body read: a feed without ETag or Last-Modified is not parsed again
    "ALTER TABLE sources ADD COLUMN body_hash TEXT",
)

V9: tuple[Step, ...] = (
    # every queued push paid for this index, and no query asks what it answers: the sender
    # walks pushes_pending_by_id, the counts of /status read the partial indexes too
    "DROP INDEX pushes_due",
    # 0 while a poll too big for one transaction is still queueing the article's pushes
    "ALTER TABLE articles ADD COLUMN complete INTEGER NOT NULL DEFAULT 1",
)

V10: tuple[Step, ...] = (
    # words of every title and teaser, for /latest with keywords: FTS5 kept in step with
    # `articles` by triggers, case and accents folded as keyword matching folds them
    "CREATE VIRTUAL TABLE article_words USING fts5(title, teaser, content='articles', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO article_words(article_words) VALUES ('rebuild')",
    "CREATE TRIGGER article_words_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO article_words(rowid, title, teaser) VALUES (new.id, new.title, new.teaser); END",
    "CREATE TRIGGER article_words_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO article_words(article_words, rowid, title, teaser) "
    "VALUES ('delete', old.id, old.title, old.teaser); END",
    "CREATE TRIGGER article_words_update AFTER UPDATE OF title, teaser ON articles BEGIN "
    "INSERT INTO article_words(article_words, rowid, title, teaser) "
    "VALUES ('delete', old.id, old.title, old.teaser); "
    "INSERT INTO article_words(rowid, title, teaser) VALUES (new.id, new.title, new.teaser); END",
)

V11: tuple[Step, ...] = (
    # the poll reads each target's chat ids from the index alone, not a table row per follower
    "CREATE INDEX subscriptions_by_target_chat ON subscriptions (kind, value, chat_id)",
    # ... which makes the narrower index of V1 redundant
    "DROP INDEX subscriptions_by_target",
)

V12: tuple[Step, ...] = (
    # an IANA time zone ("America/Lima"), NULL for a fixed offset: quiet hours follow its DST;
    # tz_offset_minutes keeps the zone's offset when it was chosen
    "ALTER TABLE chats ADD COLUMN tz_name TEXT",
)

V13: tuple[Step, ...] = (
    # the language the chat reads ("es"); NULL until someone chose one (or spoke with one)
    "ALTER TABLE chats ADD COLUMN language TEXT",
)

PUSH_COLUMNS_V14 = (
    "id, chat_id, article_id, batch, status, attempts, next_attempt_at, last_error, "
    "created_at, sent_at, message_id, held"
)
V14: tuple[Step, ...] = (
    # a big poll's write paid most for `pushes_by_article`: every push went into the middle
    # of 1,000 article runs at once. The table is rebuilt without it and without the foreign
    # key to articles (whose cascade needs that index): pruning deletes an article's pushes
    # itself, chat by chat along UNIQUE(chat_id, article_id), and so does `story_recipients`
    """
CREATE TABLE pushes_v14 (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
    article_id      INTEGER NOT NULL,           -- articles(id); deleted with it by the prune
    batch           TEXT,
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL    NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      REAL    NOT NULL,
    sent_at         REAL,
    message_id      INTEGER,
    held            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (chat_id, article_id)
)
""",
    f"INSERT INTO pushes_v14 ({PUSH_COLUMNS_V14}) SELECT {PUSH_COLUMNS_V14} FROM pushes",
    "DROP TABLE pushes",
    "ALTER TABLE pushes_v14 RENAME TO pushes",
    "CREATE INDEX pushes_pending_by_id ON pushes (id, next_attempt_at, chat_id) "
    "WHERE status = 'pending'",
    "CREATE INDEX pushes_pending ON pushes (chat_id, id) WHERE status = 'pending'",
)

V15: tuple[Step, ...] = (
    # a forum topic is a subscriber of its own (type 'topic', id from models.FIRST_TOPIC_ID
    # up): the supergroup it is in and its message_thread_id; NULL for every other chat
    "ALTER TABLE chats ADD COLUMN forum_chat_id INTEGER",
    "ALTER TABLE chats ADD COLUMN thread_id INTEGER",
    "CREATE UNIQUE INDEX chats_by_topic ON chats (forum_chat_id, thread_id) "
    "WHERE forum_chat_id IS NOT NULL",
    # a channel managed from a private chat: the Telegram user who last changed it
    "ALTER TABLE chats ADD COLUMN managed_by INTEGER",
    "CREATE INDEX chats_by_manager ON chats (managed_by) WHERE managed_by IS NOT NULL",
)

MIGRATIONS: dict[int, tuple[Step, ...]] = {
    1: V1, 2: V2, 3: V3, 4: V4, 5: V5, 6: V6, 7: V7, 8: V8, 9: V9, 10: V10, 11: V11, 12: V12,
    13: V13, 14: V14, 15: V15,
}  # fmt: skip
LATEST_VERSION = max(MIGRATIONS)


async def schema_version(db: aiosqlite.Connection) -> int:
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row["user_version"])


async def migrate(db: aiosqlite.Connection, *, to: int = LATEST_VERSION) -> None:
    """Apply the missing migrations up to `to` in one transaction; refuse a newer database."""
    version = await schema_version(db)
    if version > LATEST_VERSION:
        raise SchemaError(
            f"database schema version {version} is newer than this newsbot "
            f"(knows up to {LATEST_VERSION}); upgrade newsbot"
        )
    if version >= to:
        return
    try:
        async with transaction(db):
            for number in range(version + 1, to + 1):
                for step in MIGRATIONS[number]:
                    if isinstance(step, str):
                        await db.execute(step)
                    else:
                        await step(db)
            await db.execute(f"PRAGMA user_version = {int(to)}")
    except StorageError as exc:
        raise SchemaError(f"cannot migrate the database to version {to}: {exc}") from exc
