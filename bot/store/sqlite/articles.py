"""Articles in SQLite: what was read, its tags (indexed for /latest), stories, and retention."""

from __future__ import annotations

import json
from collections.abc import Sequence

import aiosqlite

from bot.models import ArticleText, NewArticle, RecentStory, StoredArticle
from bot.store.records import article_from_row, article_text_from_row, story_from_row
from bot.store.sqlite.connection import IN_CHUNK, SqliteBase, marks

# a StoredArticle; joined as `articles a JOIN sources s`
ARTICLE_COLUMNS = (
    "a.id AS article_id, s.name AS source_name, a.url AS url, a.title AS title, "
    "a.teaser AS teaser, a.published_at AS published_at, a.first_seen_at AS first_seen_at, "
    "a.countries AS countries, a.topics AS topics"
)
ARTICLES = f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id"
NEWEST_FIRST = "ORDER BY a.first_seen_at DESC, COALESCE(a.published_at, 0) DESC, a.id DESC"
PRUNE_CHATS = 2_000  # chats whose old pushes one transaction of a prune deletes
NO_CHAT = -(2**63)  # below every chat id (groups are negative)
# an ArticleText, for /why
WHY_COLUMNS = "a.url, a.title, a.teaser, a.categories, a.countries, a.topics"


async def insert_article(db: aiosqlite.Connection, article: NewArticle, now: float) -> int | None:
    """Store a new article, incomplete, with its story and tags; None if known.

    Incomplete until `complete_articles`, in the transaction that queues its last pushes. One
    left incomplete by a poll that died half way is not known: its id comes back, so its
    pushes are queued again (those already written stay, once).
    """
    cursor = await db.execute(
        "INSERT OR IGNORE INTO articles (source_id, guid, url, url_norm, title, teaser, author, "
        "published_at, first_seen_at, countries, topics, categories, complete) "
        "VALUES (:source_id, :guid, :url, :url_norm, :title, :teaser, :author, :published_at, "
        ":now, :countries, :topics, :categories, 0)",
        {
            "source_id": article.source_id,
            "guid": article.guid,
            "url": article.url,
            "url_norm": article.url_norm,
            "title": article.title,
            "teaser": article.teaser,
            "author": article.author,
            "published_at": article.published_at,
            "now": now,
            "countries": " ".join(article.countries),
            "topics": " ".join(article.topics),
            "categories": json.dumps(list(article.categories), ensure_ascii=False),
        },
    )
    if not cursor.rowcount or cursor.lastrowid is None:
        return await _incomplete(db, article.url_norm)
    article_id = cursor.lastrowid
    await db.execute(
        "UPDATE articles SET story_id = COALESCE("
        "(SELECT story_id FROM articles WHERE url_norm = :story_key), id) WHERE id = :id",
        {"story_key": article.story_key, "id": article_id},
    )
    await db.executemany(
        "INSERT OR IGNORE INTO article_tags (article_id, kind, value) VALUES (?, ?, ?)",
        [(article_id, "country", code) for code in article.countries]
        + [(article_id, "topic", slug) for slug in article.topics],
    )
    return article_id


