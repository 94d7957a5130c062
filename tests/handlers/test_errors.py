"""The error handler: real failures are errors; a stale button is not; a failing store is said."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import cast

import pytest
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.errors import StorageError
from handlers.chats import UNAVAILABLE, on_error
from handlers.context import NewsContext
from tests.handlers.harness import Newsbot, buttons


def context_with(error: Exception) -> NewsContext:
    return cast(NewsContext, SimpleNamespace(error=error))


async def test_message_not_modified_is_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    stale = BadRequest("Message is not modified: specified new message content is the same")
    with caplog.at_level(logging.DEBUG, logger="handlers.chats"):
        await on_error(None, context_with(stale))
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]


async def test_other_failures_are_errors_with_their_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="handlers.chats"):
        await on_error(None, context_with(BadRequest("Chat not found")))
    (record,) = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is not None


async def test_a_failing_store_is_one_warning_line(caplog: pytest.LogCaptureFixture) -> None:
    full = StorageError("database or disk is full")
    with (
        caplog.at_level(logging.DEBUG, logger="handlers.chats"),
        pytest.raises(ApplicationHandlerStop),  # the update's other handlers are skipped
    ):
        await on_error(None, context_with(full))
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "database or disk is full" in record.getMessage()


async def failing(*args: object, **kwargs: object) -> None:
    raise StorageError("database or disk is full")


async def test_a_command_gets_one_short_reply_while_the_store_fails(
    newsbot: Newsbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk fails the chat bookkeeping before every command: the reader hears once."""
    monkeypatch.setattr(newsbot.services.store, "upsert_chat", failing)
    assert await newsbot.reply("/subscribe Peru") == UNAVAILABLE
    assert await newsbot.followed() == []
    monkeypatch.undo()
    assert "Peru" in await newsbot.reply("/subscribe Peru")


async def test_a_button_gets_the_short_answer_while_the_store_fails(
    newsbot: Newsbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    (message,) = await newsbot.say("/subscribe")
    monkeypatch.setattr(newsbot.services.store, "upsert_chat", failing)
    assert "s|country|PE" in buttons(message)
    await newsbot.press(message, "s|country|PE")
    (answer,) = newsbot.tg.calls_to("answerCallbackQuery")
    assert answer["text"] == UNAVAILABLE and answer["show_alert"] is True
