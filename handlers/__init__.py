"""Telegram handlers, thin: read the reader's words, call the core, format the reply.

`register` wires them in one ordered list; the application factory is its only caller.
"""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.i18n import N_, languages, translator
from handlers.channels import channel_post, channels_command
from handlers.chats import (
    added_to_group,
    edited_command,
    migrated,
    on_error,
    pause,
    plain_message,
    remember_chat,
    resume,
    unknown_command,
)
from handlers.language import PREFIX as LANGUAGE_PREFIX
from handlers.language import language_button, language_command
from handlers.latest import latest_command
from handlers.settings import PREFIX as SETTINGS_PREFIX
from handlers.settings import settings_button, settings_command
from handlers.sources_admin import addsource_command, removesource_command, sources_command
from handlers.start import help_command, start, topics
from handlers.status import status_command
from handlers.subscribe import button, list_command, subscribe_command, unsubscribe_command
from handlers.why import why_command

COMMANDS: list[tuple[str, str]] = [
    ("subscribe", N_("Follow a country, topic or phrase")),
    ("unsubscribe", N_("Stop following something")),
    ("list", N_("What this chat follows")),
    ("latest", N_("Recent headlines")),
    ("why", N_("Why an article was sent: reply /why to it")),
    ("topics", N_("Topics you can follow")),
    ("settings", N_("Quiet hours, daily digest, time zone")),
    ("channels", N_("Channels you manage through me")),
    ("language", N_("English or Spanish")),
    ("pause", N_("Pause pushes")),
    ("resume", N_("Resume pushes")),
    ("help", N_("How to use the bot")),
    ("start", N_("Welcome")),
]
DESCRIPTION = N_(
    "I push independent news about the countries and movements you follow: "
    "Peru, labor, Latin America, a phrase. Tap Start, then /subscribe."
)
SHORT_DESCRIPTION = N_("Independent news about the places and movements you follow.")


def menus() -> list[tuple[str | None, list[BotCommand], str, str]]:
    """Per language (None: the default, English): the command menu and the descriptions."""
    found: list[tuple[str | None, list[BotCommand], str, str]] = []
    for code in languages():
        t = translator(code)
        commands = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS]
        language = None if code == languages()[0] else code
        found.append((language, commands, t.gettext(DESCRIPTION), t.gettext(SHORT_DESCRIPTION)))
    return found


ADMIN_COMMANDS = ("sources", "addsource", "removesource", "status")  # ADMIN_IDS only: no menu


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Wire every handler; group -1 stores the chat before any command runs.

    Commands run from new messages only: an edited command is answered by `edited_command`
    (edits are not re-run), and the catch-alls never answer an edit either. A command
    posted in a channel is only logged (`channel_post`): channels are managed from a
    private chat (handlers.channels).
    """
    new = filters.UpdateType.MESSAGE
    app.add_handler(TypeHandler(Update, remember_chat), group=-1)
    every_command = [name for name, _ in COMMANDS] + list(ADMIN_COMMANDS)
    handlers: list[BaseHandler[Update, Any, Any]] = [
        MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
        ChatMemberHandler(added_to_group, ChatMemberHandler.MY_CHAT_MEMBER),
        CommandHandler(every_command, edited_command, filters=filters.UpdateType.EDITED_MESSAGE),
        CommandHandler("start", start, filters=new),
        CommandHandler("help", help_command, filters=new),
        CommandHandler("subscribe", subscribe_command, filters=new),
        CommandHandler("unsubscribe", unsubscribe_command, filters=new),
        CommandHandler("list", list_command, filters=new),
        CommandHandler("topics", topics, filters=new),
        CommandHandler("latest", latest_command, filters=new),
        CommandHandler("why", why_command, filters=new),
        CommandHandler("settings", settings_command, filters=new),
        CommandHandler("language", language_command, filters=new),
        CommandHandler("channels", channels_command, filters=new),
        CommandHandler("pause", pause, filters=new),
        CommandHandler("resume", resume, filters=new),
        CommandHandler("sources", sources_command, filters=new),
        CommandHandler("addsource", addsource_command, filters=new),
        CommandHandler("removesource", removesource_command, filters=new),
        CommandHandler("status", status_command, filters=new),
        MessageHandler(filters.UpdateType.CHANNEL_POSTS & filters.COMMAND, channel_post),
        CallbackQueryHandler(settings_button, pattern=rf"^{SETTINGS_PREFIX}\|"),
        CallbackQueryHandler(language_button, pattern=rf"^{LANGUAGE_PREFIX}\|"),
        CallbackQueryHandler(button),
        MessageHandler(new & filters.COMMAND & filters.ChatType.PRIVATE, unknown_command),
        MessageHandler(new & filters.TEXT & filters.ChatType.PRIVATE, plain_message),
    ]
    app.add_handlers(handlers)
    app.add_error_handler(on_error)
