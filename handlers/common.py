"""Small pieces every handler uses: the command's argument text, replies, buttons."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.delivery.render import fit
from bot.i18n import N_, Translator, translator
from bot.models import Target, TargetKind
from bot.query.resolver import split_terms
from bot.query.subscriptions import short_id
from bot.text import ECHO_CHARS, echo
from handlers.context import NewsContext

SUBSCRIBE = "s"
UNSUBSCRIBE = "u"
UNSUBSCRIBE_ALL = "u|all"
UNSUBSCRIBE_PAGE = "u|p"  # u|p|2: the picker's page 2
MAX_CALLBACK_BYTES = 64
BUTTON_CHARS = 48  # a filter's label on a button: enough to tell it apart
LANGUAGE = "language"  # chat_data: the chat's language, set for every update by remember_chat
log = logging.getLogger(__name__)


def tr(context: NewsContext) -> Translator:
    """The words of this chat's language (English until it has one)."""
    chosen = context.chat_data.get(LANGUAGE) if context.chat_data is not None else None
    return translator(chosen)


def command_text(update: Update) -> str:
    """Everything after the command word, exactly as typed."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    rest = text.split(None, 1)[1:]
    return rest[0].strip() if rest else ""


def argument(update: Update) -> str:
    """The command's words for the resolver; "" when nothing in them can be looked up."""
    text = command_text(update)
    return text if split_terms(text) else ""


def callback_data(action: str, target: Target) -> str | None:
    """A subscribe button's payload: a country code, topic or region slug, never a phrase.

    None when it would not fit Telegram's 64 bytes (a long keyword); unsubscribe buttons carry
    a short id instead (`unsubscribe_data`), so they always fit.
    """
    data = f"{action}|{target.kind.value}|{target.value}"
    return data if len(data.encode()) <= MAX_CALLBACK_BYTES else None


def unsubscribe_data(target: Target) -> str:
    """An unsubscribe button's payload: the subscription's short id, whatever its text."""
    return f"{UNSUBSCRIBE}|{short_id(target)}"


def parse_callback(data: str) -> tuple[str, TargetKind, str] | None:
    action, _, rest = data.partition("|")
    kind, _, value = rest.partition("|")
    try:
        return action, TargetKind(kind), value
    except ValueError:
        return None


def buttons(
    action: str, targets: Sequence[Target], t: Translator, *, per_row: int = 3
) -> list[list[InlineKeyboardButton]]:
    """One button per target that fits; subscribe buttons by target, unsubscribe by short id."""
    row: list[InlineKeyboardButton] = []
    rows: list[list[InlineKeyboardButton]] = []
    for target in targets:
        data = unsubscribe_data(target) if action == UNSUBSCRIBE else callback_data(action, target)
        if data is None:
            continue
        row.append(InlineKeyboardButton(echo(t.label(target), BUTTON_CHARS), callback_data=data))
        if len(row) == per_row:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return rows


def keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup(rows) if rows else None


def shown(text: str, limit: int = ECHO_CHARS) -> str:
    """A reader's words quoted back in an HTML reply: cut (`bot.text.echo`), then escaped."""
    return escape(echo(text, limit))


async def reply(update: Update, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer the message; a reply too long for Telegram is cut at a line, never refused."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(fit(html), reply_markup=markup)  # HTML, no preview: defaults


def thread_of(update: Update) -> int | None:
    """The forum topic an update came from; None for General and chats without topics."""
    message = update.effective_message
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


def topic_name(message: Message) -> str:
    """A topic's name, when the message carries it (it replies to the topic's creation)."""
    replied = message.reply_to_message
    created = replied.forum_topic_created if replied is not None else None
    return created.name if created is not None else ""


async def subscriber_id(update: Update, context: NewsContext) -> int | None:
    """Who a message or button speaks for: its forum topic (a subscriber of its own), else
    its chat. General, and groups without topics, are the chat itself."""
    chat = update.effective_chat
    thread = thread_of(update)
    if chat is None or thread is None or chat.type != ChatType.SUPERGROUP:
        return chat.id if chat is not None else None
    message = update.effective_message
    name = topic_name(message) if message is not None else ""
    title = f"{chat.title or ''} · {name}" if name else ""
    topic = await context.services.store.topic_subscriber(chat.id, thread, title)
    return topic.id


NOT_ADMIN = N_("Only the bot's operators can do that.")


def is_admin(update: Update, context: NewsContext) -> bool:
    """Operators are the Telegram users listed in ADMIN_IDS."""
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admin_ids


NOT_GROUP_ADMIN = N_("Only this group's admins can change what it follows and when.")


async def may_change(update: Update, context: NewsContext) -> bool:
    """Whether this sender may change the chat's subscriptions or settings, saying so if not.

    Anyone may in a private chat; in a group or channel only its admins (an anonymous admin
    writes as the group itself), so one member can't unsubscribe everyone.
    """
    chat = update.effective_chat
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message
    speaker = message.sender_chat if message is not None else None
    # a tap on a button in a channel shows the channel as the post's sender: ask about the tapper
    if update.callback_query is None and speaker is not None and speaker.id == chat.id:
        return True
    user = update.effective_user
    allowed = False
    if user is not None:
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
        except TelegramError as exc:
            log.warning("chat %s: cannot check %s's rights: %s", chat.id, user.id, exc)
        else:
            allowed = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    if not allowed:
        refusal = tr(context).gettext(NOT_GROUP_ADMIN)
        if update.callback_query is not None:
            await update.callback_query.answer(refusal, show_alert=True)
        else:
            await reply(update, refusal)
    return allowed
