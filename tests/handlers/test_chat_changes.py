"""What happens to a chat outside commands: migration, edits, being added to a group."""

from __future__ import annotations

from bot.models import Schedule
from tests.fakes.telegram import DEFAULT_GROUP_USER_ID
from tests.handlers.harness import PE, USER, Newsbot

GROUP = -4001
SUPERGROUP = -1004001
LIMA_QUIET = Schedule(-300, 22, 7, None, "America/Lima")


async def group_says(newsbot: Newsbot, text: str, chat_id: int = GROUP) -> None:
    chat_type = "group" if chat_id == GROUP else "supergroup"
    await newsbot.say(text, chat_id, chat_type=chat_type)


async def group_with_settings(newsbot: Newsbot) -> None:
    for chat_id in (GROUP, SUPERGROUP):
        newsbot.tg.group_admins[chat_id].add(DEFAULT_GROUP_USER_ID)
    for text in ("/subscribe Peru", "/settings tz America/Lima", "/settings quiet 22-7"):
        await group_says(newsbot, text)
    await newsbot.services.store.set_paused(GROUP, True)


async def test_migration_moves_subscriptions_and_settings_at_once(newsbot: Newsbot) -> None:
    await group_with_settings(newsbot)
    await newsbot.process(*newsbot.tg.migrate_group(GROUP, SUPERGROUP))
    store = newsbot.services.store
    assert await store.get_chat(GROUP) is None
    assert await newsbot.followed(SUPERGROUP) == [PE]
    assert await store.get_schedule(SUPERGROUP) == LIMA_QUIET
    assert await newsbot.paused(SUPERGROUP)


async def test_migration_with_the_supergroup_speaking_first(newsbot: Newsbot) -> None:
    await group_with_settings(newsbot)
    old_first = newsbot.tg.migrate_group(GROUP, SUPERGROUP)
    # Telegram does not promise the order: the new chat's message may come first
    await newsbot.process(old_first[1])
    store = newsbot.services.store
    assert await newsbot.followed(SUPERGROUP) == [PE]
    assert await store.get_schedule(SUPERGROUP) == LIMA_QUIET


async def test_migration_merges_two_chats_that_both_chose_settings(newsbot: Newsbot) -> None:
    await group_with_settings(newsbot)
    for text in ("/subscribe labor", "/settings digest 8", "/settings tz Europe/Madrid"):
        await group_says(newsbot, text, SUPERGROUP)
    await newsbot.process(*newsbot.tg.migrate_group(GROUP, SUPERGROUP))
    store = newsbot.services.store
    assert sorted(v for _, v in await newsbot.followed(SUPERGROUP)) == ["PE", "labor"]
    merged = await store.get_schedule(SUPERGROUP)
    # the supergroup's own choices stay, the group's quiet hours join them
    assert (merged.tz_name, merged.digest_hour) == ("Europe/Madrid", 8)
    assert (merged.quiet_start, merged.quiet_end) == (22, 7)


async def test_an_edited_command_is_not_run_again(newsbot: Newsbot) -> None:
    await newsbot.say("/subscribe Bolivia")
    first = newsbot.tg.messages_to(USER)[-1]
    assert "Bolivia" in first.plain_text
    command_id = first.message_id - 1  # the reader's message just before the bot's reply
    before = len(newsbot.tg.messages_to(USER))
    await newsbot.process(newsbot.tg.edit_text(USER, command_id, "/subscribe Cuba"))
    (answer,) = newsbot.tg.messages_to(USER)[before:]
    assert "edited" in answer.plain_text and "/subscribe Cuba" in answer.plain_text
    assert [v for _, v in await newsbot.followed()] == ["BO"]


async def test_an_edited_plain_message_gets_no_answer(newsbot: Newsbot) -> None:
    await newsbot.say("hello")
    said = newsbot.tg.messages_to(USER)[-1].message_id - 1
    before = len(newsbot.tg.messages_to(USER))
    await newsbot.process(newsbot.tg.edit_text(USER, said, "hello again"))
    assert newsbot.tg.messages_to(USER)[before:] == []


async def test_a_group_is_greeted_when_the_bot_is_added(newsbot: Newsbot) -> None:
    await newsbot.process(newsbot.tg.member_update(GROUP, old_status="left", new_status="member"))
    (greeting,) = newsbot.tg.messages_to(GROUP)
    assert greeting.plain_text.startswith("👋 Thanks for adding me")
    assert "/subscribe" in greeting.plain_text
    # a promotion to admin is no new arrival: no second greeting
    await newsbot.process(
        newsbot.tg.member_update(GROUP, old_status="member", new_status="administrator")
    )
    assert len(newsbot.tg.messages_to(GROUP)) == 1


async def test_a_group_re_added_after_a_kick_is_told_its_subscriptions_resume(
    newsbot: Newsbot,
) -> None:
    await group_with_settings(newsbot)
    await newsbot.process(newsbot.tg.member_update(GROUP, old_status="member", new_status="kicked"))
    chat = await newsbot.services.store.get_chat(GROUP)
    assert chat is not None and not chat.active
    before = len(newsbot.tg.messages_to(GROUP))
    await newsbot.process(newsbot.tg.member_update(GROUP, old_status="kicked", new_status="member"))
    (back,) = newsbot.tg.messages_to(GROUP)[before:]
    assert back.plain_text.startswith("👋 Welcome back")
    assert "Pushes resume for what this group followed before: 🇵🇪 Peru." in back.plain_text
    assert "/unsubscribe" in back.plain_text and "/pause" in back.plain_text
