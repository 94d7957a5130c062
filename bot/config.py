"""Typed settings from the environment and `.env`; passed down, never kept in globals."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from rapidfuzz.distance import Levenshtein

from bot.errors import ConfigError
from bot.store.open import sqlite_path, url_problem
from bot.urls import is_http_url

BUNDLED_SOURCES = Path(__file__).parent / "data" / "sources.toml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
FREE_RATE_MAX = 30.0  # Telegram: messages a second a bot may send without paid broadcasts
FREE_RATE_PAID_MAX = 1000.0  # with paid broadcasts


class Settings(BaseSettings):
    """Every setting newsbot reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    database_url: str = "sqlite:///data/newsbot.db"
    sources_file: Path = BUNDLED_SOURCES
    poll_interval_seconds: int = Field(default=300, ge=1)
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    fetch_timeout_seconds: float = Field(default=20.0, gt=0)
    fetch_max_bytes: int = Field(default=5_000_000, ge=1024)
    fetch_concurrency: int = Field(default=8, ge=1)
    parse_timeout_seconds: float = Field(default=10.0, gt=0)  # per source, in a worker process
    allow_private_sources: bool = False  # /addsource may reach private/loopback addresses
    retention_days: int = Field(default=30, ge=1)
    user_agent: str = "newsbot/0.1 (+https://github.com/newsbot; Telegram news bot)"
    digest_threshold: int = Field(default=5, ge=1)
    send_rate_per_second: float = Field(default=28.0, gt=0)
    coalesce_backlog: int = Field(default=60, ge=0)  # due pushes from which chats get one message
    http_port: int = Field(default=0, ge=0, le=65535)  # 0: no HTTP server (/healthz, /metrics)
    http_host: str = "0.0.0.0"  # in a container the server must be reachable from outside
    webhook_url: str | None = None  # set: Telegram posts updates here instead of long polling
    webhook_secret: SecretStr | None = None
    log_format: str = "text"
    paid_broadcast: bool = False
    paid_broadcast_rate_per_second: float = Field(default=1000.0, gt=0, le=FREE_RATE_PAID_MAX)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part for part in value.replace(" ", "").split(",") if part]
            for part in parts:
                if not part.lstrip("-").isdigit():
                    raise ValueError(f"{part!r} is not a Telegram user id")
            return frozenset(int(part) for part in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not is_http_url(value):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")  # PTB appends the token: ".../bot/" would make ".../bot/123:…"

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value.lower() not in ("text", "json"):
            raise ValueError("must be text or json")
        return value.lower()

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value and not is_http_url(value):
            raise ValueError("must start with https:// (or http:// for a self-hosted Bot API)")
        return value or None

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        secret = value.get_secret_value() if value is not None else ""
        if secret and not _SECRET_TOKEN.fullmatch(secret):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value if secret else None

    @model_validator(mode="after")
    def _webhook_complete(self) -> Settings:
        if self.webhook_url and (self.webhook_secret is None or not self.http_port):
            raise ValueError(
                "WEBHOOK_URL needs WEBHOOK_SECRET (Telegram sends it with every update) and "
                "HTTP_PORT (where the webhook listens)"
            )
        return self

    @model_validator(mode="after")
    def _within_telegram_limits(self) -> Settings:
        if not self.paid_broadcast and self.send_rate_per_second > FREE_RATE_MAX:
            raise ValueError(
                f"SEND_RATE_PER_SECOND: {self.send_rate_per_second:g} is over Telegram's "
                f"{FREE_RATE_MAX:g} messages a second (set PAID_BROADCAST=true to go faster)"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        problem = url_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @property
    def push_rate(self) -> float:
        """Pushes per second: Telegram's free limit, or the paid-broadcast rate when enabled."""
        return (
            self.paid_broadcast_rate_per_second
            if self.paid_broadcast
            else self.send_rate_per_second
        )

    @property
    def database_path(self) -> Path:
        """sqlite:///data/x.db is relative to the working directory, sqlite:////x.db absolute."""
        return sqlite_path(self.database_url)

    def secrets(self) -> list[str]:
        """What must never appear in a log line."""
        token = self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""
        hook = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        return [secret for secret in (token, hook) if secret]

    def require_token(self) -> str:
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put "
                "TELEGRAM_BOT_TOKEN=... in .env or the environment (see .env.example)"
            )
        return self.telegram_bot_token.get_secret_value()


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning pydantic's report into one line an operator can act on."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if not first["loc"]:  # a rule across settings names them itself
            raise ConfigError(f"invalid settings: {message}") from exc
        name = str(first["loc"][0]).upper()
        raise ConfigError(f"{name}: {message}") from exc


def setting_warnings(environ: Mapping[str, str], env_file: Path = Path(".env")) -> list[str]:
    """One line per .env entry that matches no setting, and per environment variable whose
    name nearly matches one (POLL_INTERVAL for POLL_INTERVAL_SECONDS): both are ignored."""
    names = sorted(name.upper() for name in Settings.model_fields)
    lines: list[str] = []
    if env_file.is_file():
        for key in dotenv_values(env_file):
            if key.upper() not in names:
                meant = _meant(key.upper(), names, strict=False)
                hint = f"; did you mean {meant}?" if meant else " (see .env.example)"
                lines.append(f"{env_file}: {key} is not a setting and is ignored{hint}")
    for key in environ:
        if key.upper() not in names and (meant := _meant(key.upper(), names, strict=True)):
            lines.append(f"environment variable {key} is not a setting; did you mean {meant}?")
    return lines


def _meant(name: str, names: Iterable[str], *, strict: bool) -> str | None:
    """The setting a name was probably meant to be: a word more or less, or a typo.

    `strict` is for the environment, where most names belong to other programs: only a
    missing or extra word, or one mistyped letter, counts (HTTP_PROXY is not HTTP_PORT).
    """
    words = name.split("_")
    for candidate in names:
        theirs = candidate.split("_")
        shorter, longer = sorted((words, theirs), key=len)
        dropped_one = len(longer) == len(shorter) + 1 and len(shorter) >= 2
        if dropped_one and any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))):
            return candidate
        typos = Levenshtein.distance(name, candidate)
        if typos <= (1 if strict else 2) and len(name) >= (8 if strict else 4):
            return candidate
    return None
