"""The outbox Sender against FakeTelegram: formatting, order, pacing and every Telegram error."""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
from telegram.ext import ExtBot

from bot.delivery.pacer import GROUP_CHAT_INTERVAL, PRIVATE_CHAT_INTERVAL, Pacer
from bot.delivery.render import MAX_MESSAGE_CHARS
from bot.delivery.sender import (
    MAX_ATTEMPTS,
    MESSAGE_DEFAULTS,
    STORE_PROBE_SECONDS,
    Sender,
    backoff_seconds,
    group,
)
from bot.errors import StorageError
from bot.models import (
    NewArticle,
    PendingPush,
    PlannedPush,
    PollIntent,
    SourceSpec,
    StoredArticle,
    Target,
    TargetKind,
)
from bot.store.base import Store
from bot.store.sqlite import SqliteStore
from tests.clock import Clock
from tests.fakes.telegram import FakeError, FakeTelegram, SentMessage

USER = 111
OTHER = 222
GROUP = -42
SUPERGROUP = -1001234
SOURCE = "Peoples Dispatch"


@dataclass(frozen=True)
class PushRow:
    """A pushes row as the database holds it, read behind the store's back."""

    chat_id: int
    title: str
    status: str
    attempts: int
    next_attempt_at: float
    message_id: int | None
    last_error: str | None


@dataclass
class World:
    """Everything one sender test touches, with both clocks under the test's control."""

    tg: FakeTelegram
    store: SqliteStore
    sender: Sender
    wall: Clock
    mono: Clock
    db_path: Path
    source_id: int
    numbers: itertools.count[int]
    bot: ExtBot[Any]

    async def chat(self, chat_id: int, chat_type: str = "private") -> None:
        """Register a chat the way a handler would after the reader wrote to us."""
        await self.store.upsert_chat(chat_id, chat_type, f"Chat {chat_id}")

    def article(
        self,
        title: str | None = None,
        *,
        teaser: str = "Workers walked out in Lima.",
        countries: tuple[str, ...] = ("PE",),
        topics: tuple[str, ...] = ("labor",),
    ) -> NewArticle:
        """A fresh classified article with a unique URL."""
        n = next(self.numbers)
        return NewArticle(
            source_id=self.source_id,
            url=f"https://peoplesdispatch.org/2024/03/{n}/story-{n}/",
            url_norm=f"https://peoplesdispatch.org/2024/03/{n}/story-{n}",
            title=title if title is not None else f"Article {n}",
            teaser=teaser,
            guid=f"guid-{n}",
            author=None,
            published_at=None,
            countries=countries,
            topics=topics,
        )

    async def plan(
        self, *items: tuple[int, NewArticle], batch: str | None = None
    ) -> tuple[NewArticle, ...]:
        """Store articles and queue one push per (chat, article), in the given order."""
        articles = tuple(dict.fromkeys(article for _, article in items))
        record = await self.store.apply(
            PollIntent([], articles, [PlannedPush(chat, a.url_norm, batch) for chat, a in items])
        )
        assert len(record.new_articles) == len(articles)
        return articles

    def later(self, seconds: float) -> None:
        """Let time pass for the store and the sender alike."""
        self.wall.advance(seconds)
        self.mono.advance(seconds)

    def rows(self) -> list[PushRow]:
        """Every push, oldest first, straight from the database file."""
        with closing(sqlite3.connect(self.db_path)) as db:
            found = db.execute(
                "SELECT p.chat_id, a.title, p.status, p.attempts, p.next_attempt_at, "
                "p.message_id, p.last_error FROM pushes p JOIN articles a ON a.id = p.article_id "
                "ORDER BY p.id"
            ).fetchall()
        return [PushRow(*row) for row in found]

    def texts(self, chat_id: int) -> list[str]:
        """What a reader saw, markup removed."""
        return [m.plain_text for m in self.tg.messages_to(chat_id)]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """A real Bot on FakeTelegram, a real store and a sender that never waits on the wall clock."""
    wall = Clock(1_700_000_000.0)
    mono = Clock(5_000.0)
    db_path = tmp_path / "newsbot.db"
    store = await SqliteStore.open(db_path, clock=wall)
    (source,) = await store.sync_sources([SourceSpec(SOURCE, "https://peoplesdispatch.org/feed/")])
    async with (
        FakeTelegram() as tg,
        ExtBot(
            tg.token,
            base_url=tg.base_url,
            defaults=MESSAGE_DEFAULTS,
            rate_limiter=Pacer(overall_rate=None, clock=mono),
        ) as bot,
    ):
        sender = Sender(bot, store, rate_per_second=1000, clock=mono)
        yield World(tg, store, sender, wall, mono, db_path, source.id, itertools.count(1), bot)
    await store.close()


