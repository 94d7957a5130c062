"""/sources, /addsource URL [name], /removesource NAME: source health and changes for ADMIN_IDS."""

from __future__ import annotations

import time
from html import escape
from urllib.parse import urlsplit

from telegram import Update

from bot.delivery.source_report import summary_line
from bot.models import SourceSpec
from bot.sources.fetch import Fetcher
from bot.sources.guard import UnsafeURLError, check_public_url
from bot.sources.read import read_source
from bot.urls import is_http_url, normalize_url
from handlers.common import NOT_ADMIN, command_text, is_admin, reply
from handlers.context import NewsContext

NAME_CHARS = 80


async def sources_command(update: Update, context: NewsContext) -> None:
    """Each source's health, so operators see what is failing without a shell."""
    if not is_admin(update, context):
        await reply(update, NOT_ADMIN)
        return
    sources = await context.services.store.list_sources()
    if not sources:
        await reply(update, "No sources. Add one with /addsource URL.")
        return
    now = time.time()
    failing = sum(1 for s in sources if s.last_error)
    lines = [f"<b>{len(sources)} sources, {failing} failing</b>", ""]
    lines += [escape(summary_line(source, now)) for source in sources]
    text = "\n".join(lines)
    while len(text) > 4000:  # Telegram's limit; long lists lose their tail
        lines = lines[:-1]
        text = "\n".join([*lines, "…"])
    await reply(update, text)


async def addsource_command(update: Update, context: NewsContext) -> None:
    """Add a feed, site or section URL after reading it once; internal addresses are refused."""
    if not is_admin(update, context):
        await reply(update, NOT_ADMIN)
        return
    url, _, name = command_text(update).partition(" ")
    if not is_http_url(url):
        await reply(update, "Usage: /addsource URL [name] — an http:// or https:// address.")
        return
    host = urlsplit(url).hostname or url
    services = context.services
    settings = services.settings
    guarded = not settings.allow_private_sources
    if guarded:
        try:
            await check_public_url(url)
        except UnsafeURLError as exc:
            await reply(update, f"⛔ Refused: {escape(str(exc))}.")
            return
    existing = await services.store.list_sources()
    key = normalize_url(url)
    for source in existing:
        if key in (normalize_url(source.url), normalize_url(source.feed_url or "")):
            await reply(update, f"Already polled as <b>{escape(source.name)}</b>.")
            return
    fetcher = Fetcher(
        services.http,
        max_bytes=settings.fetch_max_bytes,
        timeout_seconds=settings.fetch_timeout_seconds,
    )
    read = await read_source(fetcher, url, None, guarded=guarded)
    if read.error:
        await reply(update, f"❌ Not added: {escape(read.error)}")
        return
    name = " ".join((name or read.title or host).split())[:NAME_CHARS]
    taken = {source.name.casefold() for source in existing}
    if name.casefold() in taken:
        name = f"{name} ({host})"[:NAME_CHARS]
    state = await services.store.add_source(SourceSpec(name, url), guarded=guarded)
    kinds = {"rss": "an RSS feed", "atom": "an Atom feed", "html": "a listing page"}
    how = kinds.get(str(read.kind), "a source")
    if read.feed_url:
        how = f"the feed it announces, {escape(read.feed_url)}"
    await reply(
        update,
        f"✅ Added <b>{escape(state.name)}</b>, read as {how}: {len(read.articles)} articles "
        "now. They are recorded at the next poll; later articles are pushed.",
    )


async def removesource_command(update: Update, context: NewsContext) -> None:
    """Stop polling a source by name; its stored articles stay."""
    if not is_admin(update, context):
        await reply(update, NOT_ADMIN)
        return
    name = command_text(update)
    if not name:
        await reply(update, "Usage: /removesource NAME — /sources lists the names.")
        return
    removed = await context.services.store.disable_source(name)
    if removed is None:
        await reply(update, f"No source named {escape(name)}. /sources lists them.")
        return
    note = (
        " It is in the sources file, so it returns when the bot restarts unless removed there."
        if removed.origin == "file"
        else ""
    )
    await reply(update, f"🗑 Removed <b>{escape(removed.name)}</b>.{note}")
