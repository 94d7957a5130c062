"""A Spanish-speaking reader's whole first session through the real bot and the fake Bot API.

start → subscribe → a push → /latest → /list: every reply in Spanish, with no English left in it.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import BotProcess, article, polls_after
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import FakeTelegram, SentMessage

LECTORA = 2002
HUELGA = article(
    "huelga-minera-arequipa",
    "Mineros de Perú en huelga en Arequipa",
    "Miles de mineros peruanos iniciaron una huelga indefinida por el reparto de las ganancias.",
)
# words of the English messages that must not appear in a Spanish chat
ENGLISH = (
    "Subscribed", "follow", "Latest", "Tap", "article", "Unsubscribe", "#Peru ", "#labor",
    "also in", "This chat", "Welcome", "Or tap", "new ", "you",
)  # fmt: skip


async def say(telegram: FakeTelegram, text: str) -> SentMessage:
    before = len(telegram.messages_to(LECTORA, method="sendMessage"))
    telegram.send_text(LECTORA, text, language_code="es-419")
    replies = await telegram.wait_for_messages(LECTORA, before + 1, method="sendMessage")
    return replies[before]


def in_spanish(message: SentMessage, *words: str) -> str:
    """The message's text and button labels, checked for Spanish words and no English ones."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    shown = "\n".join([message.plain_text, *(b["text"] for row in rows for b in row)])
    assert all(word in shown for word in words), shown
    leftovers = [word for word in ENGLISH if word in shown]
    assert leftovers == [], shown
    return shown


async def test_a_spanish_speakers_first_session_is_all_in_spanish(
    tmp_path: Path, site: FakeNewsSite, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    bot = BotProcess(bot_env, tmp_path)
    await bot.start()
    try:
        await telegram.wait_for_call("setMyShortDescription", timeout=30)
        await telegram.wait_for(lambda: bool(telegram.menu("es")), timeout=10, what="es menu")
        menu = {c["command"]: c["description"] for c in telegram.menu("es")}
        assert menu["subscribe"] == "Seguir un país, un tema o una frase"
        await polls_after(site, 1, deadline=30)

        in_spanish(await say(telegram, "/start"), "Te traigo noticias", "🇵🇪 Perú", "✊ Trabajo")
        in_spanish(
            await say(telegram, "/subscribe Perú, trabajo, América Latina"),
            "✅ Suscrito a 🇵🇪 Perú, ✊ Trabajo, 🌎 América Latina",
        )

        url = site.add(HUELGA)
        opening = f'<b><a href="{url}">'
        await telegram.wait_for(
            lambda: any(
                m.text.startswith(opening)
                for m in telegram.messages_to(LECTORA, method="sendMessage")
            ),
            timeout=20,
            what="push",
        )
        (push,) = [
            m
            for m in telegram.messages_to(LECTORA, method="sendMessage")
            if m.text.startswith(opening)
        ]
        in_spanish(push, "#Perú", "#Trabajo")

        in_spanish(await say(telegram, "/latest"), "Lo último — lo que sigues", HUELGA.title)
        in_spanish(
            await say(telegram, "/list"), "Este chat sigue", "🇵🇪 Perú", "deja de seguir el número 2"
        )
        assert "Traceback" not in bot.log()
    except BaseException:
        print(bot.log())
        raise
    finally:
        await bot.stop()
