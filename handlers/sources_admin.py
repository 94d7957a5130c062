"""/sources, /addsource URL [name], /removesource NAME: source health and changes for ADMIN_IDS."""

from __future__ import annotations

import time
from html import escape

from telegram import Update

from bot.delivery.source_report import summary_line
from bot.pipeline.add_source import (
    AddOutcome,
    AlreadyPolled,
    NotAUrl,
    Refused,
    Unreadable,
    add_source,
)
from bot.text import plural
from handlers.common import NOT_ADMIN, command_text, is_admin, reply, shown, tr
from handlers.context import NewsContext

REASON_CHARS = 300  # a refusal or an error quoted back: it may hold the reader's whole URL


async def sources_command(update: Update, context: NewsContext) -> None:
    """Each source's health, so operators see what is failing without a shell."""
    if not is_admin(update, context):
        await reply(update, tr(context).gettext(NOT_ADMIN))
        return
    sources = await context.services.store.list_sources()
    if not sources:
        await reply(update, "No sources. Add one with /addsource URL.")
        return
    now = time.time()
    failing = sum(1 for s in sources if s.last_error)
    lines = [f"<b>{plural(len(sources), 'source')}, {failing} failing</b>", ""]
    lines += [escape(summary_line(source, now)) for source in sources]
    text = "\n".join(lines)
    while len(text) > 4000:  # Telegram's limit; long lists lose their tail
        lines = lines[:-1]
        text = "\n".join([*lines, "…"])
    await reply(update, text)


async def addsource_command(update: Update, context: NewsContext) -> None:
    """Add a feed, site or section URL after reading it once; internal addresses are refused."""
    if not is_admin(update, context):
        await reply(update, tr(context).gettext(NOT_ADMIN))
        return
    url, _, name = command_text(update).partition(" ")
    services = context.services
    outcome = await add_source(
        services.store,
        services.fetcher,
        url,
        name,
        guarded=not services.settings.allow_private_sources,
    )
    await reply(update, _added_text(outcome))


def _added_text(outcome: AddOutcome) -> str:
    if isinstance(outcome, NotAUrl):
        return "Usage: /addsource URL [name] — an http:// or https:// address."
    if isinstance(outcome, Refused):
        return f"⛔ Refused: {shown(outcome.reason, REASON_CHARS)}."
    if isinstance(outcome, AlreadyPolled):
        return f"Already polled as <b>{shown(outcome.name, REASON_CHARS)}</b>."
    if isinstance(outcome, Unreadable):
        return f"❌ Not added: {shown(outcome.error, REASON_CHARS)}"
    kinds = {"rss": "an RSS feed", "atom": "an Atom feed", "html": "a listing page"}
    how = kinds.get(str(outcome.kind), "a source")
    if outcome.feed_url:
        how = f"the feed it announces, {shown(outcome.feed_url, REASON_CHARS)}"
    return (
        f"✅ Added <b>{escape(outcome.source.name)}</b>, read as {how}: "
        f"{plural(outcome.articles, 'article')} now. They are recorded at the next poll; "
        "later articles are pushed."
    )


async def removesource_command(update: Update, context: NewsContext) -> None:
    """Stop polling a source by name; its stored articles stay."""
    if not is_admin(update, context):
        await reply(update, tr(context).gettext(NOT_ADMIN))
        return
    name = command_text(update)
    if not name:
        await reply(update, "Usage: /removesource NAME — /sources lists the names.")
        return
    removed = await context.services.store.disable_source(name)
    if removed is None:
        await reply(update, f"No source named {shown(name)}. /sources lists them.")
        return
    note = (
        " It is in the sources file, so it returns when the bot restarts unless removed there."
        if removed.origin == "file"
        else ""
    )
    await reply(update, f"🗑 Removed <b>{escape(removed.name)}</b>.{note}")
