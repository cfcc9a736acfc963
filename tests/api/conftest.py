"""The HTTP app in-process over httpx's ASGI transport, on the in-memory store: for what
needs no Discord (routing, the OpenAPI document, errors, credentials). End to end, with the
real bot process and the fake Discord, is in tests/e2e/api/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from api.ports import MemberFacts
from core.access import ServerIds
from core.clock import ManualClock
from core.models import Actor
from core.services import Services, build_services
from core.settings import Settings
from tests.fakes.store import MemoryStore

GUILD = 1000
STAFF_ROLE = 2000
TICKET_CHANNEL = 3000
ADMIN = Actor(user_id=99, guild_id=GUILD, is_admin=True)
ALICE = 1
BOB_STAFF = 50


@dataclass
class RecordingDiscordSide:
    """The Discord side as the API sees it: nudges counted, members from a dict."""

    members: dict[int, MemberFacts] = field(default_factory=dict)
    nudges: list[str] = field(default_factory=list)

    def ticket_waiting(self) -> None:
        self.nudges.append("ticket_waiting")

    def work_queued(self) -> None:
        self.nudges.append("work_queued")

    async def member(self, guild_id: int, user_id: int) -> MemberFacts | None:
        return self.members.get(user_id) if guild_id == GUILD else None


@dataclass
class Api:
    app: FastAPI
    http: httpx.AsyncClient
    services: Services
    discord: RecordingDiscordSide
    clock: ManualClock
    key: str

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.key}"}


@pytest.fixture
def settings() -> Settings:
    return Settings(DISCORD_TOKEN="test-token", API_PORT=8080, API_RATE_LIMIT=1000)  # type: ignore[arg-type]


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    store = MemoryStore()
    clock = ManualClock()
    services = build_services(store, settings, clock)
    await services.guilds.setup(
        ADMIN,
        ticket_channel_id=TICKET_CHANNEL,
        staff_role_id=STAFF_ROLE,
        server=ServerIds(
            guild_id=GUILD,
            channel_ids=frozenset({TICKET_CHANNEL}),
            role_ids=frozenset({STAFF_ROLE}),
        ),
    )
    await services.guilds.set_limits(ADMIN, cooldown_seconds=0)
    _, key = await services.api_keys.create(ADMIN, "CRM")
    discord = RecordingDiscordSide(
        members={
            ALICE: MemberFacts(),
            BOB_STAFF: MemberFacts(role_ids=frozenset({STAFF_ROLE})),
        }
    )
    app = create_app(services, settings, discord)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as http:
        yield Api(app, http, services, discord, clock, key)
    await store.close()
