"""/settings: quiet hours, a daily digest and the chat's time zone, with buttons."""

from __future__ import annotations

import time
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.i18n import N_, Translator
from bot.models import Schedule
from bot.pipeline.holds import offset_minutes_at
from bot.query.schedule import apply_words, describe, describe_offset
from handlers.channels import addressed
from handlers.common import may_change, reply, subscriber_id, tr
from handlers.context import NewsContext

PREFIX = "cfg"
QUIET_CHOICES = ("off", "22-7", "23-8", "0-6")
DIGEST_CHOICES = ("off", "8", "18")
# the zones most of our readers live in, one tap each; any other by name or offset in words
ZONE_CHOICES = (
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "America/Sao_Paulo",
    "America/New_York",
    "Europe/London",
    "Europe/Madrid",
    "UTC",
)
ZONES_PER_ROW = 5
HELP = N_(
    "Change with the buttons or in words: <code>/settings quiet 22-7</code>, "
    "<code>/settings digest 8</code>, <code>/settings tz America/Lima</code> "
    "(an IANA time zone, which follows daylight saving time, or an offset such as "
    "<code>+2</code>; … off to turn one off).\n"
    "Pushes that arrive in quiet hours come as one digest when they end."
)
CHANNEL_TITLE = N_("⚙️ <b>Delivery settings for {name}</b>")
CHANNEL_HELP = N_(
    "Change them in words, the channel first: <code>/settings @yourchannel quiet 22-7</code>, "
    "<code>… digest 8</code>, <code>… tz America/Lima</code>."
)


def _text(schedule: Schedule, now: float, t: Translator, channel: str | None = None) -> str:
    title = t.gettext("⚙️ <b>Delivery settings for this chat</b>")
    if channel is not None:
        title = t.gettext(CHANNEL_TITLE).format(name=escape(channel))
    lines = [title, "", *map(escape, describe(schedule, now, t))]
    return "\n".join([*lines, "", t.gettext(HELP if channel is None else CHANNEL_HELP)])


def _quiet_value(schedule: Schedule) -> str:
    if schedule.quiet_start is None:
        return "off"
    return f"{schedule.quiet_start}-{schedule.quiet_end}"


def _button(label: str, words: str, chosen: bool) -> InlineKeyboardButton:
    return InlineKeyboardButton(("✓ " if chosen else "") + label, callback_data=f"{PREFIX}|{words}")


def _zone_label(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ")


def keyboard(schedule: Schedule, now: float, t: Translator) -> InlineKeyboardMarkup:
    quiet = _quiet_value(schedule)
    digest = "off" if schedule.digest_hour is None else str(schedule.digest_hour)
    offset = offset_minutes_at(schedule, now)
    fixed = schedule.tz_name is None
    zones = [
        _button(_zone_label(name), f"tz {name}", name == schedule.tz_name) for name in ZONE_CHOICES
    ]
    return InlineKeyboardMarkup(
        [
            [
                _button(t.gettext("🌙 off") if v == "off" else f"🌙 {v}", f"quiet {v}", v == quiet)
                for v in QUIET_CHOICES
            ],
            [
                _button(
                    t.gettext("📬 instant")
                    if v == "off"
                    else t.gettext("📬 daily {hour}").format(hour=f"{int(v):02d}:00"),
                    f"digest {v}",
                    v == digest,
                )
                for v in DIGEST_CHOICES
            ],
            *(zones[i : i + ZONES_PER_ROW] for i in range(0, len(zones), ZONES_PER_ROW)),
            [
                _button("🕒 -1h", f"tz {describe_offset(offset - 60)[3:]}", False),
                _button(describe_offset(offset), f"tz {describe_offset(offset)[3:]}", fixed),
                _button("🕒 +1h", f"tz {describe_offset(offset + 60)[3:]}", False),
            ],
        ]
    )


async def settings_command(update: Update, context: NewsContext) -> None:
    where = await addressed(update, context, posting=True)
    if where is None:
        return
    store = context.services.store
    schedule = await store.get_schedule(where.chat_id)
    words = where.argument
    now = time.time()
    t = tr(context)
    if words:
        if where.channel is None and not await may_change(update, context):
            return
        try:
            schedule = apply_words(schedule, words, now, t)
        except ValueError as exc:
            await reply(update, f"{escape(str(exc))}\n\n{t.gettext(HELP)}")
            return
        await store.set_schedule(where.chat_id, schedule)
    # buttons tapped in a private chat would change that chat: a channel's are typed
    buttons = keyboard(schedule, now, t) if where.channel is None else None
    await reply(update, _text(schedule, now, t, where.channel), buttons)


async def settings_button(update: Update, context: NewsContext) -> None:
    query = update.callback_query
    chat_id = await subscriber_id(update, context)
    if query is None or chat_id is None or not query.data:
        return
    if not await may_change(update, context):
        return
    store = context.services.store
    now = time.time()
    words = query.data.partition("|")[2]
    t = tr(context)
    try:
        schedule = apply_words(await store.get_schedule(chat_id), words, now, t)
    except ValueError as exc:
        await query.answer(str(exc)[:190])
        return
    await store.set_schedule(chat_id, schedule)
    await query.answer(t.gettext("Saved"))
    try:
        await query.edit_message_text(
            _text(schedule, now, t), reply_markup=keyboard(schedule, now, t)
        )
    except BadRequest as exc:  # pressing the option already chosen changes nothing
        if "not modified" not in exc.message.lower():
            raise