def only(messages: Sequence[SentMessage]) -> SentMessage:
    """The single message of a list, failing with what was there otherwise."""
    assert len(messages) == 1, [m.text for m in messages]
    return messages[0]


async def test_push_is_formatted_sent_once_and_marked(world: World) -> None:
    await world.chat(USER)
    (article,) = await world.plan(
        (USER, world.article("Strike in Lima", teaser="Miners & teachers march <today>."))
    )
    assert await world.sender.drain_once() is False
    message = only(world.tg.messages_to(USER))
    assert message.parse_mode == "HTML"
    assert message.params["link_preview_options"] == {"is_disabled": True}
    assert message.text.startswith(f'<b><a href="{article.url}">Strike in Lima</a></b>')
    assert "Miners &amp; teachers march &lt;today&gt;." in message.text
    assert message.plain_text == (
        "Strike in Lima\n\nMiners & teachers march <today>.\n\nPeoples Dispatch · #Peru #labor"
    )
    footer = message.plain_text.index(SOURCE)
    kinds = {(e["type"], e["offset"], e.get("url")) for e in message.entities}
    assert {("bold", 0, None), ("text_link", 0, article.url), ("italic", footer, None)} <= kinds
    (row,) = world.rows()
    assert (row.status, row.attempts, row.message_id) == ("sent", 1, message.message_id)
    assert await world.store.pending_count() == 0

    world.later(3600)
    await world.sender.drain_once()
    assert len(world.tg.calls_to("sendMessage")) == 1


async def test_pushes_go_out_oldest_first(world: World) -> None:
    for chat in (USER, OTHER, GROUP):
        await world.chat(chat, "private" if chat > 0 else "group")
    first, second, third, fourth = (world.article(f"Story {n}") for n in range(1, 5))
    await world.plan((OTHER, first), (GROUP, second), (USER, third))
    await world.plan((USER, fourth))
    pending = await world.store.due_pushes(10)
    dispatch = [(m.chat_id, m.pushes[0].article.title) for m in group(pending)]
    assert dispatch == [
        (OTHER, "Story 1"),
        (GROUP, "Story 2"),
        (USER, "Story 3"),
        (USER, "Story 4"),
    ]
    await world.sender.drain_once()  # sends overlap, so arrival order across chats may differ
    order = sorted((m.chat_id, m.plain_text.split("\n")[0]) for m in world.tg.sent)
    assert order == sorted([(OTHER, "Story 1"), (GROUP, "Story 2"), (USER, "Story 3")])
    world.later(PRIVATE_CHAT_INTERVAL)
    await world.sender.drain_once()
    assert [t.split("\n")[0] for t in world.texts(USER)] == ["Story 3", "Story 4"]
    assert [row.status for row in world.rows()] == ["sent"] * 4


async def test_a_batch_arrives_as_one_digest(world: World) -> None:
    await world.chat(USER)
    titles = ["Strike in Lima", "Curfew in Cusco", "Miners block road"]
    articles = [world.article(title) for title in titles]
    await world.plan(*((USER, a) for a in articles), batch=f"poll-1:{USER}")
    await world.sender.drain_once()
    digest = only(world.tg.messages_to(USER))
    assert digest.plain_text.startswith("📰 3 new articles for you")
    for title, article in zip(titles, articles, strict=True):
        assert f"• {title} — {SOURCE}" in digest.plain_text
        assert f'<a href="{article.url}">{title}</a>' in digest.text
    assert {(row.status, row.message_id) for row in world.rows()} == {("sent", digest.message_id)}


