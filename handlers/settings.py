"""/settings: quiet hours, a daily digest and the chat's time zone, with buttons."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.models import Schedule
from bot.query.schedule import apply_words, describe, describe_offset
from handlers.common import argument, may_change, reply
from handlers.context import NewsContext

PREFIX = "cfg"
QUIET_CHOICES = ("off", "22-7", "23-8", "0-6")
DIGEST_CHOICES = ("off", "8", "18")
HELP = (
    "Change with the buttons or in words: <code>/settings quiet 22-7</code>, "
    "<code>/settings digest 8</code>, <code>/settings tz +2</code> (… off to turn one off).\n"
    "Pushes that arrive in quiet hours come as one digest when they end."
)


def _text(schedule: Schedule) -> str:
    lines = ["⚙️ <b>Delivery settings for this chat</b>", "", *map(escape, describe(schedule))]
    return "\n".join([*lines, "", HELP])


def _quiet_value(schedule: Schedule) -> str:
    if schedule.quiet_start is None:
        return "off"
    return f"{schedule.quiet_start}-{schedule.quiet_end}"


def _button(label: str, words: str, chosen: bool) -> InlineKeyboardButton:
    return InlineKeyboardButton(("✓ " if chosen else "") + label, callback_data=f"{PREFIX}|{words}")


def keyboard(schedule: Schedule) -> InlineKeyboardMarkup:
    quiet = _quiet_value(schedule)
    digest = "off" if schedule.digest_hour is None else str(schedule.digest_hour)
    offset = schedule.tz_offset_minutes
    return InlineKeyboardMarkup(
        [
            [
                _button("🌙 off" if v == "off" else f"🌙 {v}", f"quiet {v}", v == quiet)
                for v in QUIET_CHOICES
            ],
            [
                _button(
                    "📬 instant" if v == "off" else f"📬 daily {int(v):02d}:00",
                    f"digest {v}",
                    v == digest,
                )
                for v in DIGEST_CHOICES
            ],
            [
                _button("🕒 -1h", f"tz {describe_offset(offset - 60)[3:]}", False),
                _button(describe_offset(offset), f"tz {describe_offset(offset)[3:]}", True),
                _button("🕒 +1h", f"tz {describe_offset(offset + 60)[3:]}", False),
            ],
        ]
    )


async def settings_command(update: Update, context: NewsContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    store = context.services.store
    schedule = await store.get_schedule(chat.id)
    words = argument(update)
    if words:
        if not await may_change(update, context):
            return
        try:
            schedule = apply_words(schedule, words)
        except ValueError as exc:
            await reply(update, f"{escape(str(exc))}\n\n{HELP}")
            return
        await store.set_schedule(chat.id, schedule)
    await reply(update, _text(schedule), keyboard(schedule))


async def settings_button(update: Update, context: NewsContext) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or not query.data:
        return
    if not await may_change(update, context):
        return
    store = context.services.store
    try:
        schedule = apply_words(await store.get_schedule(chat.id), query.data.partition("|")[2])
    except ValueError as exc:
        await query.answer(str(exc)[:190])
        return
    await store.set_schedule(chat.id, schedule)
    await query.answer("Saved")
    try:
        await query.edit_message_text(_text(schedule), reply_markup=keyboard(schedule))
    except BadRequest as exc:  # pressing the option already chosen changes nothing
        if "not modified" not in exc.message.lower():
            raise
