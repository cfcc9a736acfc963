"""PostgreSQL figures (issues 15 and 19): writes and reads through the services on the
PostgreSQL store, each beside plain asyncpg running the same SQL, in the same run."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.pg_dataset import ensure_pg_dataset
from bench.pg_reads import measure_pg_reads
from bench.pg_server import bench_postgres
from bench.pg_writes import PgWriteResult, measure_pg_writes
from bench.reads import ReadFigure
from bench.sizes import Sizes


@dataclass(frozen=True)
class PgResult:
    server: str  # version and durability, as measured
    writes: PgWriteResult
    reads: list[ReadFigure]
    loaded_seconds: float | None  # None: the loaded dataset was cached
    started_seconds: float  # server start (or connect), schema included


async def measure_pg(
    data_dir: Path, sqlite_file: Path, sizes: Sizes, step: Callable[[str], None]
) -> PgResult:
    started = time.perf_counter()
    async with bench_postgres(data_dir) as pg:
        ready = time.perf_counter() - started
        step(f"postgres: {pg.label}, ready in {ready:.1f} s")
        step(f"postgres writes: {sizes.pg_write_tickets} tickets per side and level")
        writes = await measure_pg_writes(pg, sizes.pg_write_tickets, sizes.write_callers)
        step(f"postgres reads: loading {sqlite_file.name} unless cached")
        url, loaded = await ensure_pg_dataset(pg, sqlite_file)
        step(f"postgres reads: loaded in {loaded:.0f} s" if loaded else "postgres reads: cached")
        reads = await measure_pg_reads(url, sqlite_file, sizes)
        return PgResult(pg.label, writes, reads, loaded, ready)
