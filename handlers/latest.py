"""/latest: recent headlines for the chat's subscriptions or for the words given."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.delivery.render import list_html
from bot.pipeline.match import latest
from bot.query.words import resolve_all
from handlers.common import SUBSCRIBE, argument, buttons, keyboard, labels, reply, subscriber_id
from handlers.context import NewsContext

LATEST_COUNT = 8


async def latest_command(update: Update, context: NewsContext) -> None:
    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    text = argument(update)
    if text:
        targets, unresolved = resolve_all(services.resolver, text)
        if unresolved:
            suggestions = [t for item in unresolved for t in item.suggestions]
            message = "\n".join(escape(item.message) for item in unresolved)
            await reply(update, message, keyboard(buttons(SUBSCRIBE, suggestions)))
            return
        about = labels(targets)
    else:
        chat_id = await subscriber_id(update, context)  # a forum topic's own subscriptions
        followed = await services.store.list_subscriptions(chat_id or chat.id)
        targets = [sub.target for sub in followed]
        about = "what you follow" if targets else "all sources"
    articles = await latest(services.store, targets, limit=LATEST_COUNT)
    if not articles:
        await reply(
            update,
            f"No recent articles about {escape(about)} yet. "
            "I'll push new ones as they appear if you /subscribe.",
        )
        return
    await reply(update, list_html(f"🗞 Latest — {about}", articles))
