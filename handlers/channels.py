"""Channels managed from a private chat: `/subscribe @mychannel Peru`, `/channels`.

A channel can't talk to the bot, so its admins manage it from their private chat with the
channel as the command's first word (its @username, or its -100… id). Before anything is
read or stored, Telegram is asked (getChatMember) whether the sender administers the
channel and whether the bot may post there; the reply says exactly what is missing.
Commands posted inside a channel are never answered: one log line says why.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import escape

from telegram import Chat as TelegramChat
from telegram import ChatMember, ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.i18n import N_
from bot.query.resolver import split_terms
from handlers.common import command_text, reply, subscriber_id, tr
from handlers.context import NewsContext

NOT_FOUND = N_(
    "I can't find the channel {name}. Check the name; a private channel is named by its "
    "-100… id, and I must be in it: add me as an admin with 'Post messages' first."
)
NOT_A_CHANNEL = N_("{name} is not a channel. To manage a group, send the command in the group.")
ONLY_ADMINS = N_("Only {name}'s admins can change what it follows, and I can't see you among them.")
ADD_ME = N_("Add me to {name} as an admin with 'Post messages', then send the command again.")
FROM_PRIVATE = N_(
    "Manage {name} from a private chat with me: send me the same command there, "
    "and this chat's own subscriptions stay as they are."
)
NO_CHANNELS = N_(
    "You don't manage a channel through me yet. Make me an admin of your channel with "
    "'Post messages', then send me <code>/subscribe @yourchannel Peru</code>."
)
CHANNELS_TITLE = N_("<b>Channels you manage through me</b>")
CHANNELS_HINT = N_(
    "Change one with its name first: <code>/list {name}</code>, "
    "<code>/unsubscribe {name} 2</code>, <code>/pause {name}</code>."
)
STOPPED = N_("stopped: I can't post there")
PAUSED = N_("paused")
YOUR_CHANNELS = N_("your channels")

# a channel's @username (5-32 characters) or a channel or supergroup id
CHANNEL_WORD = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{6,}")
MANAGERS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Addressed:
    """Which subscriber a command is about, and its words after the channel, if one was named."""

    chat_id: int
    words: str
    channel: str | None = None  # how the reader named the channel: "@andesnews"

    @property
    def argument(self) -> str:
        """The words for the resolver; "" when nothing in them can be looked up."""
        return self.words if split_terms(self.words) else ""


async def addressed(update: Update, context: NewsContext, *, posting: bool) -> Addressed | None:
    """The subscriber a command is about: a channel named first, a topic, or the chat.

    None when a named channel was refused (the reply said why). `posting`: the command
    leads to posts (subscribe, resume, settings), so the bot must be able to post.
    """
    text = command_text(update)
    first, rest = [*text.split(None, 1), "", ""][:2]
    myself = f"@{context.bot.username}".lower()
    if not CHANNEL_WORD.fullmatch(first) or first.lower() == myself:  # "/subscribe @newsbot"
        chat_id = await subscriber_id(update, context)
        return None if chat_id is None else Addressed(chat_id, text)
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await reply(update, tr(context).gettext(FROM_PRIVATE).format(name=escape(first)))
        return None
    channel = await _checked_channel(update, context, first, posting=posting)
    if channel is None:
        return None
    return Addressed(channel, rest.strip(), first)


async def _checked_channel(
    update: Update, context: NewsContext, name: str, *, posting: bool
) -> int | None:
    """The channel's id once Telegram says the sender administers it and the bot may post."""
    user = update.effective_user
    if user is None:
        return None
    shown = escape(name)
    try:
        found = await context.bot.get_chat(int(name) if name.startswith("-") else name)
    except (BadRequest, Forbidden) as exc:
        log.info("channel %s not found for user %s: %s", name, user.id, exc.message)
        await reply(update, tr(context).gettext(NOT_FOUND).format(name=shown))
        return None
    if found.type != TelegramChat.CHANNEL:
        await reply(update, tr(context).gettext(NOT_A_CHANNEL).format(name=shown))
        return None
    store = context.services.store
    stored = await store.get_chat(found.id)
    can_post = may_post(await _member(context, found.id, context.bot.id))
    if not can_post:
        # without admin rights the bot can't see the channel's admins: its manager may still
        # look, unsubscribe and pause, never start posts
        if posting or stored is None or stored.managed_by != user.id:
            await reply(update, tr(context).gettext(ADD_ME).format(name=shown))
            return None
        return found.id
    member = await _member(context, found.id, user.id)
    if member is None or member.status not in MANAGERS:
        await reply(update, tr(context).gettext(ONLY_ADMINS).format(name=shown))
        return None
    if posting or stored is None:
        # a new channel starts in the language its admin reads; a stored one keeps its own
        title = found.title or name
        language = tr(context).code
        await store.upsert_chat(
            found.id, ChatType.CHANNEL, title, language=language, managed_by=user.id
        )
    return found.id


async def _member(context: NewsContext, chat_id: int, user_id: int) -> ChatMember | None:
    try:
        return await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.info("channel %s: cannot read member %s: %s", chat_id, user_id, exc)
        return None


def may_post(member: ChatMember | None) -> bool:
    """Whether the bot, as this member of a channel, may post there."""
    if member is None:
        return False
    if member.status == ChatMemberStatus.OWNER:
        return True
    return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)


async def channels_command(update: Update, context: NewsContext) -> None:
    """The channels this user manages through newsbot, with what state each is in."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    t = tr(context)
    if chat.type != ChatType.PRIVATE:
        await reply(update, t.gettext(FROM_PRIVATE).format(name=t.gettext(YOUR_CHANNELS)))
        return
    store = context.services.store
    channels = await store.managed_channels(user.id)
    if not channels:
        await reply(update, t.gettext(NO_CHANNELS))
        return
    lines = [t.gettext(CHANNELS_TITLE), ""]
    for channel in channels:
        count = len(await store.list_subscriptions(channel.id))
        states = [t.ngettext("{count} followed", "{count} followed", count).format(count=count)]
        if channel.paused:
            states.append(t.gettext(PAUSED))
        if not channel.active:
            states.append(t.gettext(STOPPED))
        lines.append(f"• {escape(channel.title)} (<code>{channel.id}</code>): {', '.join(states)}")
    lines += ["", t.gettext(CHANNELS_HINT).format(name=channels[0].id)]
    await reply(update, "\n".join(lines))


async def channel_post(update: Update, context: NewsContext) -> None:
    """A command posted in a channel is never answered: every reader would see the reply."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    word = (message.text or "").split(None, 1)[0] if message.text else ""
    log.info(
        "channel %s: ignoring %s posted in the channel; channels are managed from a private "
        "chat with the bot",
        chat.id,
        word[:40],
    )
