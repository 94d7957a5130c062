"""The token never reaches a log line: the filter on the root handlers, whoever logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import JsonFormatter
from bot.redact import MASK, SecretsFilter, install

TOKEN = "123456:AAHsecret-Token_value"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A root-like logger with one handler, as basicConfig leaves the root."""
    root = logging.getLogger("redact-test")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    root.propagate = False
    install([TOKEN], root)
    yield root, stream
    root.removeHandler(handler)


def test_messages_args_and_tracebacks_from_child_loggers_are_redacted(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    root, stream = captured
    child = root.getChild("telegram.ext.ExtBot")  # records propagate to the root's handler
    child.debug("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/getUpdates")
    except RuntimeError:
        child.exception("network")
    child.info("encoded %s", TOKEN.replace(":", "%3A"))
    text = stream.getvalue()
    assert TOKEN not in text and "AAHsecret" not in text
    assert text.count(MASK) == 3 and "Traceback" in text


def test_no_secrets_leaves_records_alone() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    assert SecretsFilter([""]).filter(record) and record.getMessage() == "hello world"


def test_json_log_lines_carry_fields_and_stay_redacted() -> None:
    record = logging.LogRecord(
        "bot.delivery.sender", logging.WARNING, "x", 1, "chat %s: %s", (5, "123:SECRET"), None
    )
    record.chat_id = 5
    record.push_id = 9
    SecretsFilter(["123:SECRET"]).filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "bot.delivery.sender"
    assert line["message"] == f"chat 5: {MASK}"
    assert (line["chat_id"], line["push_id"]) == (5, 9)
    assert line["timestamp"].endswith("+00:00")
