"""Typed settings from the environment and `.env`; passed down, never kept in globals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.errors import ConfigError
from bot.store.open import sqlite_path, url_problem
from bot.urls import is_http_url

BUNDLED_SOURCES = Path(__file__).parent / "data" / "sources.toml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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
    paid_broadcast: bool = False
    paid_broadcast_rate_per_second: float = Field(default=1000.0, gt=0)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
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
        return value

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
        return [token] if token else []

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
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise ConfigError(f"invalid setting {name}: {first['msg']}") from exc
