"""Writes: tickets created through the service layer vs the same rows by plain sqlite3.

The baseline is the physical limit on this machine: one transaction per ticket (ticket +
opening reply), no rule checks, no thread hops, no models, same schema and pragmas.
The service side is the whole operation a member triggers with /ticket create: validation,
the flag/config/limit/cooldown reads inside the write, both inserts, group commit.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.desk import ticket_service
from bench.schema import bot_pragmas, connect_raw, create_schema, seed_guilds
from bench.stats import percentile
from core.models import Actor
from storage.sqlite.database import Database
from storage.sqlite.rows import to_db_time
from storage.sqlite.store import SqliteStore

GUILDS = [10**17 + n for n in range(10)]
MESSAGE = "It started smoking after the firmware update and now the tray is stuck. " * 3


@dataclass(frozen=True)
class Level:
    callers: int
    rate: float  # tickets per second
    p50: float  # seconds per create, as a caller sees it
    p99: float


@dataclass(frozen=True)
class WriteResult:
    raw_rate: float
    raw_p50: float
    raw_p99: float
    levels: list[Level]

    def ratio(self, level: Level) -> float:
        return level.rate / self.raw_rate


def ticket_fields(n: int) -> tuple[int, int, str]:
    # A distinct member per ticket, as in a burst of people each opening one ticket.
    return GUILDS[n % len(GUILDS)], 10**15 + n, f"Printer {n} is on fire"


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def _fresh(path: Path) -> None:
    remove_database(path)
    await create_schema(path)
    with closing(connect_raw(path, {})) as connection:
        seed_guilds(connection, GUILDS)


def _raw_run(path: Path, count: int, pragmas: dict[str, int]) -> tuple[float, list[float]]:
    connection = connect_raw(path, pragmas)
    latencies = []
    started = time.perf_counter()
    for n in range(count):
        begun = time.perf_counter()
        guild_id, owner_id, subject = ticket_fields(n)
        stamp = to_db_time(datetime.now(UTC))
        connection.execute("BEGIN IMMEDIATE")
        ticket_id = connection.execute(
            "INSERT INTO tickets (guild_id, owner_id, subject, message, status, priority,"
            " department, ai_active, created_at, updated_at, status_changed_at)"
            " VALUES (?, ?, ?, ?, 'open', 'medium', 'Technical Support', 0, ?, ?, ?)",
            (guild_id, owner_id, subject, MESSAGE, stamp, stamp, stamp),
        ).lastrowid
        connection.execute(
            "INSERT INTO replies (ticket_id, author_id, author_kind, body, attachments,"
            " message_id, created_at) VALUES (?, ?, 'member', ?, '[]', NULL, ?)",
            (ticket_id, owner_id, MESSAGE, stamp),
        )
        connection.execute("COMMIT")
        latencies.append(time.perf_counter() - begun)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, latencies


async def _service_run(path: Path, count: int, callers: int) -> tuple[float, list[float]]:
    store = await SqliteStore.open(path)
    tickets = ticket_service(store)
    numbers = iter(range(count))
    latencies: list[float] = []

    async def member() -> None:
        for n in numbers:  # shared iterator: callers take the next ticket as they free up
            guild_id, owner_id, subject = ticket_fields(n)
            actor = Actor(user_id=owner_id, guild_id=guild_id)
            begun = time.perf_counter()
            await tickets.create(actor, subject=subject, message=MESSAGE)
            latencies.append(time.perf_counter() - begun)

    try:
        started = time.perf_counter()
        await asyncio.gather(*(member() for _ in range(callers)))
        elapsed = time.perf_counter() - started
    finally:
        await store.close()
    return elapsed, latencies


async def _raw(path: Path, count: int, pragmas: dict[str, int]) -> tuple[float, list[float]]:
    await _fresh(path)
    return await asyncio.to_thread(_raw_run, path, count, pragmas)


async def measure_writes(workdir: Path, count: int, levels: tuple[int, ...]) -> WriteResult:
    path = workdir / "writes.db"
    await _fresh(path)
    database = await Database.open(path)
    pragmas = await bot_pragmas(database)
    await database.close()
    first = await _raw(path, count, pragmas)
    results = []
    for callers in levels:
        await _fresh(path)
        elapsed, latencies = await _service_run(path, count, callers)
        results.append(
            Level(callers, count / elapsed, percentile(latencies, 50), percentile(latencies, 99))
        )
    # The baseline runs before and after the service, and the faster run counts: a noisy
    # neighbour slowing one of them must not flatter the ratio.
    second = await _raw(path, count, pragmas)
    elapsed, raw_latencies = min(first, second, key=lambda run: run[0])
    return WriteResult(
        count / elapsed, percentile(raw_latencies, 50), percentile(raw_latencies, 99), results
    )
