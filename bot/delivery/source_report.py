"""Source health as operators read it: `newsbot sources` and the /sources admin command."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import SourceState
from bot.text import plural

HEADERS = ("name", "kind", "last ok", "last error", "failures", "articles")
ERROR_CHARS = 60


def ago(moment: float | None, now: float) -> str:
    """'never', 'just now', '5m ago', '3h ago', '2d ago'."""
    if moment is None:
        return "never"
    seconds = max(0.0, now - moment)
    if seconds < 60:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"  # pragma: no cover - the loop always returns


def kind_label(source: SourceState) -> str:
    """The kind, marked when read through a feed discovered on the page."""
    kind = source.kind.value if source.kind else "?"
    return f"{kind} (found)" if source.feed_url else kind


def rows(sources: Sequence[SourceState], now: float) -> list[tuple[str, ...]]:
    """One row of HEADERS per source."""
    return [
        (
            source.name,
            kind_label(source),
            ago(source.last_ok_at, now),
            _cut(source.last_error or "", ERROR_CHARS),
            str(source.failures),
            str(source.article_count),
        )
        for source in sources
    ]


def table(sources: Sequence[SourceState], now: float) -> str:
    """A plain-text table for a terminal, columns padded to their widest cell."""
    lines = [HEADERS, *rows(sources, now)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    numeric = {4, 5}
    return "\n".join(
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ).rstrip()
        for line in lines
    )


def summary_line(source: SourceState, now: float) -> str:
    """One plain line per source for Telegram, where wide tables wrap badly."""
    state = "✅" if not source.last_error else "❌"
    if source.last_polled_at is None:
        state = "⏳"
    parts = [kind_label(source), f"ok {ago(source.last_ok_at, now)}"]
    if source.last_error:
        failed = plural(source.failures, "time")
        parts.append(f"failed {failed}: {_cut(source.last_error, ERROR_CHARS)}")
    parts.append(plural(source.article_count, "article"))
    origin = " (added here)" if source.origin == "admin" else ""
    return f"{state} {source.name}{origin} — {' · '.join(parts)}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
