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
from handlers.start import help_command, start, topics
from handlers.subscribe import button, list_command, subscribe_command, unsubscribe_command

COMMANDS: list[tuple[str, str]] = [
    ("subscribe", "Follow a country, topic or phrase"),
    ("unsubscribe", "Stop following something"),
    ("list", "What this chat follows"),
    ("latest", "Recent headlines"),
    ("topics", "Topics you can follow"),
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
        CommandHandler("pause", pause),
        CommandHandler("resume", resume),
        CallbackQueryHandler(button),
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command),
        MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, plain_message),
    ]
    app.add_handlers(handlers)
    app.add_error_handler(on_error)
