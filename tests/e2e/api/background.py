"""The fake Discord and the real bot process, run on an event loop in a thread of their
own, for tests that must block (schemathesis calls the API synchronously): the fake keeps
answering the bot meanwhile."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from tests.e2e.api.conftest import free_port
from tests.e2e.bot_process import BotProcess
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk

T = TypeVar("T")


class BackgroundDesk:
    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._tmp_path = tmp_path
        self._env = {"API_PORT": str(self.port), **env}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.fake: FakeDiscord | None = None
        self.bot: BotProcess | None = None
        self.desk: Desk | None = None

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        """Run a coroutine on the background loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def start(self) -> Desk:
        self._thread.start()

        async def start() -> Desk:
            self.fake = FakeDiscord()
            await self.fake.start()
            db_path = self._tmp_path / "tickets.db"
            self.bot = BotProcess(self.fake, db_path, self._tmp_path / "bot.log", self._env)
            await self.bot.start()
            return Desk(self.fake, self.bot, db_path)

        self.desk = self.run(start())
        return self.desk

    def stop(self) -> list[str]:
        """Stop the bot and the fake; the Discord API violations seen meanwhile."""

        async def stop() -> list[str]:
            if self.bot is not None:
                await self.bot.stop()
            if self.fake is None:
                return []
            await self.fake.stop()
            return list(self.fake.state.violations)

        try:
            return self.run(stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
