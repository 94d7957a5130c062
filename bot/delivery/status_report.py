"""The delivery report operators read, in Telegram (/status) and in a terminal (newsbot status).

Telegram shows it in the operator's chat language; the terminal keeps the English default.
"""

from __future__ import annotations

from bot.i18n import ENGLISH, Translator
from bot.models import DeliveryStats


def status_lines(stats: DeliveryStats, t: Translator = ENGLISH) -> list[str]:
    """Plain lines; the caller escapes or prints them."""
    lines = [
        t.gettext("Pushes pending: {pending} ({held} held for quiet hours or a retry)").format(
            pending=stats.pending, held=stats.held
        ),
        t.gettext("Sent in the last 24 h: {count}").format(count=stats.sent_last_day),
        t.gettext("Failed: {count}").format(count=stats.failed),
        t.gettext("Chats: {active} active, {inactive} inactive (blocked or gone)").format(
            active=stats.active_chats, inactive=stats.inactive_chats
        ),
    ]
    if stats.failure_reasons:
        lines.append(t.gettext("Why pushes failed:"))
        lines += [f"  {count}x {reason[:200]}" for reason, count in stats.failure_reasons]
    return lines


def paused_lines(store_error: str | None, unrecorded: int, t: Translator = ENGLISH) -> list[str]:
    """The sender's pause for a failing store, first on /status; nothing while it sends."""
    if store_error is None:
        return []
    lines = [
        t.gettext("⚠️ Sending paused: the database cannot record sends ({error})").format(
            error=store_error[:200]
        )
    ]
    if unrecorded:
        waiting = t.ngettext(
            "  {count} delivered push waits to be recorded (never resent)",
            "  {count} delivered pushes wait to be recorded (never resent)",
            unrecorded,
        )
        lines.append(waiting.format(count=unrecorded))
    return lines
