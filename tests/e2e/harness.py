"""What the end-to-end tests share: the bot as a subprocess, stories, waiting on polls."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.models import Target, TargetKind
from bot.store.open import open_store
from tests.fakes.news_site import FakeArticle, FakeNewsSite
from tests.fakes.telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[2]


class BotProcess:
    """`python -m bot run` in a subprocess, with its log kept for failure reports."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self._env = env
        self._workdir = workdir
        self.log_path = workdir / "bot.log"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self._workdir,
                env=self._env,
                stdout=log,
                stderr=log,
            )

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        assert self._process is not None
        if self._process.returncode is None:
            self._process.send_signal(sig)
        code = await asyncio.wait_for(self._process.wait(), timeout=20)
        self._process = None
        return code

    def returncode(self) -> int | None:
        """The exit code once the process ended by itself, else None."""
        return None if self._process is None else self._process.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


async def run_to_exit(env: dict[str, str], cwd: Path | None = None) -> tuple[int, str]:
    """`python -m bot run` that is expected to stop by itself: (exit code, stdout + stderr)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, out.decode(errors="replace")


def article(slug: str, title: str, teaser: str) -> FakeArticle:
    return FakeArticle(title=title, teaser=teaser, slug=slug, published=datetime.now(UTC))


PERU = article(
    "peru-miners-strike",
    "Peruvian Miners Strike In Arequipa",
    "Thousands of miners in Peru walked off the job demanding a share of copper profits.",
)
FRANCE = article(
    "paris-pension-march",
    "Paris Workers Rally Against Pension Reform",
    "French unions marched through Paris against the government's plan to raise the age.",
)
PERU_LATER = article(
    "lima-teachers",
    "Teachers In Lima Walk Out Over Pay",
    "Peruvian teachers in Lima began an indefinite strike over unpaid wages.",
)


async def polls_after(site: FakeNewsSite, count: int, deadline: float = 15.0) -> None:
    """Wait until the bot has fetched the feed `count` more times, so 'nothing came' means it."""
    await site.wait_for_requests("/feed/", len(site.requests_to("/feed/")) + count, deadline)


@asynccontextmanager
async def serving(
    env: dict[str, str], workdir: Path, telegram: FakeTelegram, site: FakeNewsSite
) -> AsyncIterator[BotProcess]:
    """The bot running with its menu set and its first poll done; its log shown if it fails."""
    bot = BotProcess(env, workdir)
    await bot.start()
    try:
        await telegram.wait_for_call("setMyCommands", timeout=30)
        await polls_after(site, 1, deadline=30)
        yield bot
    except BaseException:
        print(bot.log())
        raise
    finally:
        await bot.stop()


async def subscribe_everyone(database_url: str, chats: range) -> None:
    """Each of `chats` a private chat following Peru, written straight into the store."""
    store = await open_store(database_url)
    peru = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")
    for chat_id in chats:
        await store.upsert_chat(chat_id, "private", f"Reader {chat_id}")
        await store.add_subscriptions(chat_id, [peru])
    await store.close()


def pushes_per_chat(telegram: FakeTelegram, url: str) -> Counter[int]:
    """How many times each chat was sent the push of the article at `url`."""
    opening = f'<b><a href="{url}">'
    return Counter(m.chat_id for m in telegram.sent if m.text.startswith(opening))
