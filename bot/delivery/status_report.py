"""The delivery report operators read, in Telegram (/status) and in a terminal (newsbot status)."""

from __future__ import annotations

from bot.models import DeliveryStats


def status_lines(stats: DeliveryStats) -> list[str]:
    """Plain lines; the caller escapes or prints them."""
    lines = [
        f"Pushes pending: {stats.pending} ({stats.held} held for quiet hours or a retry)",
        f"Sent in the last 24 h: {stats.sent_last_day}",
        f"Failed: {stats.failed}",
        f"Chats: {stats.active_chats} active, {stats.inactive_chats} inactive (blocked or gone)",
    ]
    if stats.failure_reasons:
        lines.append("Why pushes failed:")
        lines += [f"  {count}x {reason[:200]}" for reason, count in stats.failure_reasons]
    return lines


def paused_lines(store_error: str | None, unrecorded: int) -> list[str]:
    """The sender's pause for a failing store, first on /status; nothing while it sends."""
    if store_error is None:
        return []
    lines = [f"⚠️ Sending paused: the database cannot record sends ({store_error[:200]})"]
    if unrecorded:
        lines.append(f"  {unrecorded} delivered pushes wait to be recorded (never resent)")
    return lines
