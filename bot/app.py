"""The application factory: the one place that wires core, handlers and jobs together."""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import ApplicationBuilder, ContextTypes, ExtBot

from bot.classify.classifier import Classifier
from bot.config import Settings
from bot.delivery.pacer import Pacer
from bot.delivery.sender import MESSAGE_DEFAULTS, Sender
from bot.errors import ConfigError
from bot.leader import Leadership, take_lead
from bot.pipeline.poll import Poller
from bot.pipeline.retention import DAY_SECONDS, prune
from bot.query.resolver import Resolver
from bot.services import Services
from bot.sources.catalog import load_sources
from bot.sources.fetch import Fetcher, make_client
from bot.sources.read import ParsePool
from bot.store.open import open_store
from handlers import COMMANDS, register  # the factory alone knows the handlers
from handlers.chats import CONFLICT
from handlers.context import NewsApp, NewsContext
from handlers.updates import PerChatOrder

log = logging.getLogger(__name__)
LEADER = "leader"  # bot_data: this replica's Leadership (None on SQLite)
LOST_LEAD = "lost_lead"  # bot_data: True once the leader lock was lost


async def open_services(settings: Settings, bot: ExtBot[Any]) -> Services:
    """Open the store, load the sources file into it and build the poller and sender."""
    specs = load_sources(settings.sources_file)
    store = await open_store(settings.database_url, clock=time.time)
    await store.sync_sources(specs)
    classifier = Classifier.default()
    http = make_client(settings)
    fetcher = Fetcher.from_settings(settings, http)
    poller = Poller(
        store,
        fetcher,
        classifier,
        interval_seconds=settings.poll_interval_seconds,
        concurrency=settings.fetch_concurrency,
        digest_threshold=settings.digest_threshold,
        parser=ParsePool.from_settings(settings),
    )
    sender = Sender(
        bot,
        store,
        rate_per_second=settings.push_rate,
        paid_broadcast=settings.paid_broadcast,
        coalesce_backlog=settings.coalesce_backlog,
    )
    return Services(settings, store, classifier, Resolver.default(), http, fetcher, poller, sender)


def file_url(base_url: str) -> str:
    """https://host/bot -> https://host/file/bot: where the Bot API serves files."""
    head, sep, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else base_url


def build_application(settings: Settings, pacer: Pacer | None = None) -> NewsApp:
    """A ready-to-run bot; its store, poller and sender open when the application starts.

    `pacer` replaces the default one (tests of wording leave chat spacing out).
    """
    app: NewsApp = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url(settings.telegram_api_base_url))
        .defaults(MESSAGE_DEFAULTS)
        .concurrent_updates(PerChatOrder())
        .rate_limiter(pacer or Pacer(overall_rate=max(30.0, settings.push_rate)))
        .context_types(ContextTypes(context=NewsContext))
        .post_init(_start)
        .post_stop(_stop)
        .post_shutdown(_shutdown)
        .build()
    )
    app.bot_data["settings"] = settings
    app.bot_data["commands"] = [BotCommand(name, text) for name, text in COMMANDS]
    register(app)
    return app


async def _start(app: NewsApp) -> None:
    settings: Settings = app.bot_data["settings"]
    services = await open_services(settings, app.bot)
    app.bot_data["services"] = services
    app.bot_data[LEADER] = await take_lead(settings.database_url, on_lost=lambda: _step_down(app))
    await app.bot.set_my_commands(app.bot_data["commands"])
    services.sender.start()
    assert app.job_queue is not None
    app.job_queue.run_repeating(
        poll_job,
        interval=settings.poll_interval_seconds,
        first=0.5,
        name="poll",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    app.job_queue.run_repeating(
        retention_job,
        interval=DAY_SECONDS,
        first=0.1,
        name="retention",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    log.info(
        "newsbot started as @%s: %d sources, polling every %ss",
        app.bot.username,
        len(await services.store.list_sources()),
        settings.poll_interval_seconds,
    )


async def _stop(app: NewsApp) -> None:
    services: Services | None = app.bot_data.get("services")
    if services is not None:
        await services.sender.stop()


async def _shutdown(app: NewsApp) -> None:
    services: Services | None = app.bot_data.pop("services", None)
    if services is not None:
        await services.close()
    leader: Leadership | None = app.bot_data.pop(LEADER, None)
    if leader is not None:  # released once nothing sends any more
        await leader.close()


async def _step_down(app: NewsApp) -> None:
    """The leader lock is lost: stop sending now, then end so the process restarts as a standby."""
    app.bot_data[LOST_LEAD] = True
    services: Services | None = app.bot_data.get("services")
    if services is not None:
        await services.sender.stop()
    app.stop_running()


async def retention_job(context: NewsContext) -> None:
    """Daily (and at start): prune articles older than RETENTION_DAYS."""
    services = context.services
    await prune(services.store, retention_days=services.settings.retention_days, now=time.time)


async def poll_job(context: NewsContext) -> None:
    """The scheduled poll; the sender is woken as soon as it queued pushes."""
    services = context.services
    summary = await services.poller.poll_once()
    if summary.pushes_queued:
        services.sender.wake()


class _BootstrapFailure(logging.Filter):
    """PTB logs a start-up failure with its traceback; `run` says it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        failed = record.exc_info[1] if record.exc_info else None
        return not (
            isinstance(failed, InvalidToken | NetworkError) and "Bootstrap" in record.getMessage()
        )


def run(settings: Settings) -> None:
    """Long polling until SIGINT/SIGTERM; a start-up failure is one clear line, no traceback."""
    logging.getLogger("telegram.ext").addFilter(_BootstrapFailure())
    app = build_application(settings)
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken as exc:  # 401, or 404 from a mistyped TELEGRAM_API_BASE_URL
        raise ConfigError(
            f"Telegram refused the token ({exc.message}): check TELEGRAM_BOT_TOKEN "
            "and TELEGRAM_API_BASE_URL"
        ) from None
    except NetworkError as exc:  # only start-up errors get here: PTB retries the rest
        raise ConfigError(
            f"cannot reach the Bot API at {settings.telegram_api_base_url} ({exc.message})"
        ) from None
    if app.bot_data.get(LOST_LEAD):
        raise ConfigError(
            "stopped: lost the leader lock on the database; restart this replica (it waits "
            "as a standby) and check its connection to PostgreSQL"
        )
    if app.bot_data.get(CONFLICT):
        raise ConfigError(
            "stopped: another process polls Telegram with this bot token (409 Conflict); "
            "run one newsbot per token"
        )
