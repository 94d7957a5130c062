"""The error handler: real failures are errors; a stale button tapped twice is not."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import cast

import pytest
from telegram.error import BadRequest

from handlers.chats import on_error
from handlers.context import NewsContext


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
