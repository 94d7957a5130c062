"""/status: operators see the outbox and why pushes failed; readers are told it's not for them."""

from __future__ import annotations

import pytest

from bot.errors import StorageError
from bot.models import NewArticle, PlannedPush, PollIntent, SourceSpec
from tests.handlers.harness import USER, Newsbot


async def test_status_is_for_admins_only(newsbot: Newsbot) -> None:
    assert "Only the bot's operators" in await newsbot.reply("/status")


async def test_status_counts_pending_and_failed_with_reasons(newsbot: Newsbot) -> None:
    newsbot.services.settings.admin_ids = frozenset({USER})
    store = newsbot.services.store
    (source,) = await store.sync_sources([SourceSpec("S", "https://s.test/feed/")])
    for chat_id in (501, 502, 503):
        await store.upsert_chat(chat_id, "private", "")
    articles = [
        NewArticle(
            source.id,
            f"https://s.test/{n}/",
            f"https://s.test/{n}",
            f"T{n}",
            "",
            None,
            None,
            None,
            ("PE",),
            (),
        )
        for n in range(3)
    ]
    await store.apply(
        PollIntent(
            [],
            articles,
            [PlannedPush(c, f"https://s.test/{n}") for n, c in enumerate((501, 502, 503))],
        )
    )
    first, second, _ = await store.due_pushes(10)
    await store.mark_failed([first.id], "Bad Request: message is too long")
    await store.mark_failed([second.id], "Bad Request: message is too long")
    await store.deactivate_chat(503, "Forbidden: bot was blocked by the user")
    text = await newsbot.reply("/status")
    assert "Pushes pending: 0" in text
    assert "Failed: 3" in text
    assert "2x Bad Request: message is too long" in text
    assert "1x chat inactive: Forbidden: bot was blocked by the user" in text
    assert "1 inactive" in text


async def full_disk(*args: object, **kwargs: object) -> None:
    raise StorageError("database or disk is full")


async def test_status_says_sending_is_paused_while_the_store_fails(
    newsbot: Newsbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram took the push, the store could not record it: operators see why nothing moves."""
    newsbot.services.settings.admin_ids = frozenset({USER})
    store = newsbot.services.store
    (source,) = await store.sync_sources([SourceSpec("S", "https://s.test/feed/")])
    await store.upsert_chat(501, "private", "")
    article = NewArticle(
        source.id, "https://s.test/1/", "https://s.test/1", "T", "", None, None, None, ("PE",), ()
    )
    await store.apply(PollIntent([], [article], [PlannedPush(501, "https://s.test/1")]))
    monkeypatch.setattr(store, "mark_sent", full_disk)
    await newsbot.services.sender.drain_once()
    assert len(newsbot.tg.messages_to(501)) == 1
    text = await newsbot.reply("/status")
    assert "Sending paused: the database cannot record sends (database or disk is full)" in text
    assert "1 delivered push waits to be recorded" in text
    assert "Pushes pending: 1" in text

    monkeypatch.setattr(store, "delivery_stats", full_disk)  # even the report cannot be read
    text = await newsbot.reply("/status")
    assert "Sending paused" in text and "The outbox cannot be read" in text

    monkeypatch.undo()
    await newsbot.services.sender.drain_once()
    text = await newsbot.reply("/status")
    assert "paused" not in text and "Sent in the last 24 h: 1" in text
    assert len(newsbot.tg.messages_to(501)) == 1


async def test_status_speaks_the_operators_language(newsbot: Newsbot) -> None:
    newsbot.services.settings.admin_ids = frozenset({USER})
    newsbot.tg.user_languages[USER] = "es-419"
    text = await newsbot.reply("/status")
    assert text.startswith("Entrega\n\nEnvíos pendientes: 0 (retenidos por horas de silencio")
    assert "Fallidos: 0" in text and "Chats activos: 1; inactivos" in text
    assert "Pushes" not in text and "Failed" not in text
