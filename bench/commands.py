"""Many readers at once: N users send /subscribe together; how fast is each answered?

    python bench/commands.py [--users 1000]

Runs the real bot (`python -m bot run`, a subprocess) against the fake Bot API on 127.0.0.1,
which answers 429 like Telegram past 30 messages/s. All users send `/subscribe Peru` at once,
then one more user sends /help. Prints the time until every user had a reply, replies lost
(none after the deadline), replies out of order, the 429 count, and how long /help waited.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.telegram import FakeTelegram

FIRST_USER = 7_000_000
DEADLINE_SECONDS = 180.0


REPO = Path(__file__).resolve().parents[1]


def _quiet_sources(folder: Path) -> Path:
    """One source that never answers, so no poll competes with the replies."""
    sources = folder / "sources.toml"
    sources.write_text('[[source]]\nname = "Quiet"\nurl = "http://127.0.0.1:9/feed/"\n')
    return sources


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sources = _quiet_sources(Path(tmp))
        async with FakeTelegram() as tg:
            env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
            env.update(
                TELEGRAM_BOT_TOKEN=tg.token,
                TELEGRAM_API_BASE_URL=tg.base_url,
                DATABASE_URL=f"sqlite:///{Path(tmp) / 'newsbot.db'}",
                SOURCES_FILE=str(sources),
                POLL_INTERVAL_SECONDS="3600",
                LOG_LEVEL="WARNING",
                PYTHONPATH=str(REPO),
            )
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env, cwd=tmp,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            try:
                await tg.wait_for_call("setMyCommands", timeout=60)
                users = range(FIRST_USER, FIRST_USER + args.users)
                started = time.monotonic()
                for user in users:
                    tg.send_text(user, "/subscribe Peru")
                helper = FIRST_USER - 1
                tg.send_text(helper, "/help")
                help_at: float | None = None
                answered_at: dict[int, float] = {}
                while time.monotonic() - started < DEADLINE_SECONDS:
                    now = time.monotonic() - started
                    if help_at is None and tg.messages_to(helper, method="sendMessage"):
                        help_at = now
                    for user in users:
                        if user not in answered_at and tg.messages_to(user, method="sendMessage"):
                            answered_at[user] = now
                    if len(answered_at) == args.users and help_at is not None:
                        break
                    await asyncio.sleep(0.05)
            finally:
                bot.send_signal(signal.SIGTERM)
                await asyncio.wait_for(bot.wait(), timeout=30)
            order = [answered_at[u] for u in users if u in answered_at]
            out_of_order = sum(1 for a, b in pairwise(order) if b < a)
            twice = sum(1 for u in users if len(tg.messages_to(u, method="sendMessage")) > 1)
            last = max(answered_at.values(), default=float("nan"))
            print(f"users: {args.users}, all sending /subscribe Peru at once")
            print(f"answered: {len(answered_at)}, lost: {args.users - len(answered_at)}")
            print(f"all answered after {last:.1f}s ({len(answered_at) / last:.1f} replies/s)")
            print(f"answered out of arrival order: {out_of_order}; answered twice: {twice}")
            print(f"429 responses: {tg.too_many_requests}")
            help_text = f"{help_at:.2f}s" if help_at is not None else "never"
            print(f"/help sent after the burst answered after {help_text}")


if __name__ == "__main__":
    asyncio.run(main())
