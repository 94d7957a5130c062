"""/settings: quiet hours, daily digest and time zone, in words and with buttons."""

from __future__ import annotations

from bot.models import Schedule
from tests.handlers.harness import USER, Newsbot, buttons


async def test_settings_shows_the_schedule_with_buttons(newsbot: Newsbot) -> None:
    message = await newsbot.one("/settings")
    assert "Quiet hours: off" in message.plain_text
    assert "as articles arrive" in message.plain_text and "UTC+0" in message.plain_text
    choices = buttons(message)
    assert {"cfg|quiet 22-7", "cfg|digest 8", "cfg|tz -1", "cfg|tz +1"} <= set(choices)
    assert choices["cfg|quiet off"].startswith("✓")


async def test_settings_in_words(newsbot: Newsbot) -> None:
    text = await newsbot.reply("/settings quiet 22-7")
    assert "Quiet hours: 22:00-07:00" in text
    await newsbot.reply("/settings tz +5:30")
    text = await newsbot.reply("/settings digest 8")
    assert "one digest a day at 08:00" in text and "UTC+5:30" in text
    assert await newsbot.services.store.get_schedule(USER) == Schedule(330, 22, 7, 8)


async def test_bad_settings_words_get_help_and_change_nothing(newsbot: Newsbot) -> None:
    text = await newsbot.reply("/settings quiet 25-7")
    assert "not an hour" in text and "/settings quiet 22-7" in text
    text = await newsbot.reply("/settings volume 11")
    assert "I know three settings" in text
    assert await newsbot.services.store.get_schedule(USER) == Schedule()


async def test_buttons_change_the_schedule_in_place(newsbot: Newsbot) -> None:
    message = await newsbot.one("/settings")
    (edited,) = await newsbot.press(message, "cfg|quiet 22-7")
    assert edited.message_id == message.message_id
    assert "Quiet hours: 22:00-07:00" in edited.plain_text
    assert buttons(edited)["cfg|quiet 22-7"].startswith("✓")
    (edited,) = await newsbot.press(edited, "cfg|tz +1")
    assert "UTC+1" in edited.plain_text
    (edited,) = await newsbot.press(edited, "cfg|digest 18")
    assert await newsbot.services.store.get_schedule(USER) == Schedule(60, 22, 7, 18)
    # pressing what is already chosen changes nothing and raises nothing
    assert await newsbot.press(edited, "cfg|digest 18") == []


async def test_an_iana_time_zone_in_words_and_by_button(newsbot: Newsbot) -> None:
    text = await newsbot.reply("/settings tz America/Lima")
    assert "Time zone: America/Lima (UTC-5)" in text
    stored = await newsbot.services.store.get_schedule(USER)
    assert (stored.tz_name, stored.tz_offset_minutes) == ("America/Lima", -300)

    message = await newsbot.one("/settings")
    choices = buttons(message)
    assert choices["cfg|tz America/Lima"].startswith("✓")
    assert "cfg|tz Europe/Madrid" in choices and "cfg|tz America/Mexico_City" in choices
    assert all(len(data.encode()) <= 64 for data in choices)
    (edited,) = await newsbot.press(message, "cfg|tz Europe/Madrid")
    assert "Time zone: Europe/Madrid (UTC+" in edited.plain_text
    assert (await newsbot.services.store.get_schedule(USER)).tz_name == "Europe/Madrid"

    text = await newsbot.reply("/settings tz +2")  # fixed offsets still work
    assert "Time zone: UTC+2" in text
    assert await newsbot.services.store.get_schedule(USER) == Schedule(120)


async def test_a_long_unknown_setting_value_is_echoed_short(newsbot: Newsbot) -> None:
    text = await newsbot.reply("/settings tz " + "x" * 5000)
    assert "is not a time zone" in text and len(text) < 1000


async def test_settings_in_spanish_words_work_in_every_language(newsbot: Newsbot) -> None:
    """`silencio`, `resumen`, `zona` and `no`/`apagado` are understood beside the English."""
    assert "Quiet hours: 22:00-07:00" in await newsbot.reply("/settings silencio 22-7")
    await newsbot.reply("/settings Zona America/Lima")
    await newsbot.reply("/settings resumen 8")
    assert await newsbot.services.store.get_schedule(USER) == Schedule(
        -300, 22, 7, 8, "America/Lima"
    )
    await newsbot.reply("/settings silencio apagado")
    await newsbot.reply("/settings resumen no")
    schedule = await newsbot.services.store.get_schedule(USER)
    assert (schedule.quiet_start, schedule.digest_hour) == (None, None)


async def test_the_spanish_help_says_the_spanish_words(newsbot: Newsbot) -> None:
    newsbot.tg.user_languages[USER] = "es"
    shown = await newsbot.reply("/settings")
    assert "/settings silencio 22-7" in shown and "/settings zona America/Lima" in shown
    refused = await newsbot.reply("/settings volumen 11")
    assert refused.startswith("Conozco tres ajustes: silencio") and "resumen 8" in refused
    await newsbot.reply("/settings quiet 23-8")  # the English words work in Spanish too
    assert (await newsbot.services.store.get_schedule(USER)).quiet_start == 23
