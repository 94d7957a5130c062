"""Articles in PostgreSQL: what was read, its tags (indexed for /latest), stories, and retention."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence

from bot.models import ArticleText, NewArticle, RecentStory, StoredArticle
from bot.store.postgres.connection import Connection, PgBase
from bot.store.records import article_from_row, article_text_from_row, story_from_row

# a StoredArticle; joined as `articles a JOIN sources s`
ARTICLE_COLUMNS = (
    "a.id AS article_id, s.name AS source_name, a.url AS url, a.title AS title, "
    "a.teaser AS teaser, a.published_at AS published_at, a.first_seen_at AS first_seen_at, "
    "a.countries AS countries, a.topics AS topics"
)
ARTICLES = f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id"
SCAN_PAGE = 2000  # articles read back at once while looking for keywords
_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    """Case and accents aside, as SQLite's index tokenizer (unicode61, remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(phrase: str) -> list[str]:
    return _WORD.findall(_fold(phrase))


NEWEST_FIRST = "ORDER BY a.first_seen_at DESC, COALESCE(a.published_at, 0) DESC, a.id DESC"
# an ArticleText, for /why
WHY_COLUMNS = "a.url, a.title, a.teaser, a.categories, a.countries, a.topics"

# in the intent's order, so ids (and so send order) follow it; a known URL or guid is skipped
INSERT_ARTICLES = (
    "INSERT INTO articles (source_id, guid, url, url_norm, title, teaser, author, "
    "published_at, first_seen_at, countries, topics, categories) "
    "SELECT n.source_id, n.guid, n.url, n.url_norm, n.title, n.teaser, n.author, "
    "n.published_at, $1, n.countries, n.topics, n.categories "
    "FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
    "$8::text[], $9::float8[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY "
    "AS n(source_id, guid, url, url_norm, title, teaser, author, published_at, countries, "
    "topics, categories, position) "
    "ORDER BY n.position ON CONFLICT DO NOTHING RETURNING id, url_norm"
)


async def insert_articles(
    db: Connection, articles: Sequence[NewArticle], now: float
) -> dict[str, int]:
    """Store new articles with their stories and tags in the caller's transaction.

    Returns the ids of those inserted, by url_norm; known ones are skipped. An article's
    story is that of the article its story_key names, if stored already (earlier in the
    same batch counts), else its own, as in the SQLite backend's row-by-row insert.
    """
    if not articles:
        return {}
    rows = await db.fetch(
        INSERT_ARTICLES,
        now,
        [a.source_id for a in articles],
        [a.guid for a in articles],
        [a.url for a in articles],
        [a.url_norm for a in articles],
        [a.title for a in articles],
        [a.teaser for a in articles],
        [a.author for a in articles],
        [a.published_at for a in articles],
        [" ".join(a.countries) for a in articles],
        [" ".join(a.topics) for a in articles],
        [json.dumps(list(a.categories), ensure_ascii=False) for a in articles],
    )
    inserted = {str(row["url_norm"]): int(row["id"]) for row in rows}
    if not inserted:
        return {}
    await _set_stories(db, articles, inserted)
    await _insert_tags(db, articles, inserted)
    return inserted


async def _set_stories(
    db: Connection, articles: Sequence[NewArticle], inserted: dict[str, int]
) -> None:
    keys = {a.story_key for a in articles if a.story_key} - inserted.keys()
    stories: dict[str, int] = {}
    if keys:
        known = await db.fetch(
            "SELECT url_norm, story_id FROM articles WHERE url_norm = ANY($1::text[])",
            sorted(keys),
        )
        stories = {str(r["url_norm"]): int(r["story_id"]) for r in known if r["story_id"]}
    story_of: dict[int, int] = {}
    for article in articles:  # in order: a story named earlier in the batch is known by now
        article_id = inserted.get(article.url_norm)
        if article_id is None or article_id in story_of:
            continue
        story_id = stories.get(article.story_key or "", article_id)
        stories[article.url_norm] = story_id
        story_of[article_id] = story_id
    await db.execute(
        "UPDATE articles a SET story_id = u.story_id "
        "FROM unnest($1::bigint[], $2::bigint[]) AS u(id, story_id) WHERE a.id = u.id",
        list(story_of),
        list(story_of.values()),
    )


async def _insert_tags(
    db: Connection, articles: Sequence[NewArticle], inserted: dict[str, int]
) -> None:
    tags: list[tuple[int, str, str]] = []
    done: set[int] = set()
    for article in articles:
        article_id = inserted.get(article.url_norm)
        if article_id is None or article_id in done:
            continue
        done.add(article_id)
        tags += [(article_id, "country", code) for code in article.countries]
        tags += [(article_id, "topic", slug) for slug in article.topics]
    if tags:
        await db.execute(
            "INSERT INTO article_tags (article_id, kind, value) "
            "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
            [t[0] for t in tags],
            [t[1] for t in tags],
            [t[2] for t in tags],
        )


async def articles_by_id(db: Connection, ids: Sequence[int]) -> list[StoredArticle]:
    """Stored articles in id order, read in the caller's transaction."""
    if not ids:
        return []
    rows = await db.fetch(f"{ARTICLES} WHERE a.id = ANY($1::bigint[]) ORDER BY a.id", list(ids))
    return [article_from_row(row) for row in rows]


