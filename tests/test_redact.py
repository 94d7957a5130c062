"""The token never reaches a log line: the filter on the root handlers, whoever logs."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

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
