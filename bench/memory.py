"""Memory: RSS of the running bot once 1,000 guilds with 50 open tickets each are loaded.

"Loaded" means all of it: the bot started on a database holding those tickets, the fake
served the 1,000 guilds in READY and GUILD_CREATE (with each ticket's live private thread,
as Discord sends active threads), and the start-up catch-up over every live ticket thread
is done. One thread in a hundred got a member's message while the bot was down, so the
catch-up has real work. The baseline is the same bot idle in one guild with no tickets.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.schema import create_schema, seed_guilds
from bench.timed_fake import TimedFake
from storage.sqlite.rows import to_db_time
from tests.e2e.bot_process import BotProcess
from tests.fakes.discord.messages import add_thread_member, create_message
from tests.fakes.discord.rest_channels import _new_thread
from tests.fakes.discord.state import PRIVATE_THREAD, Guild

CATCH_UP_DONE = ("catch-up done", "caught up on")
LOADED_TIMEOUT = 900.0
MOVED_WHILE_DOWN = 0.01


@dataclass(frozen=True)
class MemoryResult:
    guilds: int
    tickets: int
    rss_mb: float  # after loading
    peak_mb: float  # VmHWM: the most it held at any moment, start-up included
    idle_rss_mb: float  # baseline: one guild, no tickets
    start_seconds: float  # bot start to catch-up done
    catch_up_requests: int  # REST requests sent while catching up


def _proc_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _open_ticket_threads(fake: TimedFake, guild: Guild, count: int, rng: random.Random) -> list:
    """Live private threads, each opened by the bot's message (stored as the first reply)."""
    state = fake.state
    parent = guild.channel_named("tickets")
    alice = int(state.member_named(guild, "alice")["user"]["id"])
    rows = []
    for n in range(count):
        body = {"type": PRIVATE_THREAD, "invitable": False, "auto_archive_duration": 10080}
        thread = _new_thread(state, parent, f"ticket-{n}", PRIVATE_THREAD, body)
        add_thread_member(state, thread, state.application_id)
        add_thread_member(state, thread, alice)
        opening = create_message(state, thread, state.application_id, {"content": "New ticket"})
        if rng.random() < MOVED_WHILE_DOWN:
            create_message(state, thread, alice, {"content": "Any news? It is still broken."})
        rows.append((guild.id, alice, int(thread["id"]), int(opening["id"])))
    return rows


def _write_database(path: Path, fake: TimedFake, rows: list[tuple[int, int, int, int]]) -> None:
    stamp = to_db_time(datetime.now(UTC))
    guilds = [fake.state.guilds[g] for g in fake.state.bot_guild_ids]
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        seed_guilds(
            connection,
            [g.id for g in guilds],
            ticket_channel={g.id: int(g.channel_named("tickets")["id"]) for g in guilds},
            staff_role={g.id: int(g.role_named("Staff")["id"]) for g in guilds},
        )
        connection.execute("BEGIN")
        for guild_id, owner, thread_id, opening_id in rows:
            ticket_id = connection.execute(
                "INSERT INTO tickets (guild_id, owner_id, subject, message, thread_id,"
                " created_at, updated_at, status_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    owner,
                    "Printer on fire",
                    "It is on fire.",
                    thread_id,
                    stamp,
                    stamp,
                    stamp,
                ),
            ).lastrowid
            connection.execute(
                "INSERT INTO replies (ticket_id, author_id, author_kind, body, message_id,"
                " created_at) VALUES (?, ?, 'member', 'It is on fire.', ?, ?)",
                (ticket_id, owner, opening_id, stamp),
            )
        connection.execute("COMMIT")


async def _wait_for_log(bot: BotProcess, needles: tuple[str, ...], within: float) -> None:
    async with asyncio.timeout(within):
        while not any(n in bot.stderr_tail(400) for n in needles):
            if bot.process is not None and bot.process.returncode is not None:
                raise RuntimeError("the bot exited:\n" + bot.stderr_tail())
            await asyncio.sleep(0.2)


async def _run_bot(workdir: Path, name: str, fake: TimedFake) -> tuple[BotProcess, float]:
    bot = BotProcess(fake, workdir / f"{name}.db", workdir / f"{name}-bot.log", {})
    started = time.monotonic()
    await bot.start()
    await _wait_for_log(bot, CATCH_UP_DONE, LOADED_TIMEOUT)
    return bot, time.monotonic() - started


async def _idle_rss(workdir: Path) -> float:
    fake = TimedFake(validate=False)
    await fake.start()
    await create_schema(workdir / "idle.db")
    bot = BotProcess(fake, workdir / "idle.db", workdir / "idle-bot.log", {})
    try:
        await bot.start()
        await _wait_for_log(bot, ("ready as",), 60)
        with contextlib.suppress(TimeoutError):  # older bots log nothing when there's nothing
            await _wait_for_log(bot, CATCH_UP_DONE, 5)
        assert bot.process is not None
        return _proc_kb(bot.process.pid, "VmRSS") / 1024
    finally:
        await bot.stop()
        await fake.stop()


async def measure_memory(workdir: Path, guilds: int, per_guild: int) -> MemoryResult:
    idle = await _idle_rss(workdir)
    rng = random.Random(5)
    fake = TimedFake(validate=False)  # 50,000 threads' requests: validation would be the fake's
    for n in range(guilds - 1):
        fake.state.bot_guild_ids.append(fake.state.build_guild(f"Server {n}").id)
    rows = []
    for guild_id in fake.state.bot_guild_ids:
        rows += _open_ticket_threads(fake, fake.state.guilds[guild_id], per_guild, rng)
    await create_schema(workdir / "loaded.db")
    await asyncio.to_thread(_write_database, workdir / "loaded.db", fake, rows)
    await fake.start()
    requests_before = len(fake.state.request_log)
    try:
        bot, seconds = await _run_bot(workdir, "loaded", fake)
        try:
            assert bot.process is not None
            pid = bot.process.pid
            return MemoryResult(
                guilds=guilds,
                tickets=len(rows),
                rss_mb=_proc_kb(pid, "VmRSS") / 1024,
                peak_mb=_proc_kb(pid, "VmHWM") / 1024,
                idle_rss_mb=idle,
                start_seconds=seconds,
                catch_up_requests=len(fake.state.request_log) - requests_before,
            )
        finally:
            await bot.stop()
    finally:
        await fake.stop()
