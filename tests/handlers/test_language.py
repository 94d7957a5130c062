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


FORUM = -1004242
CHANNEL = -1002345678


async def test_a_topic_has_a_language_of_its_own(newsbot: Newsbot) -> None:
    """/language in a topic changes that topic only; General and other topics keep the group's."""
    newsbot.tg.group_admins[FORUM].add(DEFAULT_GROUP_USER_ID)
    andes = newsbot.tg.add_topic(FORUM, "Andes")
    labor = newsbot.tg.add_topic(FORUM, "Labor")
    (picker,) = await newsbot.say("/language", FORUM, chat_type="supergroup", thread_id=andes)
    assert picker.plain_text.startswith("This topic reads me in English")
    (edited,) = await newsbot.press(picker, "lang|es")
    assert edited.plain_text.startswith("Este tema me lee en Español")
    topic = await newsbot.services.store.get_topic(FORUM, andes)
    assert topic is not None and topic.language == "es"
    assert await language_of(newsbot, FORUM) == "en"
    (paused,) = await newsbot.say("/pause", FORUM, chat_type="supergroup", thread_id=andes)
    assert paused.plain_text.startswith("⏸ Envíos en pausa") and paused.thread_id == andes
    (other,) = await newsbot.say("/pause", FORUM, chat_type="supergroup", thread_id=labor)
    assert other.plain_text.startswith("⏸ Pushes paused")
    (general,) = await newsbot.say("/pause", FORUM, chat_type="supergroup")
    assert general.plain_text.startswith("⏸ Pushes paused")


async def test_a_topic_follows_its_group_until_it_chooses(newsbot: Newsbot) -> None:
    newsbot.tg.group_admins[FORUM].add(DEFAULT_GROUP_USER_ID)
    andes = newsbot.tg.add_topic(FORUM, "Andes")
    await newsbot.say("/language es", FORUM, chat_type="supergroup")  # in General: the group's
    assert await language_of(newsbot, FORUM) == "es"
    (listing,) = await newsbot.say("/list", FORUM, chat_type="supergroup", thread_id=andes)
    assert listing.plain_text.startswith("Aún no sigues nada")


def andes_channel(newsbot: Newsbot) -> None:
    newsbot.tg.add_channel(CHANNEL, "andesnews", admins={USER})


async def test_a_new_channel_starts_in_its_admins_language(newsbot: Newsbot) -> None:
    andes_channel(newsbot)
    newsbot.tg.user_languages[USER] = "es-419"
    answer = await newsbot.reply("/subscribe @andesnews Perú")
    assert "Suscrito a 🇵🇪 Perú" in answer
    assert await language_of(newsbot, CHANNEL) == "es"


async def test_a_channels_language_is_typed_from_the_private_chat(newsbot: Newsbot) -> None:
    andes_channel(newsbot)
    await newsbot.reply("/subscribe @andesnews Peru")
    shown = await newsbot.one("/language @andesnews")
    assert shown.reply_markup is None  # a button here would change the private chat
    assert shown.plain_text.startswith("@andesnews reads me in English. To change it, send")
    assert "/language @andesnews es (Español)" in shown.plain_text
    saved = await newsbot.reply("/language @andesnews Español")
    assert saved.startswith("✅ @andesnews now reads me in Español")
    assert await language_of(newsbot, CHANNEL) == "es"
    assert await language_of(newsbot, USER) == "en"  # the admin's own chat is unchanged
    assert (await newsbot.reply("/language @andesnews klingon")).startswith(
        "I don't know the language “klingon”. I speak <code>"[:36]
    )
    await newsbot.reply("/language @andesnews en")
    assert await language_of(newsbot, CHANNEL) == "en"


async def test_a_channels_language_is_for_its_admins_only(newsbot: Newsbot) -> None:
    newsbot.tg.add_channel(CHANNEL, "andesnews", admins={999})
    answer = await newsbot.reply("/language @andesnews es")
    assert answer.startswith("Only @andesnews's admins")
    assert await newsbot.services.store.get_chat(CHANNEL) is None


async def test_a_language_can_be_typed_in_a_chat_too(newsbot: Newsbot) -> None:
    picker = await newsbot.one("/language es")
    assert picker.plain_text.startswith("Este chat me lee en Español")
    assert set(buttons(picker).values()) == {"English", "✓ Español"}
    assert await language_of(newsbot, USER) == "es"
