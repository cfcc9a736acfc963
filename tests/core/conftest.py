"""Services against a real SQLite file (the SQLite store), against a real PostgreSQL
database (the PostgreSQL store, on the session's throwaway server), and against the
in-memory store of tests/fakes/store/ (written from core's ports alone, so core can't
come to lean on a database), with a clock that only moves when told to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.access import ServerIds
from core.clock import ManualClock
from core.guilds import GuildService
from core.models import Actor
from core.ports import Store
from core.tickets import TicketService
from storage.postgres.store import PostgresStore
from storage.sqlite.store import SqliteStore
from tests.fakes.store import MemoryStore

GUILD = 1000
STAFF_ROLE = 2000
TICKET_CHANNEL = 3000


@pytest.fixture(params=["sqlite", "postgres", "memory"])
async def store(request, tmp_path) -> AsyncIterator[Store]:
    if request.param == "postgres":
        async with request.getfixturevalue("postgres_server").schema() as url:
            opened = await PostgresStore.open(url)
            yield opened
            await opened.close()
        return
    opened = (
        await SqliteStore.open(tmp_path / "desk.db") if request.param == "sqlite" else MemoryStore()
    )
    yield opened
    await opened.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def guilds(store: Store, clock: ManualClock) -> GuildService:
    return GuildService(store, clock, ai_configured=True)


@pytest.fixture
def tickets(store: Store, guilds: GuildService, clock: ManualClock) -> TicketService:
    return TicketService(store, guilds, clock)


def member(user_id: int = 1, guild_id: int = GUILD) -> Actor:
    return Actor(user_id=user_id, guild_id=guild_id)


def staff(user_id: int = 50, guild_id: int = GUILD) -> Actor:
    return Actor(user_id=user_id, guild_id=guild_id, is_staff=True)


def admin(user_id: int = 99, guild_id: int = GUILD) -> Actor:
    return Actor(user_id=user_id, guild_id=guild_id, is_admin=True)


def server(guild_id: int = GUILD, channels: tuple[int, ...] = (), roles: tuple[int, ...] = ()):
    """The server's channels and roles as the front end would pass them to the services."""
    return ServerIds(
        guild_id=guild_id,
        channel_ids=frozenset({TICKET_CHANNEL, *channels}),
        role_ids=frozenset({STAFF_ROLE, *roles}),
    )


@pytest.fixture
async def set_up(guilds: GuildService) -> None:
    """A guild an admin has already run /admin setup on, with no cooldown in the way."""
    await guilds.setup(
        admin(), ticket_channel_id=TICKET_CHANNEL, staff_role_id=STAFF_ROLE, server=server()
    )
    await guilds.set_limits(admin(), cooldown_seconds=0)
