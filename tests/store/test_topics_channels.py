"""Forum topics and managed channels in the store (each backend): subscribers of their own."""

from __future__ import annotations

from bot.models import FIRST_TOPIC_ID, PlannedPush, PollIntent, SourceSpec, TargetKind
from bot.store.base import Store
from tests.store.builders import LABOR, PERU, article

FORUM = -1009001
CHANNEL = -1002002
ADMIN = 501


async def test_each_topic_is_a_subscriber_of_its_own_with_its_telegram_address(
    store: Store,
) -> None:
    await store.upsert_chat(FORUM, "supergroup", "Andes forum")
    andes = await store.topic_subscriber(FORUM, 7, "Andes forum · Andes")
    labor = await store.topic_subscriber(FORUM, 9, "Andes forum · Labor")
    assert andes.id >= FIRST_TOPIC_ID and labor.id >= FIRST_TOPIC_ID and andes.id != labor.id
    assert (andes.telegram_id, andes.thread_id, andes.type) == (FORUM, 7, "topic")
    again = await store.topic_subscriber(FORUM, 7, "")  # its name not known this time
    assert (again.id, again.title) == (andes.id, "Andes forum · Andes")
    await store.add_subscriptions(andes.id, [PERU])
    await store.add_subscriptions(labor.id, [LABOR])
    assert [s.target for s in await store.list_subscriptions(andes.id)] == [PERU]
    assert await store.list_subscriptions(FORUM) == []
    followers = await store.follower_ids(TargetKind.COUNTRY, ["PE"])
    assert list(followers["PE"]) == [andes.id]


async def test_a_topic_push_names_the_supergroup_and_thread(store: Store) -> None:
    await store.upsert_chat(FORUM, "supergroup", "")
    topic = await store.topic_subscriber(FORUM, 7, "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(topic.id, "https://example.org/1")])
    )
    (push,) = await store.due_pushes(10)
    assert (push.chat_id, push.forum_chat_id, push.thread_id) == (topic.id, FORUM, 7)


async def test_a_closed_topic_stops_alone_and_a_kicked_group_stops_with_its_topics(
    store: Store,
) -> None:
    await store.upsert_chat(FORUM, "supergroup", "")
    closed = await store.topic_subscriber(FORUM, 7, "")
    other = await store.topic_subscriber(FORUM, 9, "")
    assert await store.deactivate_chat(closed.id, "TOPIC_CLOSED")
    assert not await store.deactivate_chat(closed.id, "TOPIC_CLOSED")  # told once only
    states = [await store.get_chat(i) for i in (FORUM, closed.id, other.id)]
    assert [c.active for c in states if c] == [True, False, True]
    await store.deactivate_chat(FORUM, "bot kicked")
    states = [await store.get_chat(i) for i in (FORUM, closed.id, other.id)]
    assert [c.active for c in states if c] == [False, False, False]
    reopened = await store.topic_subscriber(FORUM, 7, "")  # someone speaks there again
    assert reopened.active


async def test_a_channel_remembers_who_manages_it(store: Store) -> None:
    await store.upsert_chat(CHANNEL, "channel", "Andes News", managed_by=ADMIN)
    await store.upsert_chat(-1003003, "channel", "Other", managed_by=ADMIN + 1)
    kept = await store.upsert_chat(CHANNEL, "channel", "Andes News")  # a post, no manager said
    assert kept.managed_by == ADMIN
    assert [c.id for c in await store.managed_channels(ADMIN)] == [CHANNEL]
    assert await store.managed_channels(999) == []


async def test_a_topic_reads_its_groups_language_until_it_chooses_one(store: Store) -> None:
    await store.upsert_chat(FORUM, "supergroup", "Andes forum", language="es")
    andes = await store.topic_subscriber(FORUM, 7, "Andes")
    labor = await store.topic_subscriber(FORUM, 9, "Labor")
    assert await store.get_topic(FORUM, 7) == andes and await store.get_topic(FORUM, 8) is None
    await store.set_language(labor.id, "en")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    pushes = [PlannedPush(t.id, "https://example.org/1") for t in (andes, labor)]
    await store.apply(PollIntent([], [article(source.id, 1)], pushes))
    languages = {p.chat_id: p.language for p in await store.due_pushes(10)}
    assert languages == {andes.id: "es", labor.id: "en"}
    found = await store.get_topic(FORUM, 9)
    assert found is not None and found.language == "en"
