"""Everyday paths through the real bot process and the fake Bot API: the README's filter
unsubscribed by its button and by text, and a group's move to a supergroup with its settings.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import BotProcess, serving
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import DEFAULT_GROUP_USER_ID, FakeTelegram, SentMessage

READER = 1001
GROUP = -5001
SUPERGROUP = -1005001
FILTER = "Peru AND (strike OR protest) -football"


async def say(
    telegram: FakeTelegram, text: str, chat_id: int = READER, chat_type: str = "private"
) -> SentMessage:
    """Send a command and return the bot's reply."""
    before = len(telegram.messages_to(chat_id, method="sendMessage"))
    telegram.send_text(chat_id, text, chat_type=chat_type)
    replies = await telegram.wait_for_messages(chat_id, before + 1, method="sendMessage")
    return replies[before]


async def press(telegram: FakeTelegram, message: SentMessage, data: str) -> SentMessage:
    """Tap a button and return the bot's edit of that message."""
    before = len(telegram.messages_to(message.chat_id, method="editMessageText"))
    telegram.press_button(message.chat_id, message.message_id, data)
    edits = await telegram.wait_for_messages(message.chat_id, before + 1, method="editMessageText")
    return edits[before]


def callbacks(message: SentMessage) -> dict[str, str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def test_the_readme_filter_is_unsubscribed_by_button_and_by_text(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    bot = BotProcess(bot_env, tmp_path)
    await bot.start()
    try:
        await telegram.wait_for_call("setMyCommands", timeout=30)
        assert "Subscribed to 🧩" in (await say(telegram, f"/subscribe {FILTER}")).text
        picker = await say(telegram, "/unsubscribe")
        (data,) = [d for text, d in callbacks(picker).items() if text.startswith("🧩")]
        emptied = await press(telegram, picker, data)
        assert emptied.text.startswith("You no longer follow anything")

        await say(telegram, f"/subscribe {FILTER}")
        listing = await say(telegram, "/list")
        assert "1. 🧩" in listing.plain_text
        reply = await say(telegram, "/unsubscribe -football (protest OR strike) AND Peru")
        assert reply.plain_text.startswith("Unsubscribed from 🧩")
        assert (await say(telegram, "/list")).plain_text.startswith("You don't follow anything")
        assert "Traceback" not in bot.log()
    except BaseException:
        print(bot.log())
        raise
    finally:
        await bot.stop()


async def test_a_group_that_becomes_a_supergroup_keeps_subscriptions_and_settings(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    telegram.group_admins[GROUP].add(DEFAULT_GROUP_USER_ID)
    telegram.group_admins[SUPERGROUP].add(DEFAULT_GROUP_USER_ID)
    async with serving(bot_env, tmp_path, telegram, site) as bot:
        await say(telegram, "/subscribe Peru", GROUP, "group")
        await say(telegram, "/settings tz America/Lima", GROUP, "group")
        await say(telegram, "/settings digest 8", GROUP, "group")

        # the supergroup's service message comes before its /settings: one chat, in order
        telegram.migrate_group(GROUP, SUPERGROUP)
        settings = await say(telegram, "/settings", SUPERGROUP, "supergroup")
        assert "Time zone: America/Lima (UTC-5)" in settings.plain_text
        assert "one digest a day at 08:00" in settings.plain_text
        listing = await say(telegram, "/list", SUPERGROUP, "supergroup")
        assert "🇵🇪 Peru" in listing.plain_text
        assert "Traceback" not in bot.log()
