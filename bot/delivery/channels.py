"""A channel the bot can no longer post in: stopped, and the admin who manages it told once.

The sender calls this when Telegram refuses a push for want of rights, and the handlers when a
my_chat_member update says the bot was removed or lost 'Post messages'; whichever comes
first stops the channel and sends its manager the notice, the other finds it stopped and
has nothing to say. No Telegram here: each caller sends the notice with its own bot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

from bot.i18n import N_, translator
from bot.store.base import ChatStore

log = logging.getLogger(__name__)

RIGHTS_LOST = N_(
    "⚠️ I can no longer post in <b>{title}</b> ({reason}), so its pushes have stopped.\n"
    "Make me an admin there with 'Post messages' again, then send "
    "<code>/resume {chat_id}</code>."
)
# Telegram's words for a push refused because the bot may not post in the chat
NO_RIGHTS = ("not enough rights", "need administrator rights", "chat_write_forbidden")


@dataclass(frozen=True, slots=True)
class Notice:
    """A private message for a channel's manager; the caller sends it with its bot."""

    chat_id: int
    html: str


def lacks_rights(reason: str) -> bool:
    """Whether Telegram refused a message because the bot may not post there."""
    lowered = reason.lower()
    return any(words in lowered for words in NO_RIGHTS)


async def stop_channel(store: ChatStore, chat_id: int, reason: str) -> Notice | None:
    """Mark the channel inactive; the notice for its manager when it was active till now."""
    chat = await store.get_chat(chat_id)
    if not await store.deactivate_chat(chat_id, reason):
        return None
    log.info("channel %s: the bot may not post any more (%s); stopped", chat_id, reason)
    if chat is None or chat.managed_by is None:
        return None
    manager = await store.get_chat(chat.managed_by)  # told in the language they read
    t = translator(manager.language if manager is not None else None)
    text = t.gettext(RIGHTS_LOST).format(
        title=escape(chat.title or str(chat_id)), reason=escape(reason), chat_id=chat_id
    )
    return Notice(chat.managed_by, text)
