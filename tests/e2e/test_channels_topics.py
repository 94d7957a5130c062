"""Channels and forum topics through the real bot process and the fake Bot API.

A channel subscribed from its admin's private chat gets the pushes, in the language its admin
set for it (and is refused, with what is missing, for a non-admin and where the bot can't
post); two forum topics of one group get their own pushes in their own threads, and a closed
topic stops alone.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import FRANCE, PERU, PERU_LATER, article, polls_after, serving
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import DEFAULT_GROUP_USER_ID, FakeTelegram, SentMessage

READER = 1001
CHANNEL = -1002001
STRANGERS = -1002002
MUTED = -1002003
FORUM = -1003001
CUBA = article("havana-dockers", "Havana Dockers Stop Work", "Cuban dock workers in Havana.")


async def say(
    telegram: FakeTelegram,
    text: str,
    chat_id: int = READER,
    *,
    chat_type: str = "private",
    thread_id: int | None = None,
) -> SentMessage:
    """Send a command and return the bot's reply."""
    before = len(telegram.messages_to(chat_id, method="sendMessage"))
    telegram.send_text(chat_id, text, chat_type=chat_type, thread_id=thread_id)
    replies = await telegram.wait_for_messages(chat_id, before + 1, method="sendMessage")
    return replies[before]


def pushes_of(telegram: FakeTelegram, chat_id: int, url: str) -> list[SentMessage]:
    opening = f'<b><a href="{url}">'
    return [m for m in telegram.messages_to(chat_id) if m.text.startswith(opening)]


async def test_a_channel_subscribed_by_its_admin_gets_pushes_and_others_are_refused(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    telegram.add_channel(CHANNEL, "andesnews", admins={READER})
    telegram.add_channel(STRANGERS, "strangers", admins={999})
    telegram.add_channel(MUTED, "mutednews", admins={READER}, bot="admin")
    async with serving(bot_env, tmp_path, telegram, site) as bot:
        assert "Subscribed to 🇵🇪 Peru" in (await say(telegram, "/subscribe @andesnews Peru")).text
        spanish = await say(telegram, "/language @andesnews es")
        assert spanish.plain_text.startswith("✅ @andesnews now reads me in Español")
        refused = await say(telegram, "/subscribe @strangers Peru")
        assert refused.plain_text.startswith("Only @strangers's admins can")
        muted = await say(telegram, "/subscribe @mutednews Peru")
        assert muted.plain_text.startswith("Add me to @mutednews as an admin with 'Post messages'")
        url = site.add(PERU)
        await telegram.wait_for(
            lambda: bool(pushes_of(telegram, CHANNEL, url)), timeout=20, what="channel push"
        )
        await polls_after(site, 2)
        (push,) = pushes_of(telegram, CHANNEL, url)
        assert "#Perú" in push.text and "#Peru " not in push.text  # the channel's language
        assert pushes_of(telegram, READER, url) == []  # the admin's own chat follows nothing
        assert telegram.messages_to(STRANGERS) == [] and telegram.messages_to(MUTED) == []
        listing = await say(telegram, "/list")
        assert listing.plain_text.startswith("You don't follow anything")
        mine = await say(telegram, "/channels")
        assert str(CHANNEL) in mine.plain_text and str(MUTED) not in mine.plain_text
        assert "Traceback" not in bot.log()


async def test_two_topics_get_their_own_pushes_and_a_closed_topic_stops_alone(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    telegram.group_admins[FORUM].add(DEFAULT_GROUP_USER_ID)
    andes = telegram.add_topic(FORUM, "Andes", title="Workers of the world")
    europe = telegram.add_topic(FORUM, "Europe")
    async with serving(bot_env, tmp_path, telegram, site) as bot:
        for thread, name in ((andes, "Peru"), (europe, "France, Cuba")):
            confirmed = await say(
                telegram, f"/subscribe {name}", FORUM, chat_type="supergroup", thread_id=thread
            )
            assert "Subscribed to" in confirmed.text and confirmed.thread_id == thread
        peru, france = site.add(PERU), site.add(FRANCE)
        await telegram.wait_for(
            lambda: bool(pushes_of(telegram, FORUM, peru) and pushes_of(telegram, FORUM, france)),
            timeout=30,
            what="both topics' pushes",
        )
        assert [m.thread_id for m in pushes_of(telegram, FORUM, peru)] == [andes]
        assert [m.thread_id for m in pushes_of(telegram, FORUM, france)] == [europe]
        for thread, mine, theirs in ((andes, "Peru", "France"), (europe, "France", "Peru")):
            listing = await say(telegram, "/list", FORUM, chat_type="supergroup", thread_id=thread)
            assert listing.plain_text.startswith("This topic follows")
            assert mine in listing.plain_text and theirs not in listing.plain_text

        telegram.close_topic(FORUM, europe)
        cuba, later = site.add(CUBA), site.add(PERU_LATER)

        def into_europe() -> int:
            calls = telegram.calls_to("sendMessage")
            return sum(1 for c in calls if c.get("message_thread_id") == europe)

        # its confirmation, France's push, its /list, then Cuba's push, refused
        await telegram.wait_for(lambda: into_europe() == 4, timeout=30, what="the refusal")
        await telegram.wait_for(
            lambda: bool(pushes_of(telegram, FORUM, later)), timeout=30, what="the open topic"
        )
        await polls_after(site, 3)
        assert [m.thread_id for m in pushes_of(telegram, FORUM, later)] == [andes]
        assert pushes_of(telegram, FORUM, cuba) == []
        assert into_europe() == 4  # no retries
        assert "is closed or gone" in bot.log()
        assert "Traceback" not in bot.log()