async def test_blocked_chat_goes_inactive_until_it_writes_again(world: World) -> None:
    await world.chat(USER)
    await world.chat(OTHER)
    await world.plan((USER, world.article("First")), (USER, world.article("Second")))
    await world.plan((OTHER, world.article("For the other reader")))
    world.tg.fail_next(USER, FakeError.blocked())
    await world.sender.drain_once()
    chat = await world.store.get_chat(USER)
    assert chat is not None
    assert not chat.active
    assert [(r.chat_id, r.status) for r in world.rows()] == [
        (USER, "failed"),
        (USER, "failed"),
        (OTHER, "sent"),
    ]
    assert world.texts(USER) == []

    record = await world.store.apply(
        PollIntent(
            [],
            [late := world.article("Planned after the block")],
            [PlannedPush(USER, late.url_norm)],
        )
    )
    assert record.pushes_queued == 0
    world.later(3600)
    await world.sender.drain_once()
    assert len(world.tg.calls_to("sendMessage")) == 2  # the refused one and OTHER's

    await world.chat(USER)  # the reader unblocked us and wrote again
    chat = await world.store.get_chat(USER)
    assert chat is not None
    assert chat.active
    await world.plan((USER, world.article("Welcome back")))
    await world.sender.drain_once()
    assert [t.split("\n")[0] for t in world.texts(USER)] == ["Welcome back"]


async def test_chat_not_found_goes_inactive(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article()))
    world.tg.fail_next(USER, FakeError.chat_not_found())
    await world.sender.drain_once()
    chat = await world.store.get_chat(USER)
    assert chat is not None
    assert not chat.active
    (row,) = world.rows()
    assert row.status == "failed"
    assert row.last_error is not None
    assert "not found" in row.last_error.lower()


async def test_unparsable_entities_are_resent_once_as_plain_text(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article("Strike & curfew in Lima")))
    world.tg.fail_next(USER, FakeError.cant_parse())
    await world.sender.drain_once()
    calls = world.tg.calls_to("sendMessage")
    assert [c.get("parse_mode") for c in calls] == ["HTML", None]
    message = only(world.tg.messages_to(USER))
    assert message.parse_mode is None
    assert message.text == (
        "Strike & curfew in Lima\n\nWorkers walked out in Lima.\n\nPeoples Dispatch · #Peru #labor"
    )
    (row,) = world.rows()
    assert (row.status, row.message_id) == ("sent", message.message_id)


async def test_a_too_long_title_is_shortened_before_it_is_sent(world: World) -> None:
    await world.chat(USER)
    huge = "Strikes spread across the southern highlands " * 100  # 4,600 chars
    await world.plan((USER, world.article(huge.strip())))
    await world.sender.drain_once()
    message = only(world.tg.messages_to(USER))
    assert len(world.tg.calls_to("sendMessage")) == 1  # fitted first, not refused then repaired
    assert len(message.plain_text) <= MAX_MESSAGE_CHARS
    assert message.plain_text.startswith("Strikes spread across the southern highlands")
    assert message.plain_text.endswith("Peoples Dispatch · #Peru #labor")
    assert world.rows()[0].status == "sent"


async def test_a_title_of_2100_emoji_arrives_first_time(world: World) -> None:
    """Telegram counts UTF-16 units: 2,100 emoji are 4,200 of them, over its 4,096."""
    await world.chat(USER)
    await world.plan((USER, world.article("😀" * 2100)))
    await world.sender.drain_once()
    message = only(world.tg.messages_to(USER))
    assert len(world.tg.calls_to("sendMessage")) == 1
    assert len(message.plain_text.encode("utf-16-le")) // 2 <= MAX_MESSAGE_CHARS
    assert message.plain_text.startswith("😀" * 1000)
    assert world.rows()[0].status == "sent"


async def test_injected_too_long_is_resent_and_marked_sent(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article("Strike in Lima")))
    world.tg.fail_next(USER, FakeError.too_long())
    await world.sender.drain_once()
    assert len(world.tg.calls_to("sendMessage")) == 2
    message = only(world.tg.messages_to(USER))
    assert message.parse_mode == "HTML"
    assert message.plain_text.startswith("Strike in Lima")
    assert world.rows()[0].status == "sent"


async def test_too_long_title_with_markup_characters_still_arrives(world: World) -> None:
    await world.chat(USER)
    huge = ("Workers <3 the union & say a<b " * 160).strip()  # 4,900 chars, one line
    await world.plan((USER, world.article(huge)))
    await world.sender.drain_once()
    message = only(world.tg.messages_to(USER))
    assert message.plain_text.startswith("Workers <3 the union & say a<b")
    assert len(message.plain_text) <= MAX_MESSAGE_CHARS
    assert world.rows()[0].status == "sent"


