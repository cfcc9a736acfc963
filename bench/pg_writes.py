"""Writes on PostgreSQL: tickets created through the services vs the same SQL on plain asyncpg.

The service side is the one of bench/writes.py (TicketService.create, every rule read
inside the unit of work) on the real PostgreSQL store. The baseline is what the store
sent for the same tickets, captured once in an untimed pass (bench/pg_capture.py) and
replayed statement by statement, BEGIN to COMMIT, on a plain asyncpg pool of the store's
size, at the same number of concurrent callers. The ratio is then the cost of the store
and the services in Python (models, rule checks, the unit of work), not of PostgreSQL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from bench.desk import ticket_service
from bench.pg_capture import RecordingConnection, Statement, recording, replay
from bench.pg_server import BenchPostgres
from bench.stats import percentile
from bench.writes import GUILDS, MESSAGE, ticket_fields
from core.models import Actor
from storage.postgres.store import POOL_SIZE, PostgresStore

SCHEMA = "bench_writes"


@dataclass(frozen=True)
class PgLevel:
    callers: int
    rate: float  # tickets per second through the services
    p50: float
    p99: float
    raw_rate: float  # the same statements on plain asyncpg, same callers, same pool size
    raw_p50: float
    raw_p99: float

    @property
    def ratio(self) -> float:
        return self.rate / self.raw_rate


@dataclass(frozen=True)
class PgWriteResult:
    levels: list[PgLevel]
    statements: int  # per create, BEGIN and COMMIT included

    @property
    def top(self) -> PgLevel:
        return max(self.levels, key=lambda level: level.callers)


async def _reset(url: str) -> None:
    """Every table emptied (ids from 1 again) and the guilds set up, as bench/writes.py."""
    connection = await asyncpg.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename <> 'schema_migrations'"
        )
        names = ", ".join(f'"{row[0]}"' for row in tables)
        await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        now = datetime.now(UTC)
        await connection.executemany(
            "INSERT INTO guild_settings (guild_id, ticket_channel_id, staff_role_id, updated_at)"
            " VALUES ($1, $2, $3, $4)",
            [(g, g + 1, g + 2, now) for g in GUILDS],
        )
        await connection.execute("CHECKPOINT")  # no checkpoint of the last run inside this one
    finally:
        await connection.close()


async def _callers(count: int, callers: int, one: Callable[[int], Awaitable[None]]) -> tuple:
    numbers = iter(range(count))
    latencies: list[float] = []

    async def caller() -> None:
        for n in numbers:  # shared iterator: callers take the next ticket as they free up
            begun = time.perf_counter()
            await one(n)
            latencies.append(time.perf_counter() - begun)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    return count / (time.perf_counter() - started), latencies


def _service(store: PostgresStore) -> Callable[[int], Awaitable[None]]:
    tickets = ticket_service(store)

    async def create(n: int) -> None:
        guild_id, owner_id, subject = ticket_fields(n)
        await tickets.create(
            Actor(user_id=owner_id, guild_id=guild_id), subject=subject, message=MESSAGE
        )

    return create


async def _capture(url: str, count: int) -> list[list[Statement]]:
    await _reset(url)
    pool = await asyncpg.create_pool(url, max_size=POOL_SIZE, connection_class=RecordingConnection)
    create = _service(PostgresStore(pool))
    batches = []
    try:
        for n in range(count):
            with recording() as statements:
                await create(n)
            batches.append(statements)
    finally:
        await pool.close()
    return batches


async def _service_run(url: str, count: int, callers: int) -> tuple[float, list[float]]:
    await _reset(url)
    store = await PostgresStore.open(url)
    try:
        return await _callers(count, callers, _service(store))
    finally:
        await store.close()


async def _raw_run(url: str, batches: list[list[Statement]], callers: int) -> tuple:
    await _reset(url)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=POOL_SIZE)

    async def create(n: int) -> None:
        async with pool.acquire() as connection:
            await replay(connection, batches[n])

    try:
        return await _callers(len(batches), callers, create)
    finally:
        await pool.close()


async def measure_pg_writes(
    pg: BenchPostgres, count: int, levels: tuple[int, ...]
) -> PgWriteResult:
    url = await pg.fresh_schema(SCHEMA)
    try:
        batches = await _capture(url, count)
        results = []
        for callers in levels:
            raw = await _raw_run(url, batches, callers)
            rate, latencies = await _service_run(url, count, callers)
            if callers == max(levels):
                # As on SQLite, the baseline runs before and after and the faster counts:
                # a noisy neighbour slowing one of them must not flatter the ratio.
                raw = max(raw, await _raw_run(url, batches, callers), key=lambda run: run[0])
            results.append(
                PgLevel(
                    callers,
                    rate,
                    percentile(latencies, 50),
                    percentile(latencies, 99),
                    raw[0],
                    percentile(raw[1], 50),
                    percentile(raw[1], 99),
                )
            )
        return PgWriteResult(results, round(sum(map(len, batches)) / len(batches)))
    finally:
        await pg.drop_schema(SCHEMA)
