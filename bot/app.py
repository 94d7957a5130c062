"""The application factory: the one place that wires core, handlers and jobs together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import ApplicationBuilder, ContextTypes, ExtBot

from bot.classify.classifier import Classifier
from bot.config import Settings
from bot.delivery.pacer import Pacer
from bot.delivery.sender import MESSAGE_DEFAULTS, Sender
from bot.errors import ConfigError
from bot.leader import Leadership, take_lead
from bot.metrics import Metrics
from bot.pipeline.poll import Poller
from bot.pipeline.retention import DAY_SECONDS, prune
from bot.query.resolver import Resolver
from bot.services import Services
from bot.sources.catalog import load_sources
from bot.sources.fetch import Fetcher, make_client
from bot.sources.read import ParsePool
from bot.store.open import open_store
from bot.telegram_link import Link, WatchedRequest
from bot.web import Health, Webhook, WebServer
from handlers import menus, register  # the factory alone knows the handlers
from handlers.chats import CONFLICT
from handlers.context import NewsApp, NewsContext
from handlers.updates import PerChatOrder

log = logging.getLogger(__name__)
LEADER = "leader"  # bot_data: this replica's Leadership (None on SQLite)
LOST_LEAD = "lost_lead"  # bot_data: True once the leader lock was lost


async def open_services(
    settings: Settings, bot: ExtBot[Any], metrics: Metrics | None = None
) -> Services:
    """Open the store, load the sources file into it and build the poller and sender."""
    metrics = metrics or Metrics()
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
        counted=lambda outcome, pushes: (
            metrics.pushes_sent if outcome == "sent" else metrics.pushes_failed
        ).inc(pushes),
    )
    return Services(
        settings, store, classifier, Resolver.default(), http, fetcher, poller, sender, metrics
    )


def file_url(base_url: str) -> str:
    """https://host/bot -> https://host/file/bot: where the Bot API serves files."""
    head, sep, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else base_url


def build_application(settings: Settings, pacer: Pacer | None = None) -> NewsApp:
    """A ready-to-run bot; its store, poller and sender open when the application starts.

    `pacer` replaces the default one (tests of wording leave chat spacing out).
    """
    link = Link(settings.telegram_api_base_url)
    metrics = Metrics()

    def observe(endpoint: str, code: str, seconds: float) -> None:
        metrics.telegram_answers.labels(code).inc()
        if endpoint == "sendMessage" and code == "200":
            metrics.send_seconds.observe(seconds)

    builder = ApplicationBuilder()
    if settings.webhook_url:  # Telegram posts the updates: no getUpdates, no Updater
        builder = builder.updater(None)
    app: NewsApp = (
        builder.token(settings.require_token())
        .request(WatchedRequest(link, connection_pool_size=256))
        .get_updates_request(WatchedRequest(link, connection_pool_size=1))
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url(settings.telegram_api_base_url))
        .defaults(MESSAGE_DEFAULTS)
        .concurrent_updates(PerChatOrder())
        .rate_limiter(pacer or Pacer(overall_rate=max(30.0, settings.push_rate), observe=observe))
        .context_types(ContextTypes(context=NewsContext))
        .post_init(_start)
        .post_stop(_stop)
        .post_shutdown(_shutdown)
        .build()
    )
    app.bot_data["settings"] = settings
    app.bot_data["metrics"] = metrics
    register(app)
    return app