async def test_migrated_group_is_followed_to_its_new_id(world: World) -> None:
    await world.chat(GROUP, "group")
    peru = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")
    await world.store.add_subscriptions(GROUP, [peru])
    await world.plan((GROUP, world.article("Strike in Lima")))
    world.tg.fail_next(GROUP, FakeError.migrated(SUPERGROUP))
    await world.sender.drain_once()
    assert await world.store.get_chat(GROUP) is None
    moved = await world.store.get_chat(SUPERGROUP)
    assert moved is not None
    assert (moved.type, moved.active) == ("supergroup", True)
    assert [s.target for s in await world.store.list_subscriptions(SUPERGROUP)] == [peru]
    assert world.rows()[0].status == "pending"

    await world.sender.drain_once()
    assert world.texts(GROUP) == []
    assert only(world.tg.messages_to(SUPERGROUP)).plain_text.startswith("Strike in Lima")
    (row,) = world.rows()
    assert (row.chat_id, row.status) == (SUPERGROUP, "sent")


async def test_retry_after_pauses_all_sending_for_that_long(world: World) -> None:
    await world.chat(USER)
    await world.chat(OTHER)
    await world.plan((USER, world.article("Held back")), (OTHER, world.article("Waits too")))
    world.tg.fail_next(USER, FakeError.retry_after(30))
    # slow enough that the 429 is back before the next send would start
    world.sender = Sender(world.bot, world.store, rate_per_second=5, clock=world.mono)
    drain = asyncio.create_task(world.sender.drain_once())
    await world.tg.wait_for_call("sendMessage")
    await asyncio.sleep(0.3)  # the sender now waits 30 s before its next request
    assert not drain.done()
    assert len(world.tg.calls_to("sendMessage")) == 1
    assert world.sender._paused_until == world.mono.now + 30
    drain.cancel()
    with pytest.raises(asyncio.CancelledError):
        await drain
    assert [row.status for row in world.rows()] == ["pending", "pending"]
    assert [row.attempts for row in world.rows()] == [0, 0]

    world.later(29)
    drain = asyncio.create_task(world.sender.drain_once())
    await asyncio.sleep(0.3)
    assert len(world.tg.calls_to("sendMessage")) == 1  # one second of the pause is left
    drain.cancel()
    with pytest.raises(asyncio.CancelledError):
        await drain

    world.later(1)
    await world.sender.drain_once()
    assert [m.chat_id for m in world.tg.sent] == [USER, OTHER]
    assert [row.status for row in world.rows()] == ["sent", "sent"]


async def test_server_error_retries_with_backoff_then_gives_up(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article("Strike in Lima")))
    world.tg.fail_next(USER, FakeError.server_error(), times=MAX_ATTEMPTS)
    await world.sender.drain_once()
    (row,) = world.rows()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == world.wall.now + backoff_seconds(1)
    assert row.last_error is not None
    assert "Internal Server Error" in row.last_error

    world.mono.advance(PRIVATE_CHAT_INTERVAL)
    await world.sender.drain_once()  # not due yet: no new request
    assert len(world.tg.calls_to("sendMessage")) == 1

    for attempt in range(2, MAX_ATTEMPTS + 1):
        world.later(backoff_seconds(attempt - 1))
        await world.sender.drain_once()
        assert len(world.tg.calls_to("sendMessage")) == attempt
        (row,) = world.rows()
        assert row.attempts == attempt
        assert row.status == ("failed" if attempt == MAX_ATTEMPTS else "pending")
    assert world.texts(USER) == []
    assert await world.store.pending_count() == 0

    world.later(7200)
    await world.sender.drain_once()
    assert len(world.tg.calls_to("sendMessage")) == MAX_ATTEMPTS


async def test_network_failure_keeps_the_push_for_later(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article("Strike in Lima")))
    unreachable = ExtBot(
        world.tg.token, base_url="http://127.0.0.1:1/bot", rate_limiter=Pacer(clock=world.mono)
    )
    offline = Sender(unreachable, world.store, rate_per_second=1000, clock=world.mono)
    await offline.drain_once()
    (row,) = world.rows()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at > world.wall.now
    assert row.last_error is not None
    assert row.last_error.startswith("network:")

    world.later(backoff_seconds(1))
    await world.sender.drain_once()
    assert only(world.tg.messages_to(USER)).plain_text.startswith("Strike in Lima")
    assert world.rows()[0].status == "sent"


async def test_private_chat_gets_at_most_one_message_a_second(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article("One")), (USER, world.article("Two")))
    assert await world.sender.drain_once() is True  # the second push had to wait
    assert only(world.tg.messages_to(USER)).plain_text.startswith("One\n")
    assert await world.sender.drain_once() is True  # same instant: still waiting
    world.mono.advance(PRIVATE_CHAT_INTERVAL * 0.9)
    await world.sender.drain_once()
    assert len(world.tg.messages_to(USER)) == 1
    world.mono.advance(PRIVATE_CHAT_INTERVAL * 0.11)
    assert await world.sender.drain_once() is False
    assert [t.split("\n")[0] for t in world.texts(USER)] == ["One", "Two"]


