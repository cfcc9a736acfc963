"""The dashboard in-process (httpx over ASGI) on a real SQLite file, logging in through the
fake Discord's OAuth2 on a loopback port, as a browser would (cookies, redirects, forms).

The bot's side (members' roles, nudges) is played by `FakeDeskSide`: roles are read from
the fake Discord's members, as the bot reads them; nudges are counted, and the Discord
work the writes queued is in the database (`discord_jobs`). The real bot
process is in tests/e2e/dashboard/.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import discord
import httpx
import pytest

from api.app import create_app
from core.access import ServerIds
from core.clock import ManualClock
from core.members import MemberFacts
from core.models import Actor, Ticket
from core.services import Services, build_services
from core.settings import Settings
from storage.sqlite.store import SqliteStore
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord import permissions as perms
from tests.fakes.discord.state import Guild

DASHBOARD = "http://desk.test"
SECRET = "a-session-secret-of-forty-characters-xx"


@dataclass
class FakeDeskSide:
    """What the bot process provides, read straight from the fake Discord."""

    fake: FakeDiscord
    nudges: int = 0
    verified: bool = True

    async def member(self, guild_id: int, user_id: int) -> MemberFacts | None:
        guild = self.fake.state.guilds.get(guild_id)
        if guild is None or guild_id not in self.fake.state.bot_guild_ids:
            return None
        member = guild.members.get(user_id)
        if member is None:
            return None
        granted = discord.Permissions(perms.compute(guild, user_id, None))
        return MemberFacts(
            role_ids=frozenset(int(r) for r in member["roles"]),
            server_permissions=frozenset(name for name, on in granted if on),
            verified=self.verified,
        )

    def ticket_waiting(self) -> None:
        return None

    def work_queued(self) -> None:
        self.nudges += 1


@dataclass
class Site:
    fake: FakeDiscord
    services: Services
    clock: ManualClock
    side: FakeDeskSide
    http: httpx.AsyncClient  # the browser, on the dashboard
    discord_http: httpx.AsyncClient  # the same browser, on discord.com
    db_path: Path

    def jobs(self) -> list[tuple[str, dict]]:
        """The Discord work queued for the bot (kind, payload), oldest first."""
        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True) as conn:
            rows = conn.execute("SELECT kind, payload FROM discord_jobs ORDER BY id").fetchall()
        return [(kind, json.loads(payload)) for kind, payload in rows]

    @property
    def guild_id(self) -> int:
        return self.fake.guild.id

    def user_id(self, name: str) -> int:
        return int(self.fake.state.member_named(self.fake.guild, name)["user"]["id"])

    def actor(self, name: str, *, staff: bool = False, admin: bool = False) -> Actor:
        return Actor(
            user_id=self.user_id(name), guild_id=self.guild_id, is_staff=staff, is_admin=admin
        )

    async def log_in(self, name: str, next_path: str = "/") -> httpx.Response:
        """The whole login as `name`; returns the dashboard's answer to the callback."""
        self.fake.oauth.signed_in = self.user_id(name)
        start = await self.http.get("/login", params={"next": next_path})
        authorize = start.headers["location"]
        query = dict(parse_qsl(urlsplit(authorize).query))
        decision = await self.discord_http.post(
            "/oauth2/authorize", data={**query, "decision": "authorize"}
        )
        assert decision.status_code == 302, decision.text
        return await self.http.get(decision.headers["location"])

    async def open_ticket(self, name: str = "alice", subject: str = "Printer on fire") -> Ticket:
        return await self.services.tickets.create(
            self.actor(name), subject=subject, message="It is really on fire."
        )

    async def csrf(self, path: str) -> str:
        page = await self.http.get(path)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text[:500]
        return found.group(1)

    async def post(self, path: str, form_page: str, **data: str) -> httpx.Response:
        """Submit a form found on `form_page`, with its CSRF token."""
        token = await self.csrf(form_page)
        return await self.http.post(path, data={"csrf_token": token, **data})


def dashboard_settings(fake: FakeDiscord, **extra: object) -> Settings:
    fake.oauth.redirect_uris.append(f"{DASHBOARD}/callback")
    values: dict[str, object] = {
        "DISCORD_TOKEN": "test-token",
        "API_PORT": 8080,
        "DASHBOARD_URL": DASHBOARD,
        "DISCORD_CLIENT_ID": fake.oauth.client_id,
        "DISCORD_CLIENT_SECRET": fake.oauth.client_secret,
        "SESSION_SECRET": SECRET,
        "DISCORD_OAUTH_URL": f"{fake.state.base_url}/oauth2/authorize",
        "DISCORD_API_BASE": fake.api_base,
    }
    return Settings(**(values | extra))  # type: ignore[arg-type]


async def set_up_desk(services: Services, guild: Guild) -> None:
    """What an admin does first (/admin setup), with limits out of the tests' way."""
    admin = Actor(user_id=guild.owner_id, guild_id=guild.id, is_admin=True)
    known = ServerIds(
        guild_id=guild.id,
        channel_ids=frozenset(int(c) for c in guild.channels),
        role_ids=frozenset(int(r) for r in guild.roles),
    )
    await services.guilds.setup(
        admin,
        ticket_channel_id=int(guild.channel_named("tickets")["id"]),
        staff_role_id=int(guild.role_named("Staff")["id"]),
        server=known,
    )
    await services.guilds.set_limits(admin, cooldown_seconds=0, max_open_tickets=50)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()
    if server.state.violations:
        listed = "\n  ".join(server.state.violations)
        pytest.fail(f"Discord API violations during this test:\n  {listed}", pytrace=False)


@pytest.fixture
async def site(fake: FakeDiscord, tmp_path) -> AsyncIterator[Site]:
    db_path = tmp_path / "desk.db"
    store = await SqliteStore.open(db_path)
    clock = ManualClock()
    settings = dashboard_settings(fake)
    services = build_services(store, settings, clock)
    side = FakeDeskSide(fake)
    await set_up_desk(services, fake.guild)
    app = create_app(services, settings, side)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with (
        httpx.AsyncClient(transport=transport, base_url=DASHBOARD) as http,
        httpx.AsyncClient(base_url=fake.state.base_url) as discord_http,
    ):
        yield Site(fake, services, clock, side, http, discord_http, db_path)
    await store.close()