async def _start(app: NewsApp) -> None:
    """Open the services and the HTTP server, then lead (poll and send) or stand by.

    Long polling, a standby waits here for the lead: only the leader may call getUpdates.
    With a webhook every replica answers commands at once, and waits for the lead aside.
    """
    settings: Settings = app.bot_data["settings"]
    services = await open_services(settings, app.bot, app.bot_data["metrics"])
    app.bot_data["services"] = services
    health = Health(poll_interval=settings.poll_interval_seconds, polls_here=False)
    app.bot_data["health"] = health
    if settings.http_port:
        web = WebServer(
            store=services.store,
            metrics=services.metrics,
            health=health,
            webhook=_webhook(app, settings),
        )
        await web.start(settings.http_host, settings.http_port)
        app.bot_data["web"] = web
    for language, commands, description, short in menus():  # the default, then each language
        await app.bot.set_my_commands(commands, language_code=language)
        await app.bot.set_my_description(description, language_code=language)
        await app.bot.set_my_short_description(short, language_code=language)
    if settings.webhook_url and settings.webhook_secret:
        await app.bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
        )
        app.bot_data["leading"] = asyncio.create_task(_lead(app), name="newsbot-lead")
    else:
        await _lead(app)


async def _lead(app: NewsApp) -> None:
    """Wait for the lead (at once on SQLite), then poll and send until it is lost."""
    settings: Settings = app.bot_data["settings"]
    services: Services = app.bot_data["services"]
    app.bot_data[LEADER] = await take_lead(settings.database_url, on_lost=lambda: _step_down(app))
    app.bot_data["health"].polls_here = True
    services.metrics.leader.set(1)
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


def _webhook(app: NewsApp, settings: Settings) -> Webhook | None:
    """Where Telegram posts updates, and how they join PTB's queue; None when polling."""
    if not settings.webhook_url or settings.webhook_secret is None:
        return None

    async def accept(data: dict[str, Any]) -> None:
        await app.update_queue.put(Update.de_json(data, app.bot))

    path = urlsplit(settings.webhook_url).path or "/"
    return Webhook(path, settings.webhook_secret.get_secret_value(), accept)


async def _stop(app: NewsApp) -> None:
    leading: asyncio.Task[None] | None = app.bot_data.pop("leading", None)
    if leading is not None and not leading.done():  # a standby that never led
        leading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await leading
    web: WebServer | None = app.bot_data.pop("web", None)
    if web is not None:
        await web.stop()
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
    stop: asyncio.Event | None = app.bot_data.get("stop")
    if stop is not None:  # webhook mode runs its own loop
        stop.set()
    else:
        app.stop_running()


async def retention_job(context: NewsContext) -> None:
    """Daily (and at start): prune articles older than RETENTION_DAYS."""
    services = context.services
    await prune(services.store, retention_days=services.settings.retention_days, now=time.time)


async def poll_job(context: NewsContext) -> None:
    """The scheduled poll; the sender is woken as soon as it queued pushes."""
    services = context.services
    summary = await services.poller.poll_once()
    services.metrics.poll_done(
        ok=summary.sources_ok,
        failed=summary.sources_failed,
        unchanged=summary.not_modified,
        new=summary.new_articles,
        queued=summary.pushes_queued,
        seconds=summary.seconds,
    )
    health: Health | None = context.bot_data.get("health")
    if health is not None:
        health.last_poll_at = time.time()
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
    try:  # Telegram unreachable at start: retried with PTB's backoff, one line a try
        if settings.webhook_url:
            asyncio.run(_serve_webhook(app))
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
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


async def _serve_webhook(app: NewsApp) -> None:
    """Webhook mode: PTB's lifecycle by hand (it has no Updater), until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    app.bot_data["stop"] = stop
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if not await _initialize(app, stop):
        return
    try:
        await _start(app)
        await app.start()
        await stop.wait()
    finally:
        if app.running:
            await app.stop()
        await _stop(app)
        await app.shutdown()
        await _shutdown(app)


async def _initialize(app: NewsApp, stop: asyncio.Event) -> bool:
    """app.initialize() until Telegram answers (the Link says each failure), or a stop."""
    pause = 1.0
    while not stop.is_set():
        try:
            await app.initialize()
            return True
        except InvalidToken:
            raise
        except NetworkError:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=pause)
            pause = min(30.0, pause * 1.5)  # PTB's bootstrap backoff
    return False
