"""/latest: recent headlines for the chat's subscriptions or for the words given."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.delivery.render import list_html
from bot.pipeline.match import latest
from bot.query.words import resolve_all
from handlers.common import SUBSCRIBE, argument, buttons, keyboard, reply, subscriber_id, tr
from handlers.context import NewsContext

LATEST_COUNT = 8


async def latest_command(update: Update, context: NewsContext) -> None:
    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    text = argument(update)
    t = tr(context)
    if text:
        targets, unresolved = resolve_all(services.resolver, text, t)
        if unresolved:
            suggestions = [target for item in unresolved for target in item.suggestions]
            message = "\n".join(escape(item.message) for item in unresolved)
            await reply(update, message, keyboard(buttons(SUBSCRIBE, suggestions, t)))
            return
        about = t.labels(targets)
    else:
        chat_id = await subscriber_id(update, context)  # a forum topic's own subscriptions
        followed = await services.store.list_subscriptions(chat_id or chat.id)
        targets = [sub.target for sub in followed]
        about = t.gettext("what you follow") if targets else t.gettext("all sources")
    articles = await latest(services.store, targets, limit=LATEST_COUNT)
    if not articles:
        await reply(
            update,
            t.gettext(
                "No recent articles about {about} yet. "
                "I'll push new ones as they appear if you /subscribe."
            ).format(about=escape(about)),
        )
        return
    heading = t.gettext("🗞 Latest — {about}").format(about=about)
    await reply(update, list_html(heading, articles, t))
