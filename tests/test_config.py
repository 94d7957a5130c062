"""Settings: defaults, parsing, and one clear line for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import file_url
from bot.config import BUNDLED_SOURCES, load_settings, setting_warnings
from bot.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TELEGRAM_BOT_TOKEN", "POLL_INTERVAL_SECONDS", "ADMIN_IDS", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    settings = load_settings()
    assert settings.poll_interval_seconds == 300
    assert settings.database_path == Path("data/newsbot.db")
    assert settings.sources_file == BUNDLED_SOURCES and BUNDLED_SOURCES.exists()
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"


def test_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("POLL_INTERVAL_SECONDS=1\nADMIN_IDS=5, 7\n")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////var/lib/newsbot/db.sqlite")
    settings = load_settings()
    assert settings.poll_interval_seconds == 1
    assert settings.admin_ids == {5, 7}
    assert settings.database_path == Path("/var/lib/newsbot/db.sqlite")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("POLL_INTERVAL_SECONDS", "0", "POLL_INTERVAL_SECONDS"),
        ("POLL_INTERVAL_SECONDS", "soon", "POLL_INTERVAL_SECONDS"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org", "TELEGRAM_API_BASE_URL"),
    ],
)
def test_bad_setting_names_itself(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"^{expected}: ") as caught:
        load_settings()
    assert "\n" not in str(caught.value)


def test_missing_token_message() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        load_settings().require_token()


def test_file_url_follows_base_url() -> None:
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/file/bot"


def test_admin_ids_that_are_not_ids_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "5, abc")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == "ADMIN_IDS: 'abc' is not a Telegram user id"


def test_send_rates_stay_within_telegrams_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEND_RATE_PER_SECOND", "31")
    with pytest.raises(ConfigError, match=r"^invalid settings: SEND_RATE_PER_SECOND: 31 is over"):
        load_settings()
    monkeypatch.setenv("PAID_BROADCAST", "true")
    assert load_settings().send_rate_per_second == 31
    monkeypatch.setenv("PAID_BROADCAST_RATE_PER_SECOND", "1001")
    with pytest.raises(ConfigError, match=r"^PAID_BROADCAST_RATE_PER_SECOND: "):
        load_settings()


def test_a_trailing_slash_on_the_bot_api_url_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot/")
    assert load_settings().telegram_api_base_url == "http://127.0.0.1:8081/bot"


def test_env_lines_and_near_miss_variables_are_named(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("POLL_INTERVAL=60\nLOG_LEVEL=INFO\nFAVOURITE_COLOUR=red\n")
    environ = {
        "SEND_RATE_PER_SECONDS": "20",  # a word's letter too many
        "ADMIN_ID": "5",  # one letter short
        "HOME": "/root",
        "HTTP_PROXY": "http://proxy:3128",
        "PATH": "/usr/bin",
        "USER": "root",
        "LOG_LEVEL": "INFO",
    }
    lines = setting_warnings(environ, env_file)
    assert lines == [
        f"{env_file}: POLL_INTERVAL is not a setting and is ignored; "
        "did you mean POLL_INTERVAL_SECONDS?",
        f"{env_file}: FAVOURITE_COLOUR is not a setting and is ignored (see .env.example)",
        "environment variable SEND_RATE_PER_SECONDS is not a setting; "
        "did you mean SEND_RATE_PER_SECOND?",
        "environment variable ADMIN_ID is not a setting; did you mean ADMIN_IDS?",
    ]
