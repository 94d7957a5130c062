"""A chat's language: from the first speaker's language_code, changed with /language."""

from __future__ import annotations

from handlers import menus
from tests.fakes.telegram import DEFAULT_GROUP_USER_ID
from tests.handlers.harness import GROUP, USER, Newsbot, buttons


async def language_of(newsbot: Newsbot, chat_id: int) -> str | None:
    chat = await newsbot.services.store.get_chat(chat_id)
    assert chat is not None
    return chat.language


async def test_a_spanish_speaker_is_answered_in_spanish(newsbot: Newsbot) -> None:
    newsbot.tg.user_languages[USER] = "es-419"
    answer = await newsbot.reply("/subscribe Perú, trabajo, América Latina")
    assert answer == "✅ Suscrito a 🇵🇪 Perú, ✊ Trabajo, 🌎 América Latina"
    assert await language_of(newsbot, USER) == "es"
    listing = await newsbot.reply("/list")
    assert listing.startswith("Este chat sigue") and "3. ✊ Trabajo" in listing
    assert "follows" not in listing


async def test_an_english_speaker_stays_in_english(newsbot: Newsbot) -> None:
    assert await newsbot.reply("/subscribe Peru") == "✅ Subscribed to 🇵🇪 Peru"
    assert await language_of(newsbot, USER) == "en"


async def test_language_shows_buttons_and_changes_the_chat(newsbot: Newsbot) -> None:
    picker = await newsbot.one("/language")
    assert set(buttons(picker).values()) == {"✓ English", "Español"}
    (edited,) = await newsbot.press(picker, "lang|es")
    assert edited.plain_text.startswith("Este chat me lee en Español")
    assert await language_of(newsbot, USER) == "es"
    assert (await newsbot.reply("/pause")).startswith("⏸ Envíos en pausa")
    # the user's own language_code does not undo a choice
    assert (await newsbot.reply("/resume")).startswith("▶️ Envíos reanudados")


async def test_in_a_group_only_admins_change_the_language(newsbot: Newsbot) -> None:
    picker = await newsbot.one("/language", GROUP, chat_type="group")
    await newsbot.press(picker, "lang|es")
    (answer,) = newsbot.tg.calls_to("answerCallbackQuery")[-1:]
    assert answer["show_alert"] is True and "admins" in answer["text"]
    assert await language_of(newsbot, GROUP) == "en"
    newsbot.tg.group_admins[GROUP].add(DEFAULT_GROUP_USER_ID)
    await newsbot.press(picker, "lang|es")
    assert await language_of(newsbot, GROUP) == "es"


async def test_menus_and_descriptions_are_set_per_language(newsbot: Newsbot) -> None:
    await newsbot.app.bot.get_me()
    for language, commands, description, short in menus():
        await newsbot.app.bot.set_my_commands(commands, language_code=language)
        await newsbot.app.bot.set_my_description(description, language_code=language)
        await newsbot.app.bot.set_my_short_description(short, language_code=language)
    spanish = {c["command"]: c["description"] for c in newsbot.tg.menu("es")}
    english = {c["command"]: c["description"] for c in newsbot.tg.menu("")}
    assert spanish["subscribe"] == "Seguir un país, un tema o una frase"
    assert english["subscribe"] == "Follow a country, topic or phrase"
    assert spanish.keys() == english.keys() and "language" in spanish
    assert newsbot.tg.short_descriptions["es"].startswith("Noticias independientes")
    assert newsbot.tg.descriptions[""].startswith("I push independent news")
