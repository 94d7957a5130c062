"""Telegram handlers, thin: read the reader's words, call the core, format the reply.

`register` wires them in one ordered list; the application factory is its only caller.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.chats import on_error, pause, plain_message, remember_chat, resume, unknown_command
from handlers.latest import latest_command
from handlers.settings import PREFIX as SETTINGS_PREFIX
from handlers.settings import settings_button, settings_command
from handlers.sources_admin import addsource_command, removesource_command, sources_command
from handlers.start import help_command, start, topics
from handlers.status import status_command
from handlers.subscribe import button, list_command, subscribe_command, unsubscribe_command
from handlers.why import why_command

COMMANDS: list[tuple[str, str]] = [
    ("subscribe", "Follow a country, topic or phrase"),
    ("unsubscribe", "Stop following something"),
    ("list", "What this chat follows"),
    ("latest", "Recent headlines"),
    ("why", "Why an article was sent: reply /why to it"),
    ("topics", "Topics you can follow"),
    ("settings", "Quiet hours, daily digest, time zone"),
    ("pause", "Pause pushes"),
    ("resume", "Resume pushes"),
    ("help", "How to use the bot"),
    ("start", "Welcome"),
]


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Wire every handler; group -1 stores the chat before any command runs."""
    app.add_handler(TypeHandler(Update, remember_chat), group=-1)
    handlers: list[BaseHandler[Update, Any, Any]] = [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CommandHandler("subscribe", subscribe_command),
        CommandHandler("unsubscribe", unsubscribe_command),
        CommandHandler("list", list_command),
        CommandHandler("topics", topics),
        CommandHandler("latest", latest_command),
        CommandHandler("why", why_command),
        CommandHandler("settings", settings_command),
        CommandHandler("pause", pause),
        CommandHandler("resume", resume),
        CommandHandler("sources", sources_command),  # ADMIN_IDS only, so not in COMMANDS
        CommandHandler("addsource", addsource_command),
        CommandHandler("removesource", removesource_command),
        CommandHandler("status", status_command),  # ADMIN_IDS only
        CallbackQueryHandler(settings_button, pattern=rf"^{SETTINGS_PREFIX}\|"),
        CallbackQueryHandler(button),
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command),
        MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, plain_message),
    ]
    app.add_handlers(handlers)
    app.add_error_handler(on_error)
