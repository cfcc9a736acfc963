"""Shards: 10,000 guilds over 4 shard processes (issue 15), printed, never asserted.

One fake Discord serves every guild, routed by shard; four bot processes, SHARD_IDS=i of
SHARD_COUNT=4, start at once, as a deploy starts one unit per shard. Each process runs on
its own copy of one SQLite database holding every guild's tickets: SQLite serves one
process per file, so sharing one database (and its contention) is PostgreSQL's to
measure. What this does measure holds for either: the memory of a process holding a
quarter of the guilds, its start to caught up (READY, 2,500 GUILD_CREATEs with their live
threads, the catch-up over its own live tickets), and the sweep's queries when they must
pick one shard's tickets out of everybody's, beside one process sweeping them all.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sqlite3
import statistics
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.memory import _open_ticket_threads, _proc_kb, _wait_for_log, _write_database
from bench.schema import create_schema
from bench.timed_fake import TimedFake
from core.clock import SystemClock
from core.closing import CloseService
from core.guilds import GuildService
from core.shards import ShardSet
from core.tickets import TicketService
from core.upkeep import InactivityService
from storage.sqlite.rows import to_db_time
from storage.sqlite.store import SqliteStore
from tests.e2e.bot_process import BotProcess

LOADED_TIMEOUT = 1800.0
SWEEP_SAMPLES = 15
QUIET_SHARE = 0.02  # tickets whose member went quiet days ago: due for a reminder


@dataclass(frozen=True)
class ShardProcess:
    shard: int
    guilds: int  # guilds of its shard
    live_tickets: int  # of those guilds
    start_seconds: float  # process start to its catch-up done
    rss_mb: float
    peak_mb: float


@dataclass(frozen=True)
class ShardResult:
    guilds: int
    tickets: int
    processes: list[ShardProcess]
    sweep_shard_ms: float  # one shard's sweep queries (median over shards and samples)
    sweep_all_ms: float  # the same queries for every guild, as one process would run them


def _make_quiet(path: Path, share: float, rng: random.Random) -> None:
    """Some tickets wait on their member (staff answered days ago): due for a reminder."""
    stamp = to_db_time(datetime.now(UTC) - timedelta(days=3))
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM tickets")]
        quiet = [(stamp, i) for i in ids if rng.random() < share]
        connection.execute("BEGIN")
        connection.executemany(
            "UPDATE tickets SET status = 'pending', status_changed_at = ? WHERE id = ?", quiet
        )
        connection.execute("COMMIT")


async def _sweep_ms(path: Path, guild_ids: list[int] | None, every_guild: list[int]) -> float:
    """Median time of one sweep's queries (reminders, closes, unfinished closes, threads
    to make), for `guild_ids` (None: every guild), on a copy of the database."""
    store = await SqliteStore.open(path)
    try:
        clock = SystemClock()
        guilds = GuildService(store, clock)
        tickets = TicketService(store, guilds, clock)
        inactivity = InactivityService(store, tickets, clock)
        closes = CloseService(store, clock)
        samples = []
        for _ in range(SWEEP_SAMPLES):
            started = time.perf_counter()
            await inactivity.due_reminders(guild_ids=guild_ids)
            await inactivity.due_closes(guild_ids=guild_ids)
            await closes.claim_due(guild_ids=guild_ids)
            # The thread opener passes the guilds it is in: all of them, unsharded.
            await tickets.waiting_for_thread(guild_ids if guild_ids is not None else every_guild)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples) * 1000
    finally:
        await store.close()


async def _start(bot: BotProcess, shard: int) -> tuple[float, float, float]:
    started = time.monotonic()
    await bot.start()
    await _wait_for_log(bot, (f"failed (shard {shard})",), LOADED_TIMEOUT)  # catch-up done
    seconds = time.monotonic() - started
    assert bot.process is not None
    pid = bot.process.pid
    return seconds, _proc_kb(pid, "VmRSS") / 1024, _proc_kb(pid, "VmHWM") / 1024


async def measure_shards(workdir: Path, guilds: int, per_guild: int, processes: int) -> ShardResult:
    rng = random.Random(15)
    fake = TimedFake(validate=False)
    fake.state.sharding.max_concurrency = processes  # one bucket each: nobody waits
    for n in range(guilds - 1):
        fake.state.bot_guild_ids.append(fake.state.build_guild(f"Server {n}").id)
    rows = []
    for guild_id in fake.state.bot_guild_ids:
        rows += _open_ticket_threads(fake, fake.state.guilds[guild_id], per_guild, rng)
    source = workdir / "shards.db"
    await create_schema(source)
    await asyncio.to_thread(_write_database, source, fake, rows)
    await asyncio.to_thread(_make_quiet, source, QUIET_SHARE, rng)
    every_guild = list(fake.state.bot_guild_ids)
    held = [ShardSet(processes, (shard,)).held(every_guild) for shard in range(processes)]

    sweep_shard = statistics.median(
        [
            await _sweep_ms(_copy(source, workdir, f"sweep-{shard}"), held[shard], every_guild)
            for shard in range(processes)
        ]
    )
    sweep_all = await _sweep_ms(_copy(source, workdir, "sweep-all"), None, every_guild)

    bots = [
        BotProcess(
            fake,
            _copy(source, workdir, f"shard-{shard}"),
            workdir / f"shard-{shard}-bot.log",
            {"SHARD_COUNT": str(processes), "SHARD_IDS": str(shard)},
        )
        for shard in range(processes)
    ]
    await fake.start()
    try:
        started = await asyncio.gather(*(_start(bot, s) for s, bot in enumerate(bots)))
    finally:
        for bot in bots:
            await bot.stop()
        await fake.stop()
    return ShardResult(
        guilds=guilds,
        tickets=len(rows),
        processes=[
            ShardProcess(
                shard=shard,
                guilds=len(held[shard]),
                live_tickets=sum(1 for row in rows if row[0] in set(held[shard])),
                start_seconds=seconds,
                rss_mb=rss,
                peak_mb=peak,
            )
            for shard, (seconds, rss, peak) in enumerate(started)
        ],
        sweep_shard_ms=sweep_shard,
        sweep_all_ms=sweep_all,
    )


def _copy(source: Path, workdir: Path, name: str) -> Path:
    """A process's own database file: the same data (SQLite's WAL is checkpointed into
    the main file when the writer closes, so the file alone is the whole database)."""
    target = workdir / f"{name}.db"
    shutil.copyfile(source, target)
    return target
