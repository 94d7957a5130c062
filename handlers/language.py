"""/language: the language newsbot writes in for this chat, topic or channel.

In a chat or a forum topic it shows buttons (a topic is a subscriber of its own, so it has its
own language); the choice can be typed too (`/language es`). A channel is managed from its
admin's private chat, where a button would act on that chat: `/language @mychannel es`.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.classify.normalize import fold
from bot.i18n import N_, Translator, languages, translator
from handlers.channels import addressed
from handlers.common import LANGUAGE, may_change, reply, shown, subscriber_id, thread_of, tr
from handlers.context import NewsContext

PREFIX = "lang"  # lang|es
CHANNEL_CURRENT = N_("{name} reads me in {language}. To change it, send {choices}.")
CHANNEL_SAVED = N_("✅ {name} now reads me in {language}: its pushes and digests will be too.")
UNKNOWN = N_("I don't know the language “{word}”. I speak {choices}.")


def _keyboard(chosen: str) -> InlineKeyboardMarkup:
    """One button per language, each in its own words ("English", "Español")."""
    row = [
        InlineKeyboardButton(
            ("✓ " if code == chosen else "") + translator(code).language_name,
            callback_data=f"{PREFIX}|{code}",
        )
        for code in languages()
    ]
    return InlineKeyboardMarkup([row])


CURRENT = {
    "chat": N_("This chat reads me in {language}. Tap to change:"),
    "topic": N_("This topic reads me in {language}. Tap to change:"),
}


def _current(t: Translator, update: Update) -> str:
    kind = "topic" if thread_of(update) is not None else "chat"
    return t.gettext(CURRENT[kind]).format(language=t.language_name)


def language_code(word: str) -> str | None:
    """The language a reader typed: its code (`es`) or its own name (`español`, `Espanol`)."""
    wanted = fold(word.strip())
    for code in languages():
        if wanted in (code, fold(translator(code).language_name)):
            return code
    return None


def _choices(t: Translator, command: str) -> str:
    """`/language @mychannel en` (English) or `/language @mychannel es` (Español)."""
    each = [
        f"<code>{escape(command)} {code}</code> ({translator(code).language_name})"
        for code in languages()
    ]
    return t.one_of(each)


async def language_command(update: Update, context: NewsContext) -> None:
    where = await addressed(update, context, posting=False)
    if where is None:
        return
    t = tr(context)
    word = where.words.split(None, 1)[0] if where.words.strip() else ""
    if where.channel is None and not word:
        await reply(update, _current(t, update), _keyboard(t.code))
        return
    command = "/language" if where.channel is None else f"/language {where.channel}"
    code = language_code(word) if word else None
    if word and code is None:
        choices = _choices(t, command)
        await reply(update, t.gettext(UNKNOWN).format(word=shown(word), choices=choices))
        return
    if where.channel is None:
        assert code is not None
        if not await may_change(update, context):
            return
        await _save(update, context, where.chat_id, code)
        t = translator(code)
        await reply(update, _current(t, update), _keyboard(code))
        return
    name = escape(where.channel)
    if code is None:
        channel = await context.services.store.get_chat(where.chat_id)
        spoken = translator(channel.language if channel is not None else None)
        await reply(
            update,
            t.gettext(CHANNEL_CURRENT).format(
                name=name, language=spoken.language_name, choices=_choices(t, command)
            ),
        )
        return
    await context.services.store.set_language(where.chat_id, code)
    saved = t.gettext(CHANNEL_SAVED)
    await reply(update, saved.format(name=name, language=translator(code).language_name))


async def _save(update: Update, context: NewsContext, chat_id: int, code: str) -> None:
    """Store the choice, and answer the rest of this update in it."""
    await context.services.store.set_language(chat_id, code)
    if context.chat_data is not None:
        context.chat_data[LANGUAGE] = code


async def language_button(update: Update, context: NewsContext) -> None:
    """A tap on a language, for the chat or topic it was tapped in; in a group, admins only."""
    query = update.callback_query
    if query is None or not query.data:
        return
    code = query.data.partition("|")[2]
    if code not in languages():
        await query.answer(tr(context).gettext("That button is out of date."))
        return
    chat_id = await subscriber_id(update, context)
    if chat_id is None or not await may_change(update, context):
        return
    await _save(update, context, chat_id, code)
    t = translator(code)
    await query.answer(t.gettext("Saved"))
    await query.edit_message_text(_current(t, update), reply_markup=_keyboard(code))
