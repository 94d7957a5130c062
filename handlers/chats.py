"""Chat bookkeeping and the answers for what no other handler takes."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.error import BadRequest, Conflict, NetworkError, TelegramError, TimedOut
from telegram.ext import ApplicationHandlerStop

from bot.errors import StorageError
from handlers.common import may_change, reply
from handlers.context import NewsContext

log = logging.getLogger(__name__)
GONE = (ChatMember.LEFT, ChatMember.BANNED)


async def remember_chat(update: Update, context: NewsContext) -> None:
    """Every chat that talks to us is stored; talking again re-activates one that had left."""
    chat = update.effective_chat
    if chat is None:
        return
    store = context.services.store
    member = update.my_chat_member
    if member is not None and member.new_chat_member.status in GONE:
        await store.deactivate_chat(chat.id, f"bot {member.new_chat_member.status}")
        return
    title = chat.title or chat.full_name or chat.username or ""
    await store.upsert_chat(chat.id, chat.type, title)


async def pause(update: Update, context: NewsContext) -> None:
    chat = update.effective_chat
    if chat is not None and await may_change(update, context):
        await context.services.store.set_paused(chat.id, True)
        await reply(
            update, "⏸ Pushes paused. /resume when you want them again; /latest still works."
        )


async def resume(update: Update, context: NewsContext) -> None:
    chat = update.effective_chat
    if chat is not None and await may_change(update, context):
        await context.services.store.set_paused(chat.id, False)
        await reply(update, "▶️ Pushes resumed. New articles you follow will arrive here.")


async def unknown_command(update: Update, context: NewsContext) -> None:
    await reply(update, "I don't know that command. /help lists what I understand.")


async def plain_message(update: Update, context: NewsContext) -> None:
    await reply(
        update,
        "I work with commands: try /subscribe Peru, /latest or /help.",
    )


async def on_error(update: object, context: NewsContext) -> None:
    """Log the failure with where it happened, not the reader's message text."""
    where = ""
    if isinstance(update, Update):
        chat = update.effective_chat
        where = f" {update.update_id} in chat {chat.id if chat else '?'}"
    if isinstance(context.error, Conflict):
        stop_fighting(context)
        return
    if update is None and type(context.error) in (NetworkError, TimedOut):
        # getUpdates failed: the Link says once that Telegram is down, and once it is back
        log.debug("getUpdates failed: %s", context.error)
        return
    if isinstance(context.error, BadRequest) and "not modified" in context.error.message.lower():
        # a stale button tapped twice: Telegram says nothing changed, which is normal
        log.debug("message not modified for update%s", where)
        return
    if isinstance(context.error, StorageError):
        # a full disk or a locked database: one line, and the reader hears back instead of silence
        log.warning("store failed for update%s: %s", where, context.error)
        if isinstance(update, Update):
            await say_unavailable(update)
        # the update's later handlers would meet the same store: one reply, not one each
        raise ApplicationHandlerStop
    log.error("handler failed for update%s", where, exc_info=context.error)


UNAVAILABLE = "⚠️ Temporarily unavailable: try again in a minute."


async def say_unavailable(update: Update) -> None:
    """The one answer to an update the store failed, instead of silence."""
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(UNAVAILABLE, show_alert=True)
        else:
            await reply(update, UNAVAILABLE)
    except TelegramError as exc:
        log.warning("cannot say the store is unavailable: %s", exc)


def stop_fighting(context: NewsContext) -> None:
    """409 Conflict: another process polls with this token. Say so once and stop polling."""
    if context.bot_data.get(CONFLICT):
        return
    context.bot_data[CONFLICT] = True
    log.error("Telegram answered 409 Conflict: another process uses this bot token; stopping")
    context.application.stop_running()


CONFLICT = "conflict"  # bot_data key: set once a 409 stopped this process
