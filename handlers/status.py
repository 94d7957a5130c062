"""/status for ADMIN_IDS: the outbox at a glance, failed pushes with their errors."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.delivery.status_report import paused_lines, status_lines
from bot.errors import StorageError
from handlers.common import NOT_ADMIN, is_admin, reply, tr
from handlers.context import NewsContext


async def status_command(update: Update, context: NewsContext) -> None:
    t = tr(context)
    if not is_admin(update, context):
        await reply(update, t.gettext(NOT_ADMIN))
        return
    sender = context.services.sender
    paused = paused_lines(sender.store_error, sender.unrecorded, t)
    try:
        stats = await context.services.store.delivery_stats()
    except StorageError as exc:  # the store fails: say what the sender knows, not nothing
        if not paused:
            raise
        report = [*paused, t.gettext("The outbox cannot be read: {error}").format(error=exc)]
    else:
        report = [*paused, *status_lines(stats, t)]
    lines = [t.gettext("<b>Delivery</b>"), "", *map(escape, report)]
    await reply(update, "\n".join(lines))
