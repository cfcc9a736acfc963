"""Runs the real bot (`python bot.py`) as a subprocess pointed at the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path

from tests.fakes.discord import FakeDiscord

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
# Settings the tests own; anything like them in the developer's shell must not leak in.
_OWNED_PREFIXES = ("DISCORD_", "OPENAI_", "AI_", "DATABASE_", "DEV_GUILD", "LOG_LEVEL")


class BotProcess:
    def __init__(
        self, fake: FakeDiscord, db_path: Path, log_path: Path, env: dict[str, str | None]
    ):
        self.fake = fake
        self.db_path = db_path
        self.log_path = log_path
        self.extra_env = env
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_OWNED_PREFIXES)}
        env.update(
            DISCORD_TOKEN="fake-token-for-tests",
            DATABASE_PATH=str(self.db_path),
            DISCORD_API_BASE=self.fake.api_base,
            DISCORD_GATEWAY_URL=self.fake.gateway_url,
            DEV_GUILD_ID=str(self.fake.guild.id),
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        # A None value unsets a default, e.g. DEV_GUILD_ID=None syncs commands globally.
        for key, value in self.extra_env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    async def start(self) -> None:
        """Spawn the bot and return once it has IDENTIFYed and its commands are synced."""
        state = self.fake.state
        identifies_before = len(self.fake.gateway.identifies)
        log = self.log_path.open("ab")
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "bot.py",
                cwd=REPO_ROOT,
                env=self.environment(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        finally:
            log.close()
        self.starts += 1

        def ready() -> bool:
            identified = len(self.fake.gateway.identifies) > identifies_before
            return identified and state.command_syncs > 0

        try:
            async with asyncio.timeout(READY_TIMEOUT):
                while not ready():
                    if self.process.returncode is not None:
                        raise RuntimeError(f"the bot exited with code {self.process.returncode}")
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(0.1):
                            await state.changed()
        except (TimeoutError, RuntimeError) as error:
            reason = str(error) or f"not ready within {READY_TIMEOUT}s"
            await self.kill()
            raise AssertionError(
                f"bot did not start: {reason} (IDENTIFY seen: "
                f"{len(self.fake.gateway.identifies) > identifies_before}, command syncs: "
                f"{state.command_syncs})\n--- bot output (tail) ---\n{self.stderr_tail()}"
            ) from None

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL if the bot has not exited after a few seconds."""
        process = self.process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await process.wait()
        except TimeoutError:
            await self.kill()

    async def kill(self) -> None:
        process = self.process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()

    def stderr_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no output)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:]) or "(no output)"
