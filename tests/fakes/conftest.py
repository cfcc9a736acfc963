"""Fixtures for the fake Discord's self-tests: the fake plus a plain discord.py client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import discord.gateway
import discord.http
import pytest
import yarl

from tests.fakes.discord import FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    # Self-tests also hold the fake's own responses to the spec.
    server = FakeDiscord(validate_responses=True)
    await server.start()
    yield server
    await server.stop()
    if server.state.violations:
        listed = "\n  ".join(server.state.violations)
        pytest.fail(f"Discord API violations during this test:\n  {listed}", pytrace=False)


@pytest.fixture
async def client(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[discord.Client]:
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    intents = discord.Intents(guilds=True, guild_messages=True, message_content=True)
    bot = discord.Client(intents=intents, guild_ready_timeout=0.05)
    ready = asyncio.Event()
    bot.event(_on_ready(ready))
    runner = asyncio.create_task(bot.start("fake-token"))
    async with asyncio.timeout(5):
        await ready.wait()
    yield bot
    await bot.close()
    await runner


def _on_ready(ready: asyncio.Event):  # discord.py registers handlers by function name
    async def on_ready() -> None:
        ready.set()

    return on_ready
