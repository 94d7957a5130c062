"""The whole bot as an operator runs it (`python -m bot run`), against a fake Bot API and news site.

Both fakes listen on 127.0.0.1 inside the test; the bot is a real subprocess, so a restart is a
real restart.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import FRANCE, PERU, PERU_LATER, BotProcess, article, polls_after
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import FakeTelegram, SentMessage

READER = 1001


async def say(telegram: FakeTelegram, text: str) -> SentMessage:
    """Send a command as the reader and return the bot's reply."""
    before = len(telegram.messages_to(READER, method="sendMessage"))
    telegram.send_text(READER, text)
    replies = await telegram.wait_for_messages(READER, before + 1, method="sendMessage")
    return replies[before]


def pushes(telegram: FakeTelegram, url: str) -> list[SentMessage]:
    """The pushes of one article: a message that opens with its bold, linked title."""
    opening = f'<b><a href="{url}">'
    return [
        m for m in telegram.messages_to(READER, method="sendMessage") if m.text.startswith(opening)
    ]


async def test_subscribe_poll_push_latest_restart_unsubscribe(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    backlog_url = site.add(
        article("old-lima-story", "An Older Story From Lima", "Peru's backlog is not pushed.")
    )
    bot = BotProcess(bot_env, tmp_path)
    await bot.start()
    try:
        await telegram.wait_for_call("setMyCommands", timeout=30)
        assert {"subscribe", "latest", "unsubscribe"} <= {c["command"] for c in telegram.commands}
        await polls_after(site, 1, deadline=30)

        reply = await say(telegram, "/subscribe Peru")
        assert "Subscribed to" in reply.text and "Peru" in reply.text

        peru_url = site.add(PERU)
        france_url = site.add(FRANCE)
        await telegram.wait_for(lambda: bool(pushes(telegram, peru_url)), timeout=20, what="push")
        await polls_after(site, 2)
        (push,) = pushes(telegram, peru_url)
        assert PERU.title in push.text and push.parse_mode == "HTML"
        assert "#Peru" in push.text and "Fake" in push.text
        assert pushes(telegram, france_url) == []
        assert pushes(telegram, backlog_url) == []

        latest = await say(telegram, "/latest")
        assert PERU.title in latest.text and FRANCE.title not in latest.text
        latest_france = await say(telegram, "/latest France")
        assert FRANCE.title in latest_france.text

        assert await bot.stop() == 0
        sent_before_restart = len(telegram.messages_to(READER, method="sendMessage"))
        await bot.start()
        await polls_after(site, 3, deadline=30)
        assert len(telegram.messages_to(READER, method="sendMessage")) == sent_before_restart
        assert len(pushes(telegram, peru_url)) == 1

        reply = await say(telegram, "/unsubscribe Peru")
        assert "Unsubscribed" in reply.text
        later_url = site.add(PERU_LATER)
        await polls_after(site, 3)
        assert pushes(telegram, later_url) == []
        assert "Traceback" not in bot.log()
    except BaseException:
        print(bot.log())
        raise
    finally:
        if bot._process is not None:
            await bot.stop()
