"""The stopped clock tests inject wherever the code reads time."""

from __future__ import annotations


class Clock:
    """A clock that only moves when a test says so."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        """Read like time.time or time.monotonic, as the code under test expects."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Let time pass instantly, so waits are tested without sleeping."""
        self.now += seconds
