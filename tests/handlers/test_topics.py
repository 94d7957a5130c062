"""Forum topics: each topic is a subscriber of its own, answered in the topic."""

from __future__ import annotations

from bot.models import FIRST_TOPIC_ID, TargetKind
from tests.fakes.telegram import DEFAULT_GROUP_USER_ID
from tests.handlers.harness import PE, Newsbot

FORUM = -1003456789


async def topic_ids(newsbot: Newsbot, *threads: int) -> list[int]:
    store = newsbot.services.store
    return [(await store.topic_subscriber(FORUM, thread, "")).id for thread in threads]


async def test_each_topic_follows_its_own_and_hears_back_in_the_topic(newsbot: Newsbot) -> None:
    newsbot.tg.group_admins[FORUM].add(DEFAULT_GROUP_USER_ID)
    andes = newsbot.tg.add_topic(FORUM, "Andes")
    labor = newsbot.tg.add_topic(FORUM, "Labor")
    (answer,) = await newsbot.say("/subscribe Peru", FORUM, chat_type="supergroup", thread_id=andes)
    assert "Subscribed to 🇵🇪 Peru" in answer.plain_text and answer.thread_id == andes
    await newsbot.say("/subscribe labor", FORUM, chat_type="supergroup", thread_id=labor)
    andes_id, labor_id = await topic_ids(newsbot, andes, labor)
    assert andes_id >= FIRST_TOPIC_ID and labor_id >= FIRST_TOPIC_ID
    assert await newsbot.followed(andes_id) == [PE]
    assert await newsbot.followed(labor_id) == [(TargetKind.TOPIC, "labor")]
    assert await newsbot.followed(FORUM) == []  # General follows nothing
    (listing,) = await newsbot.say("/list", FORUM, chat_type="supergroup", thread_id=labor)
    assert listing.plain_text.startswith("This topic follows\n\n1. ✊ Labor\n")
    assert "Peru" not in listing.plain_text and listing.thread_id == labor
    (general,) = await newsbot.say("/list", FORUM, chat_type="supergroup")
    assert general.plain_text.startswith("You don't follow anything") and general.thread_id is None
    topic = await newsbot.services.store.get_chat(andes_id)
    assert topic is not None and topic.title.endswith("Andes")


async def test_a_button_tapped_in_a_topic_subscribes_the_topic_and_answers_there(
    newsbot: Newsbot,
) -> None:
    newsbot.tg.group_admins[FORUM].add(DEFAULT_GROUP_USER_ID)
    andes = newsbot.tg.add_topic(FORUM, "Andes")
    (welcome,) = await newsbot.say("/start", FORUM, chat_type="supergroup", thread_id=andes)
    assert welcome.thread_id == andes
    (confirmation,) = await newsbot.press(welcome, "s|country|PE")
    assert "Subscribed to 🇵🇪 Peru" in confirmation.plain_text
    assert confirmation.thread_id == andes
    (andes_id,) = await topic_ids(newsbot, andes)
    assert await newsbot.followed(andes_id) == [PE] and await newsbot.followed(FORUM) == []


async def test_settings_in_a_topic_are_the_topics(newsbot: Newsbot) -> None:
    newsbot.tg.group_admins[FORUM].add(DEFAULT_GROUP_USER_ID)
    andes = newsbot.tg.add_topic(FORUM, "Andes")
    await newsbot.say("/settings digest 8", FORUM, chat_type="supergroup", thread_id=andes)
    (andes_id,) = await topic_ids(newsbot, andes)
    store = newsbot.services.store
    assert (await store.get_schedule(andes_id)).digest_hour == 8
    assert (await store.get_schedule(FORUM)).digest_hour is None
