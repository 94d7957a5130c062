"""Per-chat order: other chats never wait behind a slow one; one chat's updates keep order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update

from handlers.updates import PerChatOrder


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(id=chat_id, type=Chat.PRIVATE)
    message = Message(message_id=update_id, date=datetime.now(UTC), chat=chat, text="/help")
    return Update(update_id, message=message)


async def test_a_slow_chat_holds_back_only_itself_and_keeps_its_order() -> None:
    processor = PerChatOrder(max_running=4)
    done: list[str] = []
    release = asyncio.Event()

    async def handle(name: str, wait: bool = False) -> None:
        if wait:
            await release.wait()
        done.append(name)

    tasks = [
        asyncio.create_task(processor.process_update(update(1, 10), handle("a1", wait=True))),
        asyncio.create_task(processor.process_update(update(2, 10), handle("a2"))),
        asyncio.create_task(processor.process_update(update(3, 20), handle("b1"))),
        asyncio.create_task(processor.process_update(update(4, 10), handle("a3"))),
    ]
    for _ in range(5):
        await asyncio.sleep(0)
    assert done == ["b1"]  # chat 20 was not kept waiting behind chat 10
    release.set()
    await asyncio.gather(*tasks)
    assert done == ["b1", "a1", "a2", "a3"]
    assert processor._chats == {}  # nothing kept for chats that went quiet


async def test_running_handlers_are_bounded() -> None:
    processor = PerChatOrder(max_running=2)
    running = 0
    peak = 0

    async def handle() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    await asyncio.gather(*(processor.process_update(update(n, n), handle()) for n in range(10)))
    assert peak == 2
