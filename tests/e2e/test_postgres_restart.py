"""PostgreSQL restarting under a running bot (SPEC §10, issue 15): every connection of the
bot is cut, and cut again while a member creates a ticket (pg_terminate_backend: what a
restart does to its clients, without stopping the server the other tests share). That
member's /ticket create succeeds or says "try again in a moment"; the next one succeeds,
with the same bot process; nothing acknowledged is lost."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import pytest

from tests.e2e.helpers import open_ticket, rows, set_up
from tests.fakes.discord.driver import Desk

TRY_AGAIN = "try again in a moment"


async def cut_connections(url: str, application: str) -> int:
    """Terminate the bot's connections (found by their application_name); how many."""
    admin = await asyncpg.connect(url)
    try:
        found = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            application,
        )
    finally:
        await admin.close()
    return len(found)


async def keep_cutting(url: str, application: str) -> None:
    while True:
        await cut_connections(url, application)
        await asyncio.sleep(0.005)


@pytest.mark.parametrize("backend", ["postgres"])
async def test_the_bot_reconnects_after_postgresql_drops_its_connections(desk_factory, database):
    application = f"desk-restart-{id(database)}"
    # asyncpg hands URL parameters it does not know to the server as settings.
    bot_url = f"{database.url}&application_name={application}"
    desk: Desk = await desk_factory({"DATABASE_URL": bot_url})
    await set_up(desk)
    await open_ticket(desk, "alice", subject="Before the restart")

    assert await cut_connections(database.url, application) >= 1
    # While the server "restarts", every connection the bot makes is cut again at once.
    cutting = asyncio.create_task(keep_cutting(database.url, application))
    try:
        reply = await desk.member("bob").slash(
            "ticket create", subject="During the restart", message="Still there?"
        )
    finally:
        cutting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await cutting
    acknowledged = TRY_AGAIN not in reply.text
    if not acknowledged:
        assert reply.ephemeral, reply.text

    await open_ticket(desk, "admin", subject="After the restart")
    subjects = [s for (s,) in rows(desk, "SELECT subject FROM tickets ORDER BY id")]
    expected = ["Before the restart", "During the restart", "After the restart"]
    if not acknowledged:
        expected.remove("During the restart")
    assert subjects == expected
    assert desk.bot.starts == 1 and desk.bot.process.returncode is None
