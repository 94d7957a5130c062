"""Source health as operators read it: `newsbot sources` and the /sources admin command.

/sources speaks the operator's chat language; the terminal's table keeps the English default.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import ENGLISH, N_, Translator
from bot.models import SourceState

HEADERS = ("name", "kind", "last ok", "last error", "failures", "articles")
ERROR_CHARS = 60


AGO = (
    (86400, N_("{count}d ago")),
    (3600, N_("{count}h ago")),
    (60, N_("{count}m ago")),
)


def ago(moment: float | None, now: float, t: Translator = ENGLISH) -> str:
    """'never', 'just now', '5m ago', '3h ago', '2d ago'."""
    if moment is None:
        return t.gettext("never")
    seconds = max(0.0, now - moment)
    for size, words in AGO:
        if seconds >= size:
            return t.gettext(words).format(count=int(seconds // size))
    return t.gettext("just now")


def kind_label(source: SourceState, t: Translator = ENGLISH) -> str:
    """The kind, marked when read through a feed discovered on the page."""
    kind = source.kind.value if source.kind else "?"
    return t.gettext("{kind} (found)").format(kind=kind) if source.feed_url else kind


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


def summary_line(source: SourceState, now: float, t: Translator = ENGLISH) -> str:
    """One plain line per source for Telegram, where wide tables wrap badly."""
    state = "✅" if not source.last_error else "❌"
    if source.last_polled_at is None:
        state = "⏳"
    parts = [
        kind_label(source, t),
        t.gettext("ok {ago}").format(ago=ago(source.last_ok_at, now, t)),
    ]
    if source.last_error:
        failed = t.ngettext(
            "failed {count} time: {error}", "failed {count} times: {error}", source.failures
        )
        parts.append(
            failed.format(count=source.failures, error=_cut(source.last_error, ERROR_CHARS))
        )
    count = source.article_count
    parts.append(t.ngettext("{count} article", "{count} articles", count).format(count=count))
    name = source.name
    if source.origin == "admin":
        name = t.gettext("{name} (added here)").format(name=name)
    return f"{state} {name} — {' · '.join(parts)}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
