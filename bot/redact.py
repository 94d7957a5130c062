"""Secrets never reach a log line: one filter on the root logger's handlers redacts them.

PTB, httpx and tracebacks all may print the Bot API URL, which carries the token; a filter on
the handlers (not on one logger) sees every record that is written, whoever logged it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

MASK = "[redacted]"


class SecretsFilter(logging.Filter):
    """Replace each secret (and its URL-encoded form) in a record's message and traceback."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        forms = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
        self._forms = sorted(forms, key=len, reverse=True)  # longest first: no partial leftovers

    def redact(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._forms:
            return True
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(secrets: Iterable[str], logger: logging.Logger | None = None) -> SecretsFilter:
    """Put one filter on every handler of the root logger (or of `logger`)."""
    target = logger or logging.getLogger()
    secrets_filter = SecretsFilter(secrets)
    for handler in target.handlers:
        handler.addFilter(secrets_filter)
    return secrets_filter
