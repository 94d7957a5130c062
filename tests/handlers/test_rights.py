"""may_change: who may change a chat's subscriptions and settings."""

from __future__ import annotations

from typing import Any

from telegram import ChatMemberMember, Update, User

from handlers.common import NOT_GROUP_ADMIN, may_change

CHANNEL = -1001234
VIEWER = 777


class Bot:
    """Just what may_change asks of a bot, recorded."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, int]] = []
        self.answers: list[dict[str, Any]] = []

    async def get_chat_member(self, chat_id: int, user_id: int) -> ChatMemberMember:
        self.asked.append((chat_id, user_id))
        return ChatMemberMember(User(user_id, "Viewer", False))

    async def answer_callback_query(self, callback_query_id: str, **kwargs: Any) -> bool:
        self.answers.append(kwargs)
        return True


class Context:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.chat_data: dict[str, str] = {}


async def test_a_viewer_tapping_a_channel_button_is_asked_about_not_the_channel() -> None:
    """The bot's post in a channel has the channel as sender: that must not count as an admin."""
    channel = {"id": CHANNEL, "type": "channel", "title": "News"}
    payload = {
        "update_id": 1,
        "callback_query": {
            "id": "42",
            "from": {"id": VIEWER, "is_bot": False, "first_name": "Viewer"},
            "chat_instance": "ci",
            "data": "u|all",
            "message": {
                "message_id": 5,
                "date": 0,
                "chat": channel,
                "sender_chat": channel,
                "text": "Tap what to stop following:",
            },
        },
    }
    bot = Bot()
    update = Update.de_json(payload, None)
    assert update.callback_query is not None
    update.callback_query.set_bot(bot)  # type: ignore[arg-type]
    assert not await may_change(update, Context(bot))  # type: ignore[arg-type]
    assert bot.asked == [(CHANNEL, VIEWER)]
    assert bot.answers[0]["text"] == NOT_GROUP_ADMIN and bot.answers[0]["show_alert"] is True
