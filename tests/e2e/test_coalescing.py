"""Three stories for 200 readers at once arrive as about 200 messages, each chat's in order."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.e2e.harness import BotProcess, polls_after, subscribe_everyone
from tests.fakes.news_site import FakeArticle, FakeNewsSite
from tests.fakes.telegram import FakeTelegram

CHATS = range(3_000_001, 3_000_201)  # 200 private chats
RATE = 200  # pushes per second, so the test is quick
TITLES = (
    "Peruvian Miners Strike In Arequipa",
    "Teachers In Lima Walk Out Over Pay",
    "Peru Congress Votes On Mining Law",
)


def seen(telegram: FakeTelegram, chat: int) -> str:
    """All a chat was sent, as its reader saw it, in order."""
    return "\n".join(m.plain_text for m in telegram.messages_to(chat, method="sendMessage"))


async def test_three_stories_for_200_chats_arrive_as_one_message_each(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    db = tmp_path / "newsbot.db"
    await subscribe_everyone(f"sqlite:///{db}", CHATS)
    # over the free 30/s, so the test is quick: the fake Bot API bills no Stars
    bot_env.update(PAID_BROADCAST="true", PAID_BROADCAST_RATE_PER_SECOND=str(RATE))
    bot = BotProcess(bot_env, tmp_path)
    await bot.start()
    try:
        await polls_after(site, 1, deadline=30)
        published = datetime.now(UTC) - timedelta(minutes=10)
        for n, title in enumerate(TITLES):  # published a minute apart, found by one poll
            site.add(
                FakeArticle(
                    title=title,
                    teaser=f"{title}: Peruvian unions and workers say what comes next in Peru.",
                    slug=f"peru-{n}",
                    published=published + timedelta(minutes=n),
                )
            )

        def everyone_has_all_three() -> bool:
            return all(all(title in seen(telegram, chat) for title in TITLES) for chat in CHATS)

        await telegram.wait_for(everyone_has_all_three, timeout=60, what="every chat's 3 stories")
        await polls_after(site, 2)
    except BaseException:
        print(bot.log()[-5000:])
        raise
    finally:
        await bot.stop()

    messages = [m for m in telegram.sent if m.chat_id in CHATS and m.method == "sendMessage"]
    assert len(CHATS) <= len(messages) <= len(CHATS) * 1.1, len(messages)
    for chat in CHATS:
        text = seen(telegram, chat)
        positions = [text.index(title) for title in TITLES]
        assert positions == sorted(positions), f"chat {chat} got them out of order"
        assert all(text.count(title) == 1 for title in TITLES)
    with closing(sqlite3.connect(db)) as con:
        statuses = con.execute("SELECT status, COUNT(*) FROM pushes GROUP BY status").fetchall()
    assert statuses == [("sent", len(CHATS) * len(TITLES))]
