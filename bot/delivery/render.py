"""How articles look in Telegram: HTML parse mode with everything escaped.

Every limit is counted as Telegram counts it, in UTF-16 units of the visible text, so a title
of emoji (two units each) can never make a message that Telegram refuses as too long.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape, unescape

from bot.i18n import ENGLISH, Translator
from bot.models import StoredArticle
from bot.text import one_line, shorten, utf16_len

TEASER_CHARS = 320
LIST_RESERVE = 60  # room kept for a list's heading and its '… and N more' line
MAX_MESSAGE_CHARS = 4096  # Telegram's limit, in UTF-16 units of the text after parsing
LIST_TITLE_CHARS = 400  # a title in a digest or /latest line: one line can never fill a message
SOURCE_NAME_CHARS = 100
ALSO_IN_CHARS = 300
_TAG = re.compile(r"<[^>]+>")


def hashtags(article: StoredArticle, limit: int = 5, tr: Translator = ENGLISH) -> str:
    """#Peru #protest: the article's countries then topics, as readers can tap them."""
    return tr.hashtags(article.countries, article.topics, limit)


def _link(article: StoredArticle, title_limit: int) -> str:
    title = escape(shorten(one_line(article.title), title_limit)) if article.title else ""
    return f'<a href="{escape(article.url, quote=True)}">{title}</a>'


def push_html(article: StoredArticle, tr: Translator = ENGLISH) -> str:
    """One article: bold linked title, teaser, source and tags; the title gets what is left."""
    lines: list[str] = []
    teaser = shorten(article.teaser, TEASER_CHARS)
    if teaser:
        lines.append(escape(teaser))
    footer = f"<i>{escape(shorten(one_line(article.source_name), SOURCE_NAME_CHARS))}</i>"
    if article.also_in:  # the same story republished by other sources
        others = escape(shorten(", ".join(article.also_in), ALSO_IN_CHARS))
        footer += " " + tr.gettext("(also in {sources})").format(sources=others)
    tags = hashtags(article, tr=tr)
    lines.append(f"{footer} · {tags}" if tags else footer)
    room = MAX_MESSAGE_CHARS - sum(telegram_length(line) + 2 for line in lines)
    return "\n\n".join([f"<b>{_link(article, room)}</b>", *lines])


def telegram_length(html: str) -> int:
    """What Telegram counts against its limit: UTF-16 units of the text after parsing."""
    return utf16_len(plain_text(html))


def _list_line(article: StoredArticle) -> str:
    source = escape(shorten(one_line(article.source_name), SOURCE_NAME_CHARS))
    return f"• {_link(article, LIST_TITLE_CHARS)} — <i>{source}</i>"


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


def list_html(heading: str, articles: Sequence[StoredArticle], tr: Translator = ENGLISH) -> str:
    """/latest: one linked line per article, as many as fit, then how many did not."""
    head = f"<b>{escape(one_line(heading))}</b>\n"
    lines = _fitting(articles, MAX_MESSAGE_CHARS - telegram_length(head) - LIST_RESERVE)
    if len(lines) < len(articles):
        more = len(articles) - len(lines)
        lines.append(
            tr.ngettext("… and {count} more", "… and {count} more", more).format(count=more)
        )
    return "\n".join([head, *lines])


def digest_html(articles: Sequence[StoredArticle], tr: Translator = ENGLISH) -> tuple[str, int]:
    """A digest of as many articles as fit in one message, and how many that is.

    The sender marks only those sent; the rest stay queued for the next message, so a long
    digest is never cut short with its tail silently lost.
    """
    lines = _fitting(articles, MAX_MESSAGE_CHARS - LIST_RESERVE) or [_list_line(articles[0])]
    count = len(lines)
    heading = tr.ngettext(
        "📰 {count} new article for you", "📰 {count} new articles for you", count
    )
    head = f"<b>{heading.format(count=count)}</b>\n"
    return "\n".join([head, *lines]), len(lines)


def plain_text(html: str) -> str:
    """The same message without markup, for when Telegram refuses to parse our entities."""

    return unescape(_TAG.sub("", html))


def fit(html: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Cut a message Telegram found too long, at a line boundary so no tag is split."""
    if telegram_length(html) <= limit:
        return html
    kept: list[str] = []
    used = -1  # the first line has no newline before it
    for line in html.split("\n"):
        used += telegram_length(line) + 1
        if used > limit - 2:  # room for "\n…"
            break
        kept.append(line)
    return "\n".join([*kept, "…"]) if kept else escape(shorten(plain_text(html), limit))
