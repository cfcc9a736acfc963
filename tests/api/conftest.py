"""The HTTP app in-process over httpx's ASGI transport, on the in-memory store: for what
needs no Discord (routing, the OpenAPI document, errors). End to end, with the real bot
process and the fake Discord, is in tests/e2e/test_api_*.py."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from api.app import create_app
from api.ports import NoDiscordSide
from core.clock import ManualClock
from core.services import build_services
from core.settings import Settings
from tests.fakes.store import MemoryStore


@pytest.fixture
def settings() -> Settings:
    return Settings(DISCORD_TOKEN="test-token", API_PORT=8080)  # type: ignore[arg-type]


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    store = MemoryStore()
    services = build_services(store, settings, ManualClock())
    app = create_app(services, settings, NoDiscordSide())
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        yield client
    await store.close()
