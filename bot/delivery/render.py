"""How articles look in Telegram: HTML parse mode with everything escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape, unescape

from bot.classify.countries import country, hashtag
from bot.models import StoredArticle
from bot.text import shorten

TEASER_CHARS = 320
LIST_RESERVE = 60  # room kept for a list's heading and its '… and N more' line
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


def telegram_length(html: str) -> int:
    """What Telegram counts against its limit: UTF-16 units of the text after parsing."""
    return len(plain_text(html).encode("utf-16-le")) // 2


def _list_line(article: StoredArticle) -> str:
    return f"• {_link(article)} — <i>{escape(article.source_name)}</i>"


def _fitting(articles: Sequence[StoredArticle], room: int) -> list[str]:
    """The leading article lines whose visible text fits in `room`."""
    lines: list[str] = []
    for article in articles:
        line = _list_line(article)
        room -= telegram_length(line) + 1
        if room < 0:
            break
        lines.append(line)
    return lines


def list_html(heading: str, articles: Sequence[StoredArticle]) -> str:
    """/latest: one linked line per article, as many as fit, then how many did not."""
    head = f"<b>{escape(heading)}</b>\n"
    lines = _fitting(articles, MAX_MESSAGE_CHARS - telegram_length(head) - LIST_RESERVE)
    if len(lines) < len(articles):
        lines.append(f"… and {len(articles) - len(lines)} more")
    return "\n".join([head, *lines])


def digest_html(articles: Sequence[StoredArticle]) -> tuple[str, int]:
    """A digest of as many articles as fit in one message, and how many that is.

    The sender marks only those sent; the rest stay queued for the next message, so a long
    digest is never cut short with its tail silently lost.
    """
    lines = _fitting(articles, MAX_MESSAGE_CHARS - LIST_RESERVE) or [_list_line(articles[0])]
    head = f"<b>📰 {len(lines)} new {'article' if len(lines) == 1 else 'articles'} for you</b>\n"
    return "\n".join([head, *lines]), len(lines)


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
