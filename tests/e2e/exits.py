"""Run the real `python bot.py` (or `--check`) to its end and read what it said.

For start-up failures and `--check`: the process is expected to stop by itself, so unlike
BotProcess nothing waits for it to become ready.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.bot_process import REPO_ROOT, BotProcess
from tests.fakes.discord import FakeDiscord

EXIT_TIMEOUT = 30.0


@dataclass
class Exit:
    code: int
    stdout: str
    stderr: str

    @property
    def last_line(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else ""

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"


def environment(
    fake: FakeDiscord, tmp_path: Path, env: dict[str, str] | None = None, unset: tuple = ()
) -> dict[str, str]:
    """The environment the E2E bot gets, with `env` on top and `unset` names removed."""
    bot = BotProcess(fake, tmp_path / "tickets.db", tmp_path / "bot.log", env or {})
    full = bot.environment()
    for name in unset:
        full.pop(name, None)
    return full


async def run_to_exit(
    fake: FakeDiscord,
    tmp_path: Path,
    *args: str,
    env: dict[str, str] | None = None,
    unset: tuple[str, ...] = (),
    within: float = EXIT_TIMEOUT,
) -> Exit:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "bot.py",
        *args,
        cwd=REPO_ROOT,
        env=environment(fake, tmp_path, env, unset),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(within):
            stdout, stderr = await process.communicate()
    except TimeoutError:
        process.kill()
        stdout, stderr = await process.communicate()
        raise AssertionError(
            f"bot.py {' '.join(args)} did not exit within {within}s\n{stderr.decode()}"
        ) from None
    assert process.returncode is not None
    return Exit(process.returncode, stdout.decode(), stderr.decode())


def dead_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
