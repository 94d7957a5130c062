"""/sources, /addsource URL [name], /removesource NAME: source health and changes for ADMIN_IDS."""

from __future__ import annotations

import time
from html import escape

from telegram import Update

from bot.delivery.source_report import summary_line
from bot.i18n import N_, Translator
from bot.pipeline.add_source import (
    AddOutcome,
    AlreadyPolled,
    NotAUrl,
    Refused,
    Unreadable,
    add_source,
)
from handlers.common import NOT_ADMIN, command_text, is_admin, reply, shown, tr
from handlers.context import NewsContext

REASON_CHARS = 300  # a refusal or an error quoted back: it may hold the reader's whole URL
NO_SOURCES = N_("No sources. Add one with /addsource URL.")
ADD_USAGE = N_("Usage: /addsource URL [name] — an http:// or https:// address.")
REMOVE_USAGE = N_("Usage: /removesource NAME — /sources lists the names.")
KINDS = {"rss": N_("an RSS feed"), "atom": N_("an Atom feed"), "html": N_("a listing page")}
SOME_KIND = N_("a source")
IN_THE_FILE = N_(
    "It is in the sources file, so it returns when the bot restarts unless removed there."
)


async def sources_command(update: Update, context: NewsContext) -> None:
    """Each source's health, so operators see what is failing without a shell."""
    t = tr(context)
    if not is_admin(update, context):
        await reply(update, t.gettext(NOT_ADMIN))
        return
    sources = await context.services.store.list_sources()
    if not sources:
        await reply(update, t.gettext(NO_SOURCES))
        return
    now = time.time()
    failing = sum(1 for s in sources if s.last_error)
    title = t.ngettext(
        "{count} source, {failing} failing", "{count} sources, {failing} failing", len(sources)
    ).format(count=len(sources), failing=failing)
    lines = [f"<b>{title}</b>", ""]
    lines += [escape(summary_line(source, now, t)) for source in sources]
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
    await reply(update, _added_text(outcome, tr(context)))


def _added_text(outcome: AddOutcome, t: Translator) -> str:
    """The outcome in the operator's language; a refusal's or error's own detail stays as is."""
    if isinstance(outcome, NotAUrl):
        return t.gettext(ADD_USAGE)
    if isinstance(outcome, Refused):
        return t.gettext("⛔ Refused: {reason}.").format(reason=shown(outcome.reason, REASON_CHARS))
    if isinstance(outcome, AlreadyPolled):
        return t.gettext("Already polled as <b>{name}</b>.").format(
            name=shown(outcome.name, REASON_CHARS)
        )
    if isinstance(outcome, Unreadable):
        return t.gettext("❌ Not added: {error}").format(error=shown(outcome.error, REASON_CHARS))
    how = t.gettext(KINDS.get(str(outcome.kind), SOME_KIND))
    if outcome.feed_url:
        how = t.gettext("the feed it announces, {url}").format(
            url=shown(outcome.feed_url, REASON_CHARS)
        )
    return t.ngettext(
        "✅ Added <b>{name}</b>, read as {how}: {count} article now. "
        "It is recorded at the next poll; later articles are pushed.",
        "✅ Added <b>{name}</b>, read as {how}: {count} articles now. "
        "They are recorded at the next poll; later articles are pushed.",
        outcome.articles,
    ).format(name=escape(outcome.source.name), how=how, count=outcome.articles)


async def removesource_command(update: Update, context: NewsContext) -> None:
    """Stop polling a source by name; its stored articles stay."""
    t = tr(context)
    if not is_admin(update, context):
        await reply(update, t.gettext(NOT_ADMIN))
        return
    name = command_text(update)
    if not name:
        await reply(update, t.gettext(REMOVE_USAGE))
        return
    removed = await context.services.store.disable_source(name)
    if removed is None:
        await reply(
            update,
            t.gettext("No source named {name}. /sources lists them.").format(name=shown(name)),
        )
        return
    text = t.gettext("🗑 Removed <b>{name}</b>.").format(name=escape(removed.name))
    if removed.origin == "file":
        text += " " + t.gettext(IN_THE_FILE)
    await reply(update, text)
