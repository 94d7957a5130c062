"""The Pacer alone: replies before pushes, one per-chat spacing for both, replies retried."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.delivery.pacer import MAX_REPLY_WAIT_SECONDS, Pacer, Priority
from bot.delivery.pacer import creates_message as creates

Answer = bool | dict[str, Any] | list[dict[str, Any]]


class Telegram:
    """A callback for process_request: records what went, fails as told."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, object, float]] = []
        self.failures: dict[object, list[float]] = {}  # chat -> RetryAfter seconds to answer

    def request(self, name: str, chat: object) -> Callable[[], Coroutine[Any, Any, Answer]]:
        async def call() -> Answer:
            waits = self.failures.get(chat)
            if waits:
                raise RetryAfter(timedelta(seconds=waits.pop(0)))
            self.sent.append((name, chat, time.monotonic()))
            return True

        return call

    def names(self) -> list[str]:
        return [name for name, *_ in self.sent]


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


async def send(
    pacer: Pacer,
    telegram: Telegram,
    name: str,
    chat: int | str | None,
    priority: Priority | None = None,
    endpoint: str = "sendMessage",
) -> Answer:
    data: dict[str, Any] = {} if chat is None else {"chat_id": chat}
    return await pacer.process_request(
        telegram.request(name, chat), (), {}, endpoint, data, priority
    )


async def test_a_reply_queued_behind_1000_pushes_goes_first() -> None:
    pacer, telegram = Pacer(overall_rate=200.0), Telegram()
    pushes = [
        asyncio.create_task(send(pacer, telegram, f"push {n}", 1000 + n, Priority.PUSH))
        for n in range(1000)
    ]
    await asyncio.sleep(0)  # every push is waiting for a slot now
    started = time.monotonic()
    await send(pacer, telegram, "reply", 42)
    waited = time.monotonic() - started
    for task in pushes:
        task.cancel()
    await asyncio.gather(*pushes, return_exceptions=True)
    await pacer.shutdown()
    assert telegram.names().index("reply") <= 2, telegram.names()[:5]
    assert waited < 0.1


async def test_the_global_rate_holds_for_everything_with_a_chat() -> None:
    pacer, telegram = Pacer(overall_rate=100.0), Telegram()
    started = time.monotonic()
    await asyncio.gather(*(send(pacer, telegram, f"m{n}", 1 + n) for n in range(31)))
    assert time.monotonic() - started >= 0.29  # 31 slots 10 ms apart
    assert len(telegram.sent) == 31
    await pacer.shutdown()


async def test_requests_without_a_chat_are_not_paced() -> None:
    pacer, telegram = Pacer(overall_rate=1.0), Telegram()
    started = time.monotonic()
    for n in range(5):
        await send(pacer, telegram, f"getUpdates {n}", None, endpoint="getUpdates")
    assert time.monotonic() - started < 0.1
    await pacer.shutdown()


async def test_a_reply_and_a_push_to_one_chat_share_its_spacing() -> None:
    pacer, telegram = Pacer(overall_rate=None, intervals=(0.3, 0.6)), Telegram()
    await send(pacer, telegram, "reply", 7)
    await send(pacer, telegram, "push", 7, Priority.PUSH)
    assert pacer.free_at(7) > time.monotonic()  # the next message waits its turn too
    await send(pacer, telegram, "group reply", -100)
    await send(pacer, telegram, "group push", -100, Priority.PUSH)
    (_, _, reply), (_, _, push), (_, _, group_reply), (_, _, group_push) = telegram.sent
    assert push - reply >= 0.29
    assert group_push - group_reply >= 0.59


async def test_edits_and_answers_are_not_spaced_per_chat() -> None:
    pacer, telegram = Pacer(overall_rate=None, intervals=(5.0, 5.0)), Telegram()
    started = time.monotonic()
    await send(pacer, telegram, "reply", 7)
    await send(pacer, telegram, "edit", 7, endpoint="editMessageText")
    assert time.monotonic() - started < 0.1
    assert creates("sendMessage") and creates("copyMessage") and creates("sendPhoto")
    assert not creates("sendChatAction") and not creates("getChatMember")


async def test_a_reply_that_meets_a_429_arrives_after_the_asked_time() -> None:
    pacer, telegram = Pacer(overall_rate=None), Telegram()
    telegram.failures[7] = [1.0]
    started = time.monotonic()
    assert await send(pacer, telegram, "reply", 7) is True
    assert time.monotonic() - started >= 0.99
    assert telegram.names() == ["reply"]


async def test_a_reply_gives_up_after_its_retries_or_a_long_wait() -> None:
    pacer, telegram = Pacer(overall_rate=None, reply_retries=1), Telegram()
    telegram.failures[7] = [1.0, 1.0]  # Telegram asks for whole seconds
    with pytest.raises(RetryAfter):
        await send(pacer, telegram, "reply", 7)
    telegram.failures[8] = [MAX_REPLY_WAIT_SECONDS + 1]
    started = time.monotonic()
    with pytest.raises(RetryAfter):
        await send(pacer, telegram, "reply", 8)
    assert time.monotonic() - started < 0.1
    assert telegram.sent == []


async def test_a_push_429_goes_back_to_the_sender_and_holds_the_chat() -> None:
    pacer, telegram = Pacer(overall_rate=None), Telegram()
    telegram.failures[7] = [30.0]
    with pytest.raises(RetryAfter):
        await send(pacer, telegram, "push", 7, Priority.PUSH)
    assert pacer.free_at(7) >= time.monotonic() + 29
    assert pacer.free_at(8) == 0.0  # other chats are not held


@pytest.mark.parametrize("channel", [-1002345678, "@andesnews"])
async def test_a_channel_is_spaced_like_a_group(channel: int | str) -> None:
    """Telegram's limit for channels is a group's, about 20 messages a minute."""
    pacer, telegram = Pacer(overall_rate=None, intervals=(0.05, 0.4)), Telegram()
    await send(pacer, telegram, "first", channel, Priority.PUSH)
    await send(pacer, telegram, "second", channel, Priority.PUSH)
    (_, _, first), (_, _, second) = telegram.sent
    assert second - first >= 0.39
    await pacer.shutdown()