class ArticlesMixin(PgBase):
    async def unknown_urls(self, url_norms: Sequence[str]) -> set[str]:
        """The subset of `url_norms` not stored yet, so only new articles are matched."""
        if not url_norms:
            return set()
        rows = await self._fetch(
            "SELECT u.url_norm FROM unnest($1::text[]) AS u(url_norm) WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.url_norm = u.url_norm) AND NOT EXISTS "
            "(SELECT 1 FROM pruned_urls p WHERE p.url_norm = u.url_norm)",
            list(url_norms),
        )
        return {str(row["url_norm"]) for row in rows}

    async def articles_for_message(self, chat_id: int, message_id: int) -> list[ArticleText]:
        """The article(s) of a message we pushed to a chat (a digest holds several), for /why."""
        rows = await self._fetch(
            f"SELECT {WHY_COLUMNS} FROM pushes p JOIN articles a ON a.id = p.article_id "
            "WHERE p.chat_id = $1 AND p.message_id = $2 ORDER BY p.id",
            chat_id,
            message_id,
        )
        return [article_text_from_row(row) for row in rows]

    async def article_by_url(self, url_norm: str) -> ArticleText | None:
        """A stored article by its normalised URL, for /why URL."""
        row = await self._fetchrow(
            f"SELECT {WHY_COLUMNS} FROM articles a WHERE a.url_norm = $1", url_norm
        )
        return article_text_from_row(row) if row else None

    async def recent_articles(
        self, limit: int, *, older_than: StoredArticle | None = None
    ) -> list[StoredArticle]:
        """The newest articles; with `older_than`, the page after that one (for paging back)."""
        if older_than is None:
            rows = await self._fetch(f"{ARTICLES} {NEWEST_FIRST} LIMIT $1", limit)
        else:
            rows = await self._fetch(
                f"{ARTICLES} WHERE a.first_seen_at <= $1 "
                "AND (a.first_seen_at, COALESCE(a.published_at, 0), a.id) "
                f"< ($1, $2, $3) {NEWEST_FIRST} LIMIT $4",
                older_than.first_seen_at,
                older_than.published_at or 0.0,
                older_than.id,
                limit,
            )
        return [article_from_row(row) for row in rows]

    async def tagged_articles(
        self, *, countries: Sequence[str] = (), topics: Sequence[str] = (), limit: int
    ) -> list[StoredArticle]:
        """The newest articles tagged with any of the countries or topics, via article_tags."""
        if not countries and not topics:
            return []
        rows = await self._fetch(
            f"{ARTICLES} WHERE a.id IN ("
            "SELECT article_id FROM article_tags WHERE kind = 'country' AND value = ANY($1) "
            "UNION SELECT article_id FROM article_tags WHERE kind = 'topic' AND value = ANY($2)"
            f") {NEWEST_FIRST} LIMIT $3",
            list(countries),
            list(topics),
            limit,
        )
        return [article_from_row(row) for row in rows]

    async def articles_with_phrases(
        self, phrases: Sequence[str], *, limit: int, older_than: StoredArticle | None = None
    ) -> list[StoredArticle]:
        """Without SQLite's FTS5 index: the newest articles read back a page at a time, kept
        where every word of a phrase occurs in the text, case and accents aside. A scan:
        an index here (pg_trgm or tsvector with unaccent) is left for when it is needed."""
        wanted = [words for phrase in phrases if (words := _words(phrase))]
        found: list[StoredArticle] = []
        while wanted and len(found) < limit:
            page = await self.recent_articles(SCAN_PAGE, older_than=older_than)
            for article in page:
                text = _fold(f"{article.title} {article.teaser}")
                if any(all(word in text for word in words) for words in wanted):
                    found.append(article)
            if len(page) < SCAN_PAGE:
                break
            older_than = page[-1]
        return found[:limit]

    async def recent_stories(self, since: float) -> list[RecentStory]:
        """Articles first seen since `since`, for grouping syndicated copies of a story."""
        rows = await self._fetch(
            "SELECT a.url_norm AS url_norm, a.source_id AS source_id, s.name AS source_name, "
            "a.title AS title, a.teaser AS teaser, a.first_seen_at AS first_seen_at "
            "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.first_seen_at >= $1 "
            "ORDER BY a.first_seen_at, a.id",
            since,
        )
        return [story_from_row(row) for row in rows]

    async def prune_articles(self, before: float, *, forget_pruned_before: float) -> int:
        """Delete articles first seen before `before` with their tags and pushes.

        Their addresses are remembered, so a feed that still lists an old article does not
        make it news again, until `forget_pruned_before` (the caller's retention policy).
        """
        now = self._clock()
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO pruned_urls (url_norm, pruned_at) "
                "SELECT url_norm, $1 FROM articles WHERE first_seen_at < $2 "
                "ON CONFLICT (url_norm) DO UPDATE SET pruned_at = excluded.pruned_at",
                now,
                before,
            )
            deleted = await db.fetchval(
                "WITH gone AS (DELETE FROM articles WHERE first_seen_at < $1 RETURNING 1) "
                "SELECT COUNT(*) FROM gone",
                before,
            )
            await db.execute("DELETE FROM pruned_urls WHERE pruned_at < $1", forget_pruned_before)
        return int(deleted)
