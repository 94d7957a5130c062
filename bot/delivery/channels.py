"""A channel the bot can no longer post in: stopped, and the admin who manages it told once.

The sender calls this when Telegram refuses a push for want of rights, and the handlers when a
my_chat_member update says the bot was removed or lost 'Post messages'; whichever comes
first stops the channel and tells its manager, the other finds it stopped and says nothing.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.store.base import ChatStore

log = logging.getLogger(__name__)

RIGHTS_LOST = (
    "⚠️ I can no longer post in <b>{title}</b> ({reason}), so its pushes have stopped.\n"
    "Make me an admin there with 'Post messages' again, then send "
    "<code>/resume {chat_id}</code>."
)
# Telegram's words for a push refused because the bot may not post in the chat
NO_RIGHTS = ("not enough rights", "need administrator rights", "chat_write_forbidden")


def lacks_rights(reason: str) -> bool:
    """Whether Telegram refused a message because the bot may not post there."""
    lowered = reason.lower()
    return any(words in lowered for words in NO_RIGHTS)


async def stop_channel(bot: ExtBot[Any], store: ChatStore, chat_id: int, reason: str) -> None:
    """Mark the channel inactive; if it was active and someone manages it, tell them in private."""
    chat = await store.get_chat(chat_id)
    if not await store.deactivate_chat(chat_id, reason):
        return
    log.info("channel %s: the bot may not post any more (%s); stopped", chat_id, reason)
    if chat is None or chat.managed_by is None:
        return
    text = RIGHTS_LOST.format(
        title=escape(chat.title or str(chat_id)), reason=escape(reason), chat_id=chat_id
    )
    try:
        await bot.send_message(chat.managed_by, text)
    except TelegramError as exc:  # the manager blocked us too: the log is all that is left
        log.warning("channel %s: cannot tell its manager %s: %s", chat_id, chat.managed_by, exc)
