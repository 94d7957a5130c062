"""/status for ADMIN_IDS: the outbox at a glance, failed pushes with their errors."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.delivery.status_report import status_lines
from handlers.common import NOT_ADMIN, is_admin, reply
from handlers.context import NewsContext


async def status_command(update: Update, context: NewsContext) -> None:
    if not is_admin(update, context):
        await reply(update, NOT_ADMIN)
        return
    stats = await context.services.store.delivery_stats()
    lines = ["<b>Delivery</b>", "", *map(escape, status_lines(stats))]
    await reply(update, "\n".join(lines))
