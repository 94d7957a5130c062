"""How articles look in Telegram: HTML parse mode with everything escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape, unescape

from bot.classify.countries import country, hashtag
from bot.storage import StoredArticle
from bot.text import shorten

TEASER_CHARS = 320
MAX_MESSAGE_CHARS = 4096
_TAG = re.compile(r"<[^>]+>")


def hashtags(article: StoredArticle, limit: int = 5) -> str:
    """#Peru #protest: the article's countries then topics, as readers can tap them."""
    names = [c.name for code in article.countries if (c := country(code)) is not None]
    return " ".join(hashtag(name) for name in [*names, *article.topics][:limit])


def _link(article: StoredArticle) -> str:
    return f'<a href="{escape(article.url, quote=True)}">{escape(article.title)}</a>'


def push_html(article: StoredArticle) -> str:
    """One article: bold linked title, teaser, source and tags."""
    lines = [f"<b>{_link(article)}</b>"]
    teaser = shorten(article.teaser, TEASER_CHARS)
    if teaser:
        lines.append(escape(teaser))
    footer = f"<i>{escape(article.source_name)}</i>"
    if article.also_in:  # the same story republished by other sources
        footer += f" (also in {escape(', '.join(article.also_in))})"
    tags = hashtags(article)
    lines.append(f"{footer} · {tags}" if tags else footer)
    return "\n\n".join(lines)


def list_html(heading: str, articles: Sequence[StoredArticle]) -> str:
    """A digest or /latest: one linked line per article, cut to Telegram's message size."""
    lines = [f"<b>{escape(heading)}</b>", ""]
    for article in articles:
        line = f"• {_link(article)} — <i>{escape(article.source_name)}</i>"
        if len("\n".join([*lines, line])) > MAX_MESSAGE_CHARS - 40:
            lines.append(f"… and {len(articles) - (len(lines) - 2)} more")
            break
        lines.append(line)
    return "\n".join(lines)


def digest_html(articles: Sequence[StoredArticle]) -> str:
    return list_html(f"📰 {len(articles)} new articles for you", articles)


def plain_text(html: str) -> str:
    """The same message without markup, for when Telegram refuses to parse our entities."""

    return unescape(_TAG.sub("", html))


def fit(html: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Cut a message Telegram found too long, at a line boundary so no tag is split."""
    if len(html) <= limit:
        return html
    kept: list[str] = []
    for line in html.split("\n"):
        if len("\n".join([*kept, line])) > limit - 2:
            break
        kept.append(line)
    return "\n".join([*kept, "…"]) if kept else escape(shorten(plain_text(html), limit))
