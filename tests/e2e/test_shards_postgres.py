"""Two bot processes, shards 0 and 1 of 2, sharing one PostgreSQL (SPEC §10, issue 15).

Each process gets only its shard's servers from Discord and does only their background
work; both write to one database. A sweep touches each ticket exactly once (one reminder,
one close, one transcript, one DM), identifies wait for each other across processes (the
fake allows one per 5 s: max_concurrency 1), and a process killed and restarted loses
nothing: what members wrote meanwhile is caught up, and its work waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.bot_process import BotProcess
from tests.e2e.helpers import open_ticket, set_up
from tests.e2e.shard_helpers import COUNT, shard_env, wait_identified
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.shards import join_guild_on_shard, shard_of

HOUR = 3600
REMINDED = 49 * HOUR
DUE = (49 + 25) * HOUR
REMINDER = "are you still there?"


async def pg_rows(url: str, sql: str, *args: Any) -> list[tuple]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await connection.fetch(sql, *args)]
    finally:
        await connection.close()


@pytest.fixture
async def processes(
    fake_discord: FakeDiscord, postgres_url: str, tmp_path: Path
) -> AsyncIterator[dict[int, BotProcess]]:
    """One bot process per shard, on one database, not started yet."""
    clock = tmp_path / "clock-offset"
    clock.write_text("0")
    fake_discord.state.sharding.max_concurrency = 1
    fake_discord.state.sharding.identify_window = 5.0
    bots = {}
    for shard in range(COUNT):
        env = shard_env(
            str(shard),
            DATABASE_URL=postgres_url,
            TEST_CLOCK_OFFSET_FILE=str(clock),
            SWEEP_INTERVAL_SECONDS="0.1",
        )
        log = tmp_path / f"shard-{shard}.log"
        bots[shard] = BotProcess(fake_discord, tmp_path / "unused.db", log, env)
    yield bots
    for bot in bots.values():
        await bot.stop()


def reminders(desk: Desk, thread) -> int:
    return len([m for m in desk.bot_messages(thread) if REMINDER in m.text])


async def ticket_id(url: str, thread) -> int:
    [(found,)] = await pg_rows(url, "SELECT id FROM tickets WHERE thread_id = $1", thread.id)
    return found


async def status(url: str, ticket: int) -> str:
    [(found,)] = await pg_rows(url, "SELECT status FROM tickets WHERE id = $1", ticket)
    return found


async def test_two_shard_processes_share_one_postgresql(
    fake_discord: FakeDiscord, processes: dict[int, BotProcess], postgres_url: str, tmp_path
) -> None:
    clock = tmp_path / "clock-offset"
    desk = Desk(fake_discord)
    home = shard_of(desk.guild_id, COUNT)
    other = desk.in_guild(join_guild_on_shard(desk, (1 - home, COUNT), "Other Shard"))
    servers = {home: desk, 1 - home: other}
    for shard in range(COUNT):
        await processes[shard].start()
    await wait_identified(desk, 0, 1)

    # Tickets in both servers, each served by its own process, in one database.
    threads = {}
    for shard, server in servers.items():
        await set_up(server)
        _, threads[shard] = await open_ticket(server, subject=f"Printer {shard}")
        await server.member("staff").say(threads[shard], "Does it work now?")
    tickets = {shard: await ticket_id(postgres_url, t) for shard, t in threads.items()}
    assert sorted(tickets.values()) == [1, 2]
    for ticket in tickets.values():
        await settled(desk, lambda t=ticket: _is(postgres_url, t, "pending"), "the staff answer")

    # Both processes sweep every 0.1 s; each ticket is reminded once, by its process.
    move_clock(fake_discord, clock, REMINDED)
    for shard, server in servers.items():
        await server.next_message(threads[shard], REMINDER)
    # A reminder is marked after it went out (so a crash in between sends it again, by
    # design): the kill below waits for the mark, or the restarted sweep may remind again
    # before the catch-up has stored the member's answer.
    for ticket in tickets.values():
        await settled(desk, lambda t=ticket: _reminded(postgres_url, t), "the reminder's mark")

    # Shard 1 - home's process dies; the member writes meanwhile; the other serves on.
    await processes[1 - home].kill()
    back = await other.member("alice").say(threads[1 - home], "Sorry, I was away: still broken")
    _, later = await open_ticket(desk, "bob", subject="Scanner")
    identifies = len(fake_discord.gateway.identifies)
    # The dead process's advisory lock died with it, so nothing in PostgreSQL spaces its
    # restart from its last IDENTIFY: the restart waits the bucket's window out, as the
    # README's systemd unit does (RestartSec=5).
    await wait_out_identify_window(fake_discord)
    await processes[1 - home].start()
    await wait_identified(desk, 1 - home, after=identifies)
    await settled(desk, lambda: _is(postgres_url, tickets[1 - home], "open"), "the catch-up")
    stored = "SELECT COUNT(*) FROM replies WHERE message_id = $1"
    assert await pg_rows(postgres_url, stored, back.id) == [(1,)]

    # The home ticket closes once: one closing line, one transcript, one DM.
    move_clock(fake_discord, clock, DUE)
    await desk.next_message(threads[home], "was closed automatically")
    await desk.next_message("logs", f"Ticket #{tickets[home]} was closed automatically")
    await desk.wait_for(lambda: [m for m in desk.dms("alice") if "was closed" in m.text])
    # A probe answered now is reminded a (bot's) day later: sweeps ran meanwhile in both.
    for shard, server in servers.items():
        _, probe = await open_ticket(server, "billing", subject=f"Probe {shard}")
        await server.member("staff").say(probe, "Over to you")
        threads[f"probe {shard}"] = probe
    # The staff answers are stored before the bot's time moves on (else one may be stamped
    # with the new time, or with none while the file is rewritten).
    for shard in servers:
        probe_id = await ticket_id(postgres_url, threads[f"probe {shard}"])
        await settled(desk, lambda t=probe_id: _is(postgres_url, t, "pending"), "the answer")
    move_clock(fake_discord, clock, DUE + REMINDED)
    for shard, server in servers.items():
        await server.next_message(threads[f"probe {shard}"], REMINDER)

    for shard, server in servers.items():
        assert reminders(server, threads[shard]) == 1
    assert await status(postgres_url, tickets[1 - home]) == "open"
    assert len([m for m in desk.messages(threads[home]) if "was closed" in m.text]) == 1
    assert len([m for m in desk.messages("logs") if "was closed automatically" in m.text]) == 1
    assert len([m for m in desk.dms("alice") if "was closed" in m.text]) == 1
    assert reminders(desk, later) == 0  # open: waiting on staff, never reminded
    per_guild = await pg_rows(
        postgres_url, "SELECT guild_id, COUNT(*) FROM tickets GROUP BY guild_id ORDER BY 1"
    )
    assert per_guild == sorted([(desk.guild_id, 3), (other.guild_id, 2)])
    # Every close's Discord side finishes (its record goes once the last part is done).
    await settled(desk, lambda: _no_close_work(postgres_url), "the closes' Discord side")


def move_clock(fake: FakeDiscord, clock: Path, seconds: int) -> None:
    """The bots' clock offset, replaced in one step: a bot never reads a half-written file.

    Discord's clock moves with it: a message posted afterwards is stamped with the bots'
    time (the desk dates a reply by its message), or an answer given at the new time would
    look days old and a sweep between it and the next move would remind it at once.
    """
    fake.state.ids.offset_seconds = seconds
    staged = clock.with_suffix(".new")
    staged.write_text(str(seconds))
    os.replace(staged, clock)


async def wait_out_identify_window(fake: FakeDiscord) -> None:
    sharding = fake.state.sharding
    last = max(then for then, _ in sharding.identifies)
    await asyncio.sleep(max(0.0, last + sharding.identify_window + 0.2 - time.monotonic()))


async def _no_close_work(url: str) -> bool:
    return await pg_rows(url, "SELECT COUNT(*) FROM close_work") == [(0,)]


async def _reminded(url: str, ticket: int) -> bool:
    sql = "SELECT reminded_at IS NOT NULL FROM tickets WHERE id = $1"
    return await pg_rows(url, sql, ticket) == [(True,)]


async def _is(url: str, ticket: int, wanted: str) -> bool:
    return await status(url, ticket) == wanted


async def settled(desk: Desk, condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Until the database says so (it notifies nobody: asked again at each change of the
    fake, or every 50 ms)."""
    try:
        async with asyncio.timeout(10):
            while not await condition():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.05):
                        await desk.state.changed()
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None
