"""Channels managed from a private chat: the admin and bot rights checked, what is missing said."""

from __future__ import annotations

import logging

import pytest

from bot.models import TargetKind
from handlers.channels import ADD_ME, FROM_PRIVATE, NOT_FOUND, ONLY_ADMINS
from tests.fakes.telegram import DEFAULT_GROUP_USER_ID
from tests.handlers.harness import GROUP, PE, USER, Newsbot

CHANNEL = -1002345678
NAME = "@andesnews"


def andes(newsbot: Newsbot, *, bot: str = "poster", admins: set[int] | None = None) -> None:
    newsbot.tg.add_channel(
        CHANNEL, "andesnews", admins={USER} if admins is None else admins, bot=bot
    )


async def test_an_admin_subscribes_the_channel_not_the_private_chat(newsbot: Newsbot) -> None:
    andes(newsbot)
    answer = await newsbot.reply(f"/subscribe {NAME} Peru, labor")
    assert "Subscribed to 🇵🇪 Peru, ✊ Labor" in answer
    assert await newsbot.followed(CHANNEL) == [PE, (TargetKind.TOPIC, "labor")]
    assert await newsbot.followed(USER) == []
    channel = await newsbot.services.store.get_chat(CHANNEL)
    assert channel is not None and channel.managed_by == USER and channel.type == "channel"
    asked = {(c["chat_id"], c["user_id"]) for c in newsbot.tg.calls_to("getChatMember")}
    assert asked == {(CHANNEL, USER), (CHANNEL, newsbot.tg.bot_id)}


async def test_a_numeric_id_names_the_channel_too(newsbot: Newsbot) -> None:
    andes(newsbot)
    await newsbot.reply(f"/subscribe {CHANNEL} Peru")
    assert await newsbot.followed(CHANNEL) == [PE]


@pytest.mark.parametrize(
    ("bot", "admins", "expected"),
    [
        ("poster", {999}, ONLY_ADMINS),
        ("admin", {USER}, ADD_ME),
        ("absent", {USER}, ADD_ME),
    ],
)
async def test_what_is_missing_is_said_and_nothing_is_stored(
    newsbot: Newsbot, bot: str, admins: set[int], expected: str
) -> None:
    andes(newsbot, bot=bot, admins=admins)
    answer = await newsbot.reply(f"/subscribe {NAME} Peru")
    assert answer == expected.format(name=NAME)
    assert await newsbot.services.store.get_chat(CHANNEL) is None
    assert await newsbot.followed(USER) == []


async def test_an_unknown_channel_is_not_found_and_the_chat_stays_as_it_was(
    newsbot: Newsbot,
) -> None:
    answer = await newsbot.reply("/subscribe @nosuchchannel Peru")
    assert answer.startswith(NOT_FOUND.format(name="@nosuchchannel")[:40])
    assert await newsbot.followed(USER) == []


async def test_a_channel_is_managed_from_a_private_chat_only(newsbot: Newsbot) -> None:
    andes(newsbot, admins={DEFAULT_GROUP_USER_ID})
    newsbot.tg.group_admins[GROUP].add(DEFAULT_GROUP_USER_ID)
    answer = await newsbot.reply(f"/subscribe {NAME} Peru", GROUP, chat_type="supergroup")
    assert answer.startswith(FROM_PRIVATE.format(name=NAME)[:30])
    assert await newsbot.followed(GROUP) == [] and await newsbot.followed(CHANNEL) == []


async def test_list_unsubscribe_settings_pause_resume_and_channels(newsbot: Newsbot) -> None:
    andes(newsbot)
    await newsbot.reply(f"/subscribe {NAME} Peru, labor")
    listing = await newsbot.one(f"/list {NAME}")
    assert listing.plain_text.startswith(f"{NAME} follows\n\n1. 🇵🇪 Peru\n2. ✊ Labor")
    assert (await newsbot.reply(f"/unsubscribe {NAME} 2")).startswith("Unsubscribed from ✊")
    assert await newsbot.followed(CHANNEL) == [PE]
    settings = await newsbot.one(f"/settings {NAME} tz America/Lima")
    assert settings.reply_markup is None  # a button here would change the private chat
    assert (await newsbot.services.store.get_schedule(CHANNEL)).tz_name == "America/Lima"
    assert (await newsbot.services.store.get_schedule(USER)).tz_name is None
    await newsbot.reply(f"/pause {NAME}")
    assert await newsbot.paused(CHANNEL) and not await newsbot.paused(USER)
    mine = await newsbot.reply("/channels")
    assert "Andesnews" in mine and str(CHANNEL) in mine and "paused" in mine
    await newsbot.reply(f"/resume {NAME}")
    assert not await newsbot.paused(CHANNEL)


async def test_no_channels_yet_says_how(newsbot: Newsbot) -> None:
    assert "You don't manage a channel" in await newsbot.reply("/channels")


async def test_a_command_posted_in_the_channel_is_logged_not_answered(
    newsbot: Newsbot, caplog: pytest.LogCaptureFixture
) -> None:
    andes(newsbot)
    with caplog.at_level(logging.INFO, logger="handlers.channels"):
        sent = await newsbot.say("/subscribe Peru", CHANNEL, chat_type="channel")
    assert sent == []
    assert await newsbot.followed(CHANNEL) == []
    (line,) = [r.getMessage() for r in caplog.records if r.name == "handlers.channels"]
    assert "ignoring /subscribe posted in the channel" in line


async def test_losing_post_rights_stops_the_channel_and_tells_its_manager_once(
    newsbot: Newsbot,
) -> None:
    andes(newsbot)
    await newsbot.reply(f"/subscribe {NAME} Peru")
    before = len(newsbot.tg.messages_to(USER))
    for _ in range(2):
        update = newsbot.tg.member_update(
            CHANNEL,
            old_status="administrator",
            new_status="administrator",
            chat_type="channel",
            user_id=USER,
            can_post_messages=False,
        )
        await newsbot.process(update)
    channel = await newsbot.services.store.get_chat(CHANNEL)
    assert channel is not None and not channel.active
    (told,) = newsbot.tg.messages_to(USER)[before:]
    assert "I can no longer post in Andesnews" in told.plain_text
    assert f"/resume {CHANNEL}" in told.plain_text
    # the manager may still look and clean up; resuming asks for the rights again
    assert "1. 🇵🇪 Peru" in await newsbot.reply(f"/list {NAME}")
    newsbot.tg.channels[CHANNEL].bot = "poster"
    await newsbot.reply(f"/resume {NAME}")
    channel = await newsbot.services.store.get_chat(CHANNEL)
    assert channel is not None and channel.active
