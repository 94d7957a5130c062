"""The handler tests' harness: the real Application on FakeTelegram, one real update at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import build_application, open_services
from bot.config import Settings
from bot.delivery.pacer import Pacer
from bot.models import NewArticle, PollIntent, TargetKind
from bot.services import Services
from handlers.context import NewsApp, NewsContext
from tests.fakes.telegram import FakeTelegram, SentMessage

USER = 111
GROUP = -100777
PE = (TargetKind.COUNTRY, "PE")
SOURCES_TOML = """\
[[source]]
name = "Nowhere News"
url = "http://127.0.0.1:1/feed/"
kind = "rss"
"""


def buttons(message: SentMessage) -> dict[str, str]:
    """callback_data -> button text of a message's inline keyboard."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return {b["callback_data"]: b["text"] for row in rows for b in row if "callback_data" in b}


@dataclass
class Newsbot:
    """The application under test, driven one real update at a time."""

    tg: FakeTelegram
    app: NewsApp
    services: Services
    errors: list[BaseException]

    async def _process(self, update_id: int) -> None:
        """Fetch the update from the fake like the updater would and run every handler on it."""
        updates = await self.app.bot.get_updates(offset=update_id, timeout=0)
        (update,) = [u for u in updates if u.update_id == update_id]
        await self.app.process_update(update)

    async def process(self, *update_ids: int) -> None:
        """Run updates a test queued on the fake itself (an edit, a migration, a member change)."""
        for update_id in update_ids:
            await self._process(update_id)

    async def say(
        self,
        text: str,
        chat_id: int = USER,
        *,
        chat_type: str = "private",
        user_id: int | None = None,
        thread_id: int | None = None,
    ) -> list[SentMessage]:
        """A reader writes (in a forum topic, given `thread_id`); returns what the bot sent or
        edited in that chat in response."""
        before = len(self.tg.messages_to(chat_id))
        update_id = self.tg.send_text(
            chat_id, text, chat_type=chat_type, user_id=user_id, thread_id=thread_id
        )
        await self._process(update_id)
        return self.tg.messages_to(chat_id)[before:]

    async def reply(self, text: str, chat_id: int = USER, *, chat_type: str = "private") -> str:
        """The one reply to a message, as the reader sees it."""
        return (await self.one(text, chat_id, chat_type=chat_type)).plain_text

    async def one(
        self, text: str, chat_id: int = USER, *, chat_type: str = "private"
    ) -> SentMessage:
        """The one message the bot answers with."""
        sent = await self.say(text, chat_id, chat_type=chat_type)
        assert len(sent) == 1, [m.text for m in sent]
        return sent[0]

    async def press(self, message: SentMessage, data: str) -> list[SentMessage]:
        """A reader taps a button; returns what the bot sent or edited in that chat."""
        before = len(self.tg.messages_to(message.chat_id))
        await self._process(self.tg.press_button(message.chat_id, message.message_id, data))
        return self.tg.messages_to(message.chat_id)[before:]

    async def followed(self, chat_id: int = USER) -> list[tuple[TargetKind, str]]:
        """What the store says a chat follows."""
        subs = await self.services.store.list_subscriptions(chat_id)
        return [(s.target.kind, s.target.value) for s in subs]

    async def paused(self, chat_id: int = USER) -> bool:
        """Whether the store will skip this chat when planning pushes."""
        chat = await self.services.store.get_chat(chat_id)
        assert chat is not None
        return chat.paused

    async def store_articles(self, *items: tuple[str, tuple[str, ...]]) -> None:
        """Put (title, countries) articles in the store as a poll would."""
        (source,) = await self.services.store.list_sources()
        articles = [
            NewArticle(
                source_id=source.id,
                url=f"https://news.example/{n}/",
                url_norm=f"https://news.example/{n}",
                title=title,
                teaser="",
                guid=None,
                author=None,
                published_at=None,
                countries=countries,
                topics=(),
            )
            for n, (title, countries) in enumerate(items)
        ]
        await self.services.store.apply(PollIntent([], articles, []))


@asynccontextmanager
async def open_newsbot(tmp_path: Path, **overrides: Any) -> AsyncIterator[Newsbot]:
    """build_application + open_services as post_init would, without polling or jobs.

    Handler exceptions are collected and must be none: PTB would otherwise only log them.
    """
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES_TOML)
    errors: list[BaseException] = []

    async def record(update: object, context: NewsContext) -> None:
        assert context.error is not None
        errors.append(context.error)

    async with FakeTelegram() as tg:
        settings = Settings(
            telegram_bot_token=SecretStr(tg.token),
            telegram_api_base_url=tg.base_url,
            database_url=f"sqlite:///{tmp_path}/t.db",
            sources_file=sources,
            **overrides,
        )
        # pacing has its own tests; here a reply would wait up to 3 s behind the previous one
        app = build_application(settings, Pacer(intervals=(0.0, 0.0)))
        app.add_error_handler(record)
        await app.initialize()
        services = await open_services(settings, app.bot)
        app.bot_data["services"] = services
        try:
            yield Newsbot(tg, app, services, errors)
        finally:
            await services.close()
            await app.shutdown()
    assert errors == []
