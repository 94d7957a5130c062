"""/start, /help and /topics: what the bot is and how to use it."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.classify.topics import TOPICS
from bot.i18n import N_
from bot.query.subscriptions import popular
from handlers.common import SUBSCRIBE, buttons, keyboard, reply, tr
from handlers.context import NewsContext

WELCOME = N_(
    "👋 <b>I bring you independent news about the places and movements you care about.</b>\n\n"
    "Tell me what to follow and I push new articles as they appear:\n"
    '/subscribe Peru · /subscribe labor · /subscribe "lithium mining"\n\n'
    "Or tap one to start:"
)

HELP = N_(
    "<b>What I understand</b>\n\n"
    '/subscribe <i>country, topic or "phrase"</i> — follow it; several at once with commas\n'
    "   e.g. <code>/subscribe Peru, strikes</code> or <code>/subscribe keyword lithium</code>\n"
    "   regions: <code>/subscribe Latin America</code>; filters: "
    "<code>/subscribe Peru AND (strike OR protest) -football</code>\n"
    "/unsubscribe <i>…</i> — stop following: a name, a filter, or a number from /list "
    "(alone: pick from buttons)\n"
    "/list — what this chat follows, numbered\n"
    "/topics — the topics I know\n"
    "/latest <i>[country, topic or phrase]</i> — recent headlines\n"
    "/why — reply it to a push (or /why <i>URL</i>) to see which words tagged it\n"
    "/settings — quiet hours, a daily digest, your time zone "
    "(<code>/settings tz America/Lima</code>)\n"
    "/pause and /resume — stop and restart pushes\n"
    "/language — English or Spanish (Español); a channel's: "
    "<code>/language @yourchannel es</code>\n"
    "/channels — the channels you manage through me: "
    "<code>/subscribe @yourchannel Peru</code> here, the channel first\n"
    "/start — the welcome, with one-tap subscriptions\n"
    "/help — this message"
)


async def start(update: Update, context: NewsContext) -> None:
    targets = popular(context.services.resolver)
    t = tr(context)
    await reply(update, t.gettext(WELCOME), keyboard(buttons(SUBSCRIBE, targets, t)))


async def help_command(update: Update, context: NewsContext) -> None:
    await reply(update, tr(context).gettext(HELP))


async def topics(update: Update, context: NewsContext) -> None:
    t = tr(context)
    lines = [t.gettext("<b>Topics</b> — follow one with /subscribe <i>name</i>"), ""]
    lines += [
        f"{item.emoji} <b>{escape(t.topic_name(item.slug))}</b> (<code>{item.slug}</code>) — "
        f"{escape(t.topic_description(item.slug))}"
        for item in TOPICS
    ]
    await reply(update, "\n".join(lines))
