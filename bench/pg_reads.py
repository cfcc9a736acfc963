"""Reads at scale on PostgreSQL: the four reads of bench/reads.py through the services on
the PostgreSQL store, each paired with the very statements the store sent for the same
request (captured in an untimed pass, bench/pg_capture.py), replayed on one connection of
a plain asyncpg pool. The requests are bench/reads.py's, drawn with the same seed.
"""

from __future__ import annotations

import time
from pathlib import Path

import asyncpg

from bench.desk import ticket_service
from bench.pg_capture import RecordingConnection, Statement, recording, replay
from bench.reads import WARM_UP, ReadFigure, read_requests, time_calls
from bench.sizes import Sizes
from storage.postgres.store import POOL_SIZE, PostgresStore


async def _capture(url: str, sqlite_file: Path, sizes: Sizes) -> dict[str, list[list[Statement]]]:
    pool = await asyncpg.create_pool(url, max_size=POOL_SIZE, connection_class=RecordingConnection)
    try:
        captured = {}
        for name, calls in read_requests(
            ticket_service(PostgresStore(pool)), sqlite_file, sizes
        ).items():
            batches = []
            for call in calls:
                with recording() as statements:
                    await call()
                batches.append(statements)
            captured[name] = batches
        return captured
    finally:
        await pool.close()


async def _replay_each(pool: asyncpg.Pool, batches: list[list[Statement]]) -> list[float]:
    latencies = []
    for batch in batches:
        begun = time.perf_counter()
        async with pool.acquire() as connection:
            await replay(connection, batch)
        latencies.append(time.perf_counter() - begun)
    return latencies


async def measure_pg_reads(url: str, sqlite_file: Path, sizes: Sizes) -> list[ReadFigure]:
    captured = await _capture(url, sqlite_file, sizes)
    store = await PostgresStore.open(url)
    raw_pool = await asyncpg.create_pool(url, min_size=1, max_size=POOL_SIZE)
    try:
        figures = []
        requests = read_requests(ticket_service(store), sqlite_file, sizes)
        for name, calls in requests.items():
            await time_calls(calls[:WARM_UP])  # a running bot has its hot pages cached
            latencies = await time_calls(calls[WARM_UP:])
            await _replay_each(raw_pool, captured[name][:WARM_UP])
            raw = await _replay_each(raw_pool, captured[name][WARM_UP:])
            figures.append(ReadFigure.of(name, latencies, raw))
        return figures
    finally:
        await raw_pool.close()
        await store.close()
