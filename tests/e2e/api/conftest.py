"""The real bot process with its HTTP API on a free loopback port, and an httpx client.

async def test_x(api): ...        # api.desk: the Desk driver; api.http: httpx client
async def test_y(api_factory): api = await api_factory({"DEV_GUILD_ID": None})
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest

from tests.e2e.conftest import DeskFactory
from tests.fakes.discord.driver import Desk


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Api:
    desk: Desk
    http: httpx.AsyncClient
    base_url: str


ApiFactory = Callable[[dict[str, str | None]], Awaitable[Api]]


@pytest.fixture
async def api_factory(desk_factory: DeskFactory) -> AsyncIterator[ApiFactory]:
    clients: list[httpx.AsyncClient] = []

    async def make(env: dict[str, str | None]) -> Api:
        port = free_port()
        desk = await desk_factory({"API_PORT": str(port), **env})
        base_url = f"http://127.0.0.1:{port}"
        http = httpx.AsyncClient(base_url=base_url, timeout=10)
        clients.append(http)
        return Api(desk, http, base_url)

    yield make
    for http in clients:
        await http.aclose()


@pytest.fixture
async def api(request: pytest.FixtureRequest, api_factory: ApiFactory) -> Api:
    marker = request.node.get_closest_marker("bot_env")
    env = {k: str(v) for k, v in marker.kwargs.items()} if marker else {}
    return await api_factory(env)
