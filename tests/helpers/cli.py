"""Run the real command line in a subprocess, the way an operator does."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


async def newsbot(*args: str, cwd: Path, stdin: bytes = b"", **env: str) -> tuple[int, str, str]:
    """`python -m bot ARGS` in `cwd` without any TELEGRAM_ setting: (exit code, stdout, stderr)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment.update(env, PYTHONPATH=str(REPO))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=environment,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate(stdin)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
