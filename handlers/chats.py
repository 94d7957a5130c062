"""Chat bookkeeping and the answers for what no other handler takes."""

from __future__ import annotations

import logging
from html import escape

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Conflict, NetworkError, TelegramError, TimedOut
from telegram.ext import ApplicationHandlerStop

from bot.delivery.channels import stop_channel
from bot.errors import StorageError
from bot.i18n import N_, language_for
from bot.text import echo
from handlers.channels import addressed, may_post
from handlers.common import LANGUAGE, may_change, reply, thread_of, tr
from handlers.context import NewsContext

log = logging.getLogger(__name__)
GONE = (ChatMember.LEFT, ChatMember.BANNED)
CHANNEL_PAUSED = N_(
    "⏸ Pushes to {name} paused. <code>/resume {name}</code> when you want them again."
)
CHANNEL_RESUMED = N_("▶️ Pushes to {name} resumed: new articles it follows will be posted there.")


async def remember_chat(update: Update, context: NewsContext) -> None:
    """Every chat that talks to us is stored; talking again re-activates one that had left.

    The update's language is set here for every handler after it: the chat's, or in a forum
    topic that chose one, the topic's.

    A channel is stored by the admin who manages it (handlers.channels), never by its posts:
    they say nothing of whether the bot may post there. Losing that right stops it.
    """
    chat = update.effective_chat
    if chat is None:
        return
    store = context.services.store
    member = update.my_chat_member
    if chat.type == ChatType.CHANNEL:
        if member is not None and not may_post(member.new_chat_member):
            status = member.new_chat_member.status
            reason = f"bot {status}" if status in GONE else "no 'Post messages' right"
            notice = await stop_channel(store, chat.id, reason)
            if notice is not None:
                try:
                    await context.bot.send_message(notice.chat_id, notice.html)
                except TelegramError as exc:
                    log.warning("channel %s: cannot tell its manager: %s", chat.id, exc)
        return
    if member is not None and member.new_chat_member.status in GONE:
        await store.deactivate_chat(chat.id, f"bot {member.new_chat_member.status}")
        return
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        return  # the old group's last word: it is gone, its data moves (`migrated`)
    title = chat.title or chat.full_name or chat.username or ""
    user = update.effective_user
    spoken = language_for(user.language_code) if user and user.language_code else None
    stored = await store.upsert_chat(chat.id, chat.type, title, language=spoken)
    language = stored.language
    thread = thread_of(update)
    if thread is not None and chat.type == ChatType.SUPERGROUP:
        # a topic reads its group's language until /language is sent in it
        topic = await store.get_topic(chat.id, thread)
        language = topic.language if topic is not None and topic.language else language
    if context.chat_data is not None:
        context.chat_data[LANGUAGE] = language  # one chat's updates run one at a time


async def migrated(update: Update, context: NewsContext) -> None:
    """A group became a supergroup: its subscriptions and settings move to the new id now.

    Telegram sends two service messages (migrate_to_chat_id in the old group,
    migrate_from_chat_id in the new one), in either order; the move is done by the first
    and is a no-op for the second. See `Store.migrate_chat` for how two chats' data merge.
    """
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    await context.services.store.migrate_chat(old, new)
    log.info("chat %s became supergroup %s: subscriptions and settings moved", old, new)


GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)
WELCOME_GROUP = N_(
    "👋 Thanks for adding me. I push independent news about the places and movements this "
    "group follows.\nAn admin chooses what: <code>/subscribe Peru, labor</code> "
    "(/help lists everything)."
)


async def added_to_group(update: Update, context: NewsContext) -> None:
    """Say hello when added to a group, and say so when a group that had left resumes."""
    member = update.my_chat_member
    chat = update.effective_chat
    if member is None or chat is None or chat.type not in GROUPS:
        return
    was_in = member.old_chat_member.status not in GONE
    if was_in or member.new_chat_member.status in GONE:
        return  # a change of rights, or leaving: nothing to say
    current = await context.services.store.list_subscriptions(chat.id)
    t = tr(context)
    if not current:
        await context.bot.send_message(chat.id, t.gettext(WELCOME_GROUP))
        return
    names = escape(t.labels(sub.target for sub in current[:RESUME_SHOWN]))
    more = len(current) - RESUME_SHOWN
    if more > 0:
        names += t.ngettext(" and {count} more", " and {count} more", more).format(count=more)
    await context.bot.send_message(
        chat.id,
        t.gettext(
            "👋 Welcome back. Pushes resume for what this group followed before: {names}.\n"
            "An admin can change that: /unsubscribe to pick, /pause to stop pushes for now."
        ).format(names=names),
    )


RESUME_SHOWN = 10  # subscriptions named in the welcome back


async def edited_command(update: Update, context: NewsContext) -> None:
    """An edited command is not run again: say so, instead of silently keeping the first.

    Editing `/subscribe Bolivia` into `/subscribe Cuba` would otherwise follow both, or,
    were edits ignored without a word, leave the reader thinking Cuba is followed.
    """
    message = update.edited_message
    if message is None or not message.text:
        return
    await message.reply_text(
        tr(context)
        .gettext(
            "I don't act on edited messages: send <code>{command}</code> "
            "again as a new message to run it."
        )
        .format(command=escape(echo(message.text, 60)))
    )


async def pause(update: Update, context: NewsContext) -> None:
    await _set_paused(
        update,
        context,
        True,
        CHANNEL_PAUSED,
        N_("⏸ Pushes paused. /resume when you want them again; /latest still works."),
    )


async def resume(update: Update, context: NewsContext) -> None:
    await _set_paused(
        update,
        context,
        False,
        CHANNEL_RESUMED,
        N_("▶️ Pushes resumed. New articles you follow will arrive here."),
    )


async def _set_paused(
    update: Update, context: NewsContext, paused: bool, for_channel: str, for_chat: str
) -> None:
    """/pause and /resume, of this chat or a named channel; resuming checks the bot may post,
    so a channel stopped for want of rights starts again only once it has them."""
    where = await addressed(update, context, posting=not paused)
    if where is None:
        return
    if where.channel is not None or await may_change(update, context):
        await context.services.store.set_paused(where.chat_id, paused)
        t = tr(context)
        if where.channel is not None:
            await reply(update, t.gettext(for_channel).format(name=escape(where.channel)))
        else:
            await reply(update, t.gettext(for_chat))


async def unknown_command(update: Update, context: NewsContext) -> None:
    await reply(
        update, tr(context).gettext("I don't know that command. /help lists what I understand.")
    )


async def plain_message(update: Update, context: NewsContext) -> None:
    await reply(
        update, tr(context).gettext("I work with commands: try /subscribe Peru, /latest or /help.")
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
            await say_unavailable(update, context)
        # the update's later handlers would meet the same store: one reply, not one each
        raise ApplicationHandlerStop
    log.error("handler failed for update%s", where, exc_info=context.error)


UNAVAILABLE = N_("⚠️ Temporarily unavailable: try again in a minute.")


async def say_unavailable(update: Update, context: NewsContext) -> None:
    """The one answer to an update the store failed, instead of silence."""
    answer = tr(context).gettext(UNAVAILABLE)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(answer, show_alert=True)
        else:
            await reply(update, answer)
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