async def test_markup_in_titles_and_teasers_is_escaped(world: World) -> None:
    await world.chat(USER)
    await world.chat(OTHER)
    title = "<script>alert(1)</script> Bread & <b>roses</b> in Lima"
    teaser = "Fish & chips <br> <i>not italic</i> &amp; more"
    await world.plan((USER, world.article(title, teaser=teaser)))
    await world.plan(
        (OTHER, world.article(title)), (OTHER, world.article("A&B <tag>")), batch="poll:2"
    )
    await world.sender.drain_once()
    single = only(world.tg.messages_to(USER))
    assert single.plain_text.startswith(f"{title}\n\n{teaser}\n\n")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in single.text
    assert {e["type"] for e in single.entities} == {"bold", "text_link", "italic"}
    digest = only(world.tg.messages_to(OTHER))
    assert f"• {title} — {SOURCE}" in digest.plain_text
    assert f"• A&B <tag> — {SOURCE}" in digest.plain_text
    assert [row.status for row in world.rows()] == ["sent"] * 3


def test_group_splits_a_long_digest_and_keeps_order() -> None:
    """A daily digest of 70 articles goes out as 30 + 30 + 10, oldest first."""
    article = StoredArticle(1, "S", "https://x.test/", "T", "", None, 0.0, (), ())
    pending = [PendingPush(n, USER, "private", "held1:1", 0, article) for n in range(70)]
    pending.insert(5, PendingPush(999, OTHER, "private", None, 0, article))
    messages = group(pending)
    assert [(m.chat_id, len(m.pushes)) for m in messages] == [
        (USER, 30),
        (OTHER, 1),
        (USER, 30),
        (USER, 10),
    ]
    assert [p.id for m in messages if m.chat_id == USER for p in m.pushes] == list(range(70))


def test_coalescing_makes_each_chats_pending_pushes_one_message() -> None:
    """Plain data: pending pushes in, messages out; one per chat, in queue order."""
    article = StoredArticle(1, "S", "https://x.test/", "T", "", None, 0.0, (), ())
    pending = [
        PendingPush(1, USER, "private", None, 0, article),
        PendingPush(2, OTHER, "private", None, 0, article),
        PendingPush(3, USER, "private", "held1:1", 0, article),
        PendingPush(4, USER, "private", None, 0, article),
        *(PendingPush(10 + n, GROUP, "supergroup", None, 0, article) for n in range(35)),
    ]
    separate = group(pending)
    assert [(m.chat_id, len(m.pushes)) for m in separate][:4] == [
        (USER, 1),
        (OTHER, 1),
        (USER, 1),
        (USER, 1),
    ]
    together = group(pending, coalesce=True)
    assert [(m.chat_id, m.ids) for m in together] == [
        (USER, [1, 3, 4]),
        (OTHER, [2]),
        (GROUP, [10 + n for n in range(30)]),
        (GROUP, [40 + n for n in range(5)]),
    ]


async def test_under_load_a_chat_gets_its_pending_pushes_in_one_message(world: World) -> None:
    world.sender = Sender(
        world.bot, world.store, rate_per_second=1000, coalesce_backlog=4, clock=world.mono
    )
    await world.chat(USER)
    await world.chat(OTHER)
    titles = ["Strike in Lima", "March in Cusco", "Vote in Puno"]
    await world.plan(*((chat, world.article(t)) for t in titles for chat in (USER, OTHER)))
    assert await world.sender.drain_once() is False
    for chat in (USER, OTHER):
        digest = only(world.tg.messages_to(chat))
        assert digest.plain_text.startswith("📰 3 new articles for you")
        lines = digest.plain_text.splitlines()[1:]
        assert [line.split(" — ")[0].lstrip("• ") for line in lines if line] == titles
        assert {e["type"] for e in digest.entities} >= {"text_link"}
    assert [row.status for row in world.rows()] == ["sent"] * 6


