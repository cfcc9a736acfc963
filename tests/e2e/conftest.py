"""E2E fixtures: the fake Discord on a free loopback port and the real bot as a subprocess.

async def test_x(desk): ...                      # fresh DB, bot connected and synced
@pytest.mark.bot_env(OPENAI_BASE_URL="http://127.0.0.1:9/v1")
async def test_y(desk): ...                      # extra environment for the bot
async def test_z(desk_factory): desk = await desk_factory({"AI_MODEL": "m"}, start=False)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from tests.e2e.bot_process import BotProcess
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk

DeskFactory = Callable[..., Awaitable[Desk]]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "bot_env(**env): extra environment variables for the bot process"
    )


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.stop()
    if fake.state.violations:
        listed = "\n  ".join(fake.state.violations)
        pytest.fail(f"Discord API violations during this test:\n  {listed}", pytrace=False)


@pytest.fixture
async def desk_factory(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[DeskFactory]:
    bots: list[BotProcess] = []

    async def make(env: dict[str, str] | None = None, *, start: bool = True) -> Desk:
        db_path = tmp_path / "tickets.db"
        bot = BotProcess(fake_discord, db_path, tmp_path / "bot.log", env or {})
        bots.append(bot)
        if start:
            await bot.start()
        return Desk(fake_discord, bot, db_path)

    yield make
    for bot in bots:
        await bot.stop()


@pytest.fixture
async def desk(request: pytest.FixtureRequest, desk_factory: DeskFactory) -> Desk:
    marker = request.node.get_closest_marker("bot_env")
    env = {k: str(v) for k, v in marker.kwargs.items()} if marker else {}
    return await desk_factory(env)