async def _incomplete(db: aiosqlite.Connection, url_norm: str) -> int | None:
    async with db.execute(
        "SELECT id FROM articles WHERE url_norm = ? AND complete = 0", (url_norm,)
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None else int(row["id"])


async def complete_articles(db: aiosqlite.Connection, ids: Sequence[int]) -> None:
    """Every push of these articles is queued: the next poll knows them, in this transaction."""
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        await db.execute(
            f"UPDATE articles SET complete = 1 WHERE id IN ({marks(len(chunk))})", chunk
        )


async def articles_by_id(db: aiosqlite.Connection, ids: Sequence[int]) -> list[StoredArticle]:
    """Stored articles in id order, read in the caller's transaction."""
    if not ids:
        return []
    async with db.execute(f"{ARTICLES} WHERE a.id IN ({marks(len(ids))}) ORDER BY a.id", ids) as c:
        return [article_from_row(row) for row in await c.fetchall()]


class ArticlesMixin(SqliteBase):
    async def unknown_urls(self, url_norms: Sequence[str]) -> set[str]:
        """The subset of `url_norms` not stored yet, so only new articles are matched.

        An article whose pushes a dead poll left half written counts as not stored.
        """
        unknown = set(url_norms)
        for start in range(0, len(url_norms), IN_CHUNK):
            chunk = url_norms[start : start + IN_CHUNK]
            for known in ("articles WHERE complete = 1 AND", "pruned_urls WHERE"):
                rows = await self._fetchall(
                    f"SELECT url_norm FROM {known} url_norm IN ({marks(len(chunk))})", chunk
                )
                unknown.difference_update(row["url_norm"] for row in rows)
        return unknown

    async def articles_for_message(self, chat_id: int, message_id: int) -> list[ArticleText]:
        """The article(s) of a message we pushed to a chat (a digest holds several), for /why."""
        rows = await self._fetchall(
            f"SELECT {WHY_COLUMNS} FROM pushes p JOIN articles a ON a.id = p.article_id "
            "WHERE p.chat_id = ? AND p.message_id = ? ORDER BY p.id",
            (chat_id, message_id),
        )
        return [article_text_from_row(row) for row in rows]

    async def article_by_url(self, url_norm: str) -> ArticleText | None:
        """A stored article by its normalised URL, for /why URL."""
        row = await self._fetchone(
            f"SELECT {WHY_COLUMNS} FROM articles a WHERE a.url_norm = ?", (url_norm,)
        )
        return article_text_from_row(row) if row else None

    async def recent_articles(
        self, limit: int, *, older_than: StoredArticle | None = None
    ) -> list[StoredArticle]:
        """The newest articles; with `older_than`, the page after that one (for paging back)."""
        if older_than is None:
            rows = await self._fetchall(f"{ARTICLES} {NEWEST_FIRST} LIMIT ?", (limit,))
        else:
            rows = await self._fetchall(
                f"{ARTICLES} WHERE a.first_seen_at <= :seen "
                "AND (a.first_seen_at, COALESCE(a.published_at, 0), a.id) "
                f"< (:seen, :published, :id) {NEWEST_FIRST} LIMIT :limit",
                {
                    "seen": older_than.first_seen_at,
                    "published": older_than.published_at or 0,
                    "id": older_than.id,
                    "limit": limit,
                },
            )
        return [article_from_row(row) for row in rows]

    async def tagged_articles(
        self, *, countries: Sequence[str] = (), topics: Sequence[str] = (), limit: int
    ) -> list[StoredArticle]:
        """The newest articles tagged with any of the countries or topics, via article_tags."""
        parts: list[str] = []
        params: list[str | int] = []
        for kind, values in (("country", countries), ("topic", topics)):
            if values:
                parts.append(
                    "SELECT article_id FROM article_tags "
                    f"WHERE kind = ? AND value IN ({marks(len(values))})"
                )
                params += [kind, *values]
        if not parts:
            return []
        rows = await self._fetchall(
            f"{ARTICLES} WHERE a.id IN ({' UNION '.join(parts)}) {NEWEST_FIRST} LIMIT ?",
            (*params, limit),
        )
        return [article_from_row(row) for row in rows]

    async def articles_with_phrases(
        self, phrases: Sequence[str], *, limit: int, older_than: StoredArticle | None = None
    ) -> list[StoredArticle]:
        """Through the article_words index: what a phrase's words are is FTS5's tokenizer's
        reading of the quoted phrase, the same one that read the stored text."""
        quoted = [f'"{phrase.replace(chr(34), chr(34) * 2)}"' for phrase in phrases if phrase]
        if not quoted:
            return []
        where = "a.id IN (SELECT rowid FROM article_words WHERE article_words MATCH :match)"
        params: dict[str, object] = {"match": " OR ".join(quoted), "limit": limit}
        if older_than is not None:
            where += (
                " AND a.first_seen_at <= :seen AND (a.first_seen_at, COALESCE(a.published_at, 0), "
                "a.id) < (:seen, :published, :id)"
            )
            params.update(
                seen=older_than.first_seen_at,
                published=older_than.published_at or 0,
                id=older_than.id,
            )
        rows = await self._fetchall(f"{ARTICLES} WHERE {where} {NEWEST_FIRST} LIMIT :limit", params)
        return [article_from_row(row) for row in rows]

    async def recent_stories(self, since: float) -> list[RecentStory]:
        """Articles first seen since `since`, for grouping syndicated copies of a story.

        Incomplete ones are left out: they are new again to the poll that finishes them.
        """
        rows = await self._fetchall(
            "SELECT a.url_norm AS url_norm, a.source_id AS source_id, s.name AS source_name, "
            "a.title AS title, a.teaser AS teaser, a.first_seen_at AS first_seen_at "
            "FROM articles a "
            "JOIN sources s ON s.id = a.source_id WHERE a.first_seen_at >= ? AND a.complete = 1 "
            "ORDER BY a.first_seen_at, a.id",
            (since,),
        )
        return [story_from_row(row) for row in rows]

    async def prune_articles(self, before: float, *, forget_pruned_before: float) -> int:
        """Delete articles first seen before `before` with their tags and pushes.

        Their addresses are remembered, so a feed that still lists an old article does not
        make it news again, until `forget_pruned_before` (the caller's retention policy).
        Pushes have no index by article (a big poll paid most for one): each chat's pushes
        of the pruned articles are one short range of UNIQUE(chat_id, article_id), deleted
        `PRUNE_CHATS` chats a transaction so commands go in between. A prune cut short
        leaves the articles for the next one.
        """
        span = await self._fetchone(
            "SELECT MIN(id) AS low, MAX(id) AS high FROM articles WHERE first_seen_at < ?",
            (before,),
        )
        after = NO_CHAT
        while span is not None and span["low"] is not None:
            async with self._transaction() as db:
                async with db.execute(
                    "SELECT id FROM chats WHERE id > ? ORDER BY id LIMIT ?", (after, PRUNE_CHATS)
                ) as cursor:
                    chats = [int(chat_id) for (chat_id,) in await cursor.fetchall()]
                if not chats:
                    break
                await db.execute(
                    "DELETE FROM pushes WHERE id IN (SELECT p.id FROM chats c "
                    "CROSS JOIN pushes p ON p.chat_id = c.id "
                    "AND p.article_id BETWEEN :low AND :high "
                    "WHERE c.id BETWEEN :first AND :last AND p.article_id IN "
                    "(SELECT id FROM articles WHERE first_seen_at < :before))",
                    {
                        "low": span["low"],
                        "high": span["high"],
                        "first": chats[0],
                        "last": chats[-1],
                        "before": before,
                    },
                )
                after = chats[-1]
        async with self._transaction() as db:
            await db.execute(
                "INSERT OR REPLACE INTO pruned_urls (url_norm, pruned_at) "
                "SELECT url_norm, :now FROM articles WHERE first_seen_at < :before",
                {"now": self._clock(), "before": before},
            )
            cursor = await db.execute("DELETE FROM articles WHERE first_seen_at < ?", (before,))
            deleted = cursor.rowcount
            await db.execute("DELETE FROM pruned_urls WHERE pruned_at < ?", (forget_pruned_before,))
        return deleted