async def test_below_the_backlog_each_article_arrives_on_its_own(world: World) -> None:
    world.sender = Sender(
        world.bot, world.store, rate_per_second=1000, coalesce_backlog=7, clock=world.mono
    )
    await world.chat(USER)
    await world.chat(OTHER)
    titles = ["Strike in Lima", "March in Cusco", "Vote in Puno"]
    await world.plan(*((chat, world.article(t)) for t in titles for chat in (USER, OTHER)))
    for _ in titles:
        await world.sender.drain_once()
        world.later(PRIVATE_CHAT_INTERVAL)
    assert [t.split("\n")[0] for t in world.texts(USER)] == titles


async def test_a_digest_too_long_for_one_message_loses_nothing(world: World) -> None:
    """Only the articles a digest shows are marked sent; the rest follow in the next message."""
    await world.chat(USER)
    long = "Strike " * 20
    articles = [world.article(f"{long}{n}") for n in range(30)]
    await world.plan(*((USER, a) for a in articles), batch=f"poll-1:{USER}")
    for _ in range(5):
        await world.sender.drain_once()
        world.later(PRIVATE_CHAT_INTERVAL)
    messages = world.tg.messages_to(USER)
    assert len(messages) >= 2
    assert all(len(m.plain_text.encode("utf-16-le")) // 2 <= 4096 for m in messages)
    shown = "\n".join(m.plain_text for m in messages)
    assert all(f"{long}{n} —" in shown for n in range(30))
    assert [row.status for row in world.rows()] == ["sent"] * 30


async def test_other_telegram_errors_are_retried_then_failed(world: World) -> None:
    """An error outside the known ones never loops forever: attempts count, then it fails."""
    await world.chat(USER)
    await world.plan((USER, world.article("Strike in Lima")))
    world.tg.fail_next(USER, FakeError(409, "Conflict: something odd", None), times=MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        await world.sender.drain_once()
        world.wall.now += 3600
        world.later(PRIVATE_CHAT_INTERVAL)
    (row,) = world.rows()
    assert row.status == "failed" and "Conflict" in (row.last_error or "")


async def test_stop_lets_the_send_in_flight_finish_and_be_recorded(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article("Strike in Lima")))
    world.tg.send_delay = 0.5
    world.sender.start()
    await world.tg.wait_for_call("sendMessage")
    await world.sender.stop()  # while Telegram is still answering
    (row,) = world.rows()
    assert row.status == "sent"


async def test_paid_broadcast_asks_telegram_for_it(world: World) -> None:
    """With PAID_BROADCAST on, every push carries allow_paid_broadcast (Telegram bills Stars)."""
    await world.chat(USER)
    await world.plan((USER, world.article("Strike in Lima")))
    paid = Sender(
        world.bot, world.store, rate_per_second=1000, paid_broadcast=True, clock=world.mono
    )
    await paid.drain_once()
    (call,) = world.tg.calls_to("sendMessage")
    assert call.get("allow_paid_broadcast") is True


async def test_free_pushes_do_not_ask_for_paid_broadcast(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article("Strike in Lima")))
    await world.sender.drain_once()
    (call,) = world.tg.calls_to("sendMessage")
    assert "allow_paid_broadcast" not in call


async def test_what_a_digest_could_not_show_goes_before_anything_newer(world: World) -> None:
    """The unshown tail of a long digest comes next; a later push to that chat waits for it."""
    await world.chat(USER)
    long = "General strike " * 12
    titles = [f"{long}{n:02d}" for n in range(20)]
    await world.chat(OTHER)
    await world.plan(*((USER, world.article(t)) for t in titles), batch=f"poll-1:{USER}")
    await world.plan((OTHER, world.article("Another chat's push")))  # other chats fill a pass
    await world.plan((USER, world.article("LATER")))

    async def long_pass() -> None:
        """A pass as long as a busy one: sends finish and a second goes by between slots."""
        await asyncio.sleep(0.05)
        world.later(1.1)

    world.sender._pace = long_pass  # type: ignore[method-assign]
    for _ in range(6):
        await world.sender.drain_once()
        world.later(PRIVATE_CHAT_INTERVAL)
    order: list[str] = []
    for message in world.tg.messages_to(USER):
        lines = message.plain_text.splitlines()
        if lines[0].startswith("📰"):  # a digest: one "• title — source" line per article
            order += [line.removeprefix("• ").split(" — ")[0] for line in lines[1:] if line]
        else:  # a single push opens with its title
            order.append(lines[0])
    assert order == [*titles, "LATER"]


