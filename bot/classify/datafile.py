"""Reading the hand-kept tables in `bot/data/`: TOML in, checked plain values out.

Each loader passes its TOML through these helpers, so a wrong type, a missing or unknown
key and a blank word all fail the same way: one `DataError` whose message starts with
the file and the entry, e.g. `bot/data/topics.toml: topic "labor": ...`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import tomli

from bot.errors import DataError

__all__ = ["DATA_DIR", "Entry", "read"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_ROOT = DATA_DIR.parent.parent


def _origin(path: Path) -> str:
    """How messages name a file: relative to the project for the bundled ones."""
    resolved = path.resolve()
    return str(resolved.relative_to(_ROOT)) if resolved.is_relative_to(_ROOT) else str(path)


def read(source: Path | str, name: str) -> tuple[str, dict[str, object]]:
    """Parse a data file (a Path) or TOML text (a str, for tests); return its origin and data."""
    if isinstance(source, Path):
        origin = _origin(source)
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataError(f"{origin}: cannot read: {exc.strerror or exc}") from exc
    else:
        origin, text = f"<{name}>", source
    try:
        return origin, tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise DataError(f"{origin}: not valid TOML: {exc}") from exc


class Entry:
    """A place in a data file, for messages and typed reads of its values."""

    def __init__(self, where: str) -> None:
        self.where = where

    def at(self, part: str) -> Entry:
        """The entry one level down, e.g. `topic "labor"` inside the file."""
        return Entry(f"{self.where}: {part}")

    def error(self, message: str) -> DataError:
        """An error naming this entry."""
        return DataError(f"{self.where}: {message}")

    def table(
        self, value: object, allowed: Collection[str] | None = None, required: Collection[str] = ()
    ) -> dict[str, object]:
        """A TOML table, with only the allowed keys and every required one."""
        if not isinstance(value, Mapping):
            raise self.error("expected a table")
        table = {str(name): item for name, item in value.items()}
        if allowed is not None:
            unknown = [name for name in table if name not in allowed]
            if unknown:
                known = ", ".join(sorted(allowed))
                raise self.error(f'unknown key "{unknown[0]}" (known: {known})')
        missing = [name for name in required if name not in table]
        if missing:
            raise self.error(f'missing key "{missing[0]}"')
        return table

    def text(self, value: object, name: str) -> str:
        """A non-blank string value."""
        if not isinstance(value, str) or not value.strip():
            raise self.error(f'"{name}" must be a non-empty string')
        return value

    def words(self, value: object, name: str) -> tuple[str, ...]:
        """A list of words or phrases, each non-blank and without spaces around it."""
        if not isinstance(value, list):
            raise self.error(f'"{name}" must be a list of strings')
        out: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.error(f'"{name}" holds {item!r}, not a word')
            if item != item.strip() or "  " in item:
                raise self.error(f'"{name}": "{item}" has stray spaces')
            out.append(item)
        return tuple(out)
