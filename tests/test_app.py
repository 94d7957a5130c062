"""The application factory's wiring: commands, the poll job that never overlaps, the sender."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import build_application
from bot.config import Settings
from bot.services import Services
from handlers import COMMANDS
from tests.fakes.telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[1]


async def test_start_registers_commands_and_schedules_one_poll_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "Down"\nurl = "http://127.0.0.1:1/feed/"\n')
    async with FakeTelegram() as tg:
        settings = Settings(
            telegram_bot_token=SecretStr(tg.token),
            telegram_api_base_url=tg.base_url,
            database_url=f"sqlite:///{tmp_path}/app.db",
            sources_file=sources,
            poll_interval_seconds=42,
        )
        app = build_application(settings)
        await app.initialize()
        assert app.post_init is not None and app.post_stop and app.post_shutdown
        await app.post_init(app)
        try:
            assert [c["command"] for c in tg.commands] == [name for name, _ in COMMANDS]
            assert app.job_queue is not None
            (poll,) = app.job_queue.get_jobs_by_name("poll")
            assert poll.job.trigger.interval == timedelta(seconds=42)
            assert poll.job.max_instances == 1 and poll.job.coalesce
            services: Services = app.bot_data["services"]
            assert services.sender._task is not None and not services.sender._task.done()
        finally:
            await app.post_stop(app)
            await app.post_shutdown(app)
            await app.shutdown()
        assert "services" not in app.bot_data


def test_every_setting_is_documented() -> None:
    """.env.example and the README's table name every setting the code reads."""
    example = (REPO / ".env.example").read_text()
    readme = (REPO / "README.md").read_text()
    for name in Settings.model_fields:
        env = name.upper()
        assert re.search(rf"^#?\s*{env}=", example, re.M), f"{env} missing from .env.example"
        assert f"`{env}`" in readme, f"{env} missing from the README"
