"""Webhook mode and the operator's HTTP server, with the real bot against the fake Bot API."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from tests.e2e.harness import BotProcess, polls_after
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import FakeTelegram

READER = 1001
SECRET = "s3cret-Token_for-the-webhook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_updates_posted_with_the_secret_are_answered_and_others_refused(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/updates"
    env = dict(
        bot_env,
        WEBHOOK_URL=hook,
        WEBHOOK_SECRET=SECRET,
        HTTP_PORT=str(port),
        HTTP_HOST="127.0.0.1",
        LOG_LEVEL="DEBUG",
    )
    bot = BotProcess(env, tmp_path)
    await bot.start()
    try:
        await telegram.wait_for(lambda: telegram.webhook is not None, timeout=30, what="webhook")
        assert telegram.webhook is not None
        assert telegram.webhook["url"] == hook
        assert telegram.webhook["secret_token"] == SECRET
        await polls_after(site, 1, deadline=30)
        telegram.send_text(READER, "/help")
        update = telegram.pending_updates[-1]
        async with httpx.AsyncClient(timeout=10) as client:
            refused = await client.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            taken = await client.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            await telegram.wait_for_messages(READER, 1, method="sendMessage", timeout=15)
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
            metrics = await client.get(f"http://127.0.0.1:{port}/metrics")
    finally:
        await bot.stop()
    assert (refused.status_code, taken.status_code) == (403, 200)
    assert len(telegram.messages_to(READER, method="sendMessage")) == 1  # the refused one: none
    assert telegram.calls_to("getUpdates") == []  # Telegram posts; nobody polls
    assert health.status_code == 200
    assert health.json()["ready"] is True and health.json()["database"] == "ok"
    text = metrics.text
    assert 'newsbot_telegram_answers_total{code="200"}' in text
    assert "newsbot_polls_total" in text and "newsbot_outbox_pending 0.0" in text
    log = bot.log()
    assert SECRET not in log and telegram.token not in log  # at DEBUG, the level that logs most
