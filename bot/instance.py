"""One bot process per SQLite database: a second one would send every push twice.

The lock is an `flock` on a file beside the database, held for the life of the process, so
the kernel releases it when the process ends in any way (a SIGKILL included).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.errors import ConfigError


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextmanager
def only_process(database: Path) -> Iterator[None]:
    """Hold the database's lock while the body runs; refuse in one line if another holds it."""
    path = lock_path(database)
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ConfigError(
            f"DATABASE_URL: cannot use {database}: {exc.strerror or exc} "
            f"({exc.filename or database.parent})"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise ConfigError(
                f"another newsbot (pid {holder}) is running on {database}: "
                "stop it first, or give this one its own DATABASE_URL"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
