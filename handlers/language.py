"""/language: the language newsbot writes in for this chat, chosen with buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.i18n import Translator, languages, translator
from handlers.common import LANGUAGE, may_change, reply, tr
from handlers.context import NewsContext

PREFIX = "lang"  # lang|es


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


def _current(t: Translator) -> str:
    return t.gettext("This chat reads me in {language}. Tap to change:").format(
        language=t.language_name
    )


async def language_command(update: Update, context: NewsContext) -> None:
    t = tr(context)
    await reply(update, _current(t), _keyboard(t.code))


async def language_button(update: Update, context: NewsContext) -> None:
    """A tap on a language: in a group only its admins may change it (`may_change`)."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or not query.data:
        return
    code = query.data.partition("|")[2]
    if code not in languages():
        await query.answer(tr(context).gettext("That button is out of date."))
        return
    if not await may_change(update, context):
        return
    await context.services.store.set_language(chat.id, code)
    if context.chat_data is not None:
        context.chat_data[LANGUAGE] = code
    t = translator(code)
    await query.answer(t.gettext("Saved"))
    await query.edit_message_text(_current(t), reply_markup=_keyboard(code))
