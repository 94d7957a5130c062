"""One process per SQLite database: the lock is held for the body and refused to a second."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.instance import lock_path, only_process


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    database = tmp_path / "data" / "newsbot.db"
    with only_process(database):
        assert lock_path(database).read_text().strip() == str(os.getpid())
        with (
            pytest.raises(ConfigError, match=rf"another newsbot \(pid {os.getpid()}\)"),
            only_process(database),
        ):
            pass  # pragma: no cover - never entered
    with only_process(database):  # released at the end of the body
        pass


def test_other_databases_are_not_locked(tmp_path: Path) -> None:
    with only_process(tmp_path / "a.db"), only_process(tmp_path / "b.db"):
        assert lock_path(tmp_path / "a.db").exists() and lock_path(tmp_path / "b.db").exists()
