"""The typed context every handler receives: PTB's, with a door to the core's services."""

from __future__ import annotations

from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services


class NewsContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with a typed door to the core."""

    @property
    def services(self) -> Services:
        return cast(Services, self.bot_data["services"])


NewsApp = Application[Any, NewsContext, Any, Any, Any, Any]
