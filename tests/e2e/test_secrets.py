"""`newsbot run` at every log level prints no token: a good run, a refused token, a wrong URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, polls_after, run_to_exit
from tests.fakes.news_site import FakeNewsSite
from tests.fakes.telegram import FakeTelegram

LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("case", ["refused token", "mistyped base URL"])
async def test_a_token_telegram_refuses_is_one_line_without_the_token(
    bot_env: dict[str, str], telegram: FakeTelegram, level: str, case: str
) -> None:
    wrong = "987654:WRONGsecretTOKENvalue"
    env = dict(bot_env, LOG_LEVEL=level)
    if case == "refused token":
        env["TELEGRAM_BOT_TOKEN"] = wrong
        secret = wrong.split(":")[1]
    else:
        env["TELEGRAM_API_BASE_URL"] = telegram.base_url.rstrip("/") + "x/"
        secret = telegram.token.split(":")[1]
    code, out = await run_to_exit(env)
    assert code == 2, out
    assert secret not in out
    lines = [line for line in out.splitlines() if line.startswith("newsbot:")]
    assert lines and "Telegram refused the token" in lines[-1], out
    assert "Traceback" not in out


async def test_a_debug_run_logs_no_token(
    bot_env: dict[str, str], telegram: FakeTelegram, site: FakeNewsSite, tmp_path: Path
) -> None:
    bot = BotProcess(dict(bot_env, LOG_LEVEL="DEBUG"), tmp_path)
    await bot.start()
    try:
        await polls_after(site, 2)
    finally:
        await bot.stop()
    log = bot.log()
    assert "DEBUG" in log and "getUpdates" in log  # PTB's request logging did run
    assert telegram.token not in log and telegram.token.split(":")[1] not in log