async def test_a_push_waiting_to_be_retried_is_not_overtaken(world: World) -> None:
    await world.chat(USER)
    await world.plan((USER, world.article("FIRST")))
    world.tg.fail_next(USER, FakeError.server_error())
    await world.sender.drain_once()  # FIRST fails: retried after a backoff
    await world.plan((USER, world.article("SECOND")))
    world.later(PRIVATE_CHAT_INTERVAL)
    await world.sender.drain_once()
    assert world.texts(USER) == []  # SECOND waits behind FIRST
    world.wall.now += backoff_seconds(1) + 1
    for _ in range(2):
        await world.sender.drain_once()
        world.later(PRIVATE_CHAT_INTERVAL)
    assert [t.split("\n")[0] for t in world.texts(USER)] == ["FIRST", "SECOND"]


class DiskFull:
    """The real store, except that its next `failures` writes of a send fail like a full disk."""

    def __init__(self, store: SqliteStore, failures: int, *, method: str = "mark_sent") -> None:
        self.store = store
        self.failures = failures
        self.method = method
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.store, name)
        if name != self.method:
            return real

        async def failing(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.failures > 0:
                self.failures -= 1
                raise StorageError("database or disk is full")
            return await real(*args, **kwargs)

        return failing


def sender_on(world: World, store: DiskFull) -> Sender:
    """A sender on a failing store; one message per push, so messages and pushes count alike."""
    return Sender(
        world.bot,
        cast(Store, store),
        rate_per_second=1000,
        coalesce_backlog=10**9,
        clock=world.mono,
    )


async def test_a_send_the_store_cannot_record_is_never_sent_again(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Disk full: sending pauses, accepted sends are kept in memory and recorded once it works."""
    chats = list(range(1000, 1030))
    for chat in chats:
        await world.chat(chat)
    await world.plan(*((chat, world.article(f"Story {chat}")) for chat in chats))
    await world.plan(*((chat, world.article(f"Later {chat}")) for chat in chats))
    full = DiskFull(world.store, failures=40)
    sender = sender_on(world, full)
    with caplog.at_level(logging.WARNING, logger="bot.delivery.sender"):
        await sender.drain_once()
        first = len(world.tg.sent)
        assert 1 <= first < len(chats)  # it stopped once the store failed
        assert sender.store_error == "database or disk is full"
        assert sender.unrecorded == first
        for _ in range(5):  # still failing: retried, nothing new goes out
            world.later(PRIVATE_CHAT_INTERVAL)
            await sender.drain_once()
        assert len(world.tg.sent) == first
        for _ in range(40):
            world.later(PRIVATE_CHAT_INTERVAL)
            await sender.drain_once()
    assert full.failures == 0 and sender.store_error is None and sender.unrecorded == 0
    for chat in chats:
        assert [t.split("\n")[0] for t in world.texts(chat)] == [f"Story {chat}", f"Later {chat}"]
    assert {row.status for row in world.rows()} == {"sent"}
    said = [r.getMessage() for r in caplog.records if "store" in r.getMessage()]
    assert len(said) == 2 and "sending paused" in said[0] and "resumed" in said[1], said


async def test_a_store_failing_other_writes_pauses_sending_then_resumes(world: World) -> None:
    """A retry the store cannot record: one probe at a time until it can, nothing lost."""
    chats = list(range(2000, 2010))
    for chat in chats:
        await world.chat(chat)
    await world.plan(*((chat, world.article(f"Story {chat}")) for chat in chats))
    world.tg.fail_next(chats[0], FakeError.server_error(), times=3)
    full = DiskFull(world.store, failures=2, method="mark_retry")
    sender = sender_on(world, full)
    await sender.drain_once()
    assert sender.store_error == "database or disk is full"
    for _ in range(20):
        world.later(backoff_seconds(MAX_ATTEMPTS))
        await sender.drain_once()
    assert sender.store_error is None
    for chat in chats:
        assert [t.split("\n")[0] for t in world.texts(chat)] == [f"Story {chat}"]
    assert {row.status for row in world.rows()} == {"sent"}


async def test_run_probes_a_failing_store_and_resumes(world: World) -> None:
    """The sender's own loop: paused while mark_sent fails, every push delivered exactly once."""
    chats = list(range(3000, 3020))
    for chat in chats:
        await world.chat(chat)
    await world.plan(*((chat, world.article(f"Story {chat}")) for chat in chats))
    full = DiskFull(world.store, failures=3)
    sender = sender_on(world, full)
    probes: list[float] = []

    async def no_wait(awaitable: Any, timeout: float) -> None:  # noqa: ASYNC109 (wait_for's)
        """The loop's waits pass at once (closing what it would have waited on)."""
        awaitable.close()
        probes.append(timeout)
        world.later(timeout)
        await asyncio.sleep(0)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bot.delivery.sender.asyncio.wait_for", no_wait)
        sender.start()
        for _ in range(200):
            await asyncio.sleep(0.01)
            if await world.store.pending_count() == 0 and sender.unrecorded == 0:
                break
    await sender.stop()
    assert STORE_PROBE_SECONDS in probes
    assert sorted(m.chat_id for m in world.tg.sent) == chats


async def test_a_reply_just_sent_to_a_chat_makes_its_push_wait(world: World) -> None:
    """One per-chat spacing for replies and pushes: the two never collide into a 429."""
    await world.chat(USER)
    await world.plan((USER, world.article("Strike in Lima")))
    await world.bot.send_message(USER, "You now follow Peru.")  # a handler's reply
    assert await world.sender.drain_once() is True  # the push waits for the chat's turn
    assert world.texts(USER) == ["You now follow Peru."]
    world.mono.advance(PRIVATE_CHAT_INTERVAL)
    assert await world.sender.drain_once() is False
    assert world.texts(USER)[-1].startswith("Strike in Lima")


FORUM = -1009876
CHANNEL = -1005555
MANAGER = 333


async def test_each_topic_gets_its_pushes_in_its_thread_paced_as_one_group(world: World) -> None:
    andes_thread = world.tg.add_topic(FORUM, "Andes")
    labor_thread = world.tg.add_topic(FORUM, "Labor")
    await world.chat(FORUM, "supergroup")
    andes = await world.store.topic_subscriber(FORUM, andes_thread, "")
    labor = await world.store.topic_subscriber(FORUM, labor_thread, "")
    await world.plan((andes.id, world.article("For Andes")), (labor.id, world.article("For Labor")))
    assert await world.sender.drain_once() is True  # one group: the second topic waits its turn
    assert [(m.thread_id, m.plain_text.split("\n")[0]) for m in world.tg.messages_to(FORUM)] == [
        (andes_thread, "For Andes")
    ]
    world.later(GROUP_CHAT_INTERVAL)
    await world.sender.drain_once()
    assert [(m.thread_id, m.plain_text.split("\n")[0]) for m in world.tg.messages_to(FORUM)] == [
        (andes_thread, "For Andes"),
        (labor_thread, "For Labor"),
    ]
    assert [r.status for r in world.rows()] == ["sent", "sent"]


@pytest.mark.parametrize("deleted", [False, True])
async def test_a_closed_topic_stops_that_topic_only_without_retries(
    world: World, deleted: bool
) -> None:
    closed_thread = world.tg.add_topic(FORUM, "Closed")
    open_thread = world.tg.add_topic(FORUM, "Open")
    await world.chat(FORUM, "supergroup")
    closed = await world.store.topic_subscriber(FORUM, closed_thread, "")
    still = await world.store.topic_subscriber(FORUM, open_thread, "")
    world.tg.close_topic(FORUM, closed_thread, deleted=deleted)
    await world.plan((closed.id, world.article()), (closed.id, world.article()))
    await world.sender.drain_once()
    states = [await world.store.get_chat(i) for i in (FORUM, closed.id, still.id)]
    assert [c.active for c in states if c] == [True, False, True]
    assert [r.status for r in world.rows()] == ["failed", "failed"]
    world.later(3600)
    await world.plan((still.id, world.article("Still here")))
    await world.sender.drain_once()
    assert len(world.tg.calls_to("sendMessage")) == 2  # the refused one, then the open topic
    assert world.tg.messages_to(FORUM)[-1].thread_id == open_thread


@pytest.mark.parametrize("bot", ["admin", "absent"])
async def test_a_channel_that_took_the_bots_rights_stops_and_its_manager_hears_once(
    world: World, bot: str
) -> None:
    world.tg.add_channel(CHANNEL, "andesnews", admins={MANAGER}, bot=bot)
    await world.store.upsert_chat(CHANNEL, "channel", "Andes News", managed_by=MANAGER)
    await world.plan((CHANNEL, world.article()), (CHANNEL, world.article()))
    await world.sender.drain_once()
    world.later(3600)
    await world.sender.drain_once()
    channel = await world.store.get_chat(CHANNEL)
    assert channel is not None and not channel.active
    assert [r.status for r in world.rows()] == ["failed", "failed"]
    (told,) = world.tg.messages_to(MANAGER)
    assert told.plain_text.startswith("⚠️ I can no longer post in Andes News")
