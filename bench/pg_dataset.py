"""The SQLite read dataset (bench/dataset.py) loaded into PostgreSQL, cached in a schema.

Whatever the SQLite file holds is copied, table by table and column by column, with COPY
in CSV (PostgreSQL parses SQLite's ISO timestamps, 0/1 booleans and JSON text itself, so
no value passes through a Python conversion). Secondary indexes are dropped for the load
and built after, and triggers are off (session_replication_role = replica, where the role
may set it): the counter tables come from the file as they are. Then ANALYZE, as
autovacuum would do soon after on a real desk.

The schema is named after the SQLite file and the PostgreSQL migrations, and loaded under
a temporary name renamed at the end, so an interrupted load is never read.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from bench.pg_server import BenchPostgres, in_schema, pg_schema_fingerprint
from storage.copy.tables import DERIVED, OWN_TABLES, SQLITE_READ_PATHS

PREFIX = "bench_reads_"
CHUNK_ROWS = 20_000
NULL = "\\N"
# Loaded with triggers off (fast): the counters come from SQLite's copies, but the
# histogram is rebuilt from the tickets with PostgreSQL's own bucket edges.
REBUILT = ("response_histogram",)
# Bookkeeping of each engine (and the bucket edges each migration fills), and SQLite-only
# read paths (PostgreSQL answers those reads from its own schema), are not copied.
SKIPPED = {"sqlite_stat1", "sqlite_stat4", *OWN_TABLES, *SQLITE_READ_PATHS, *REBUILT}


def schema_name(sqlite_file: Path) -> str:
    key = hashlib.sha256(f"{sqlite_file.name}:{pg_schema_fingerprint()}".encode()).hexdigest()
    return PREFIX + key[:12]


async def ensure_pg_dataset(pg: BenchPostgres, sqlite_file: Path) -> tuple[str, float | None]:
    """A URL whose connections see the dataset; the load time if it was loaded now."""
    name = schema_name(sqlite_file)
    admin = await asyncpg.connect(pg.url)
    try:
        schemas = await admin.fetch(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", PREFIX + "%"
        )
        for row in schemas:  # older datasets or schemas, and interrupted loads
            if row[0] != name:
                await admin.execute(f'DROP SCHEMA "{row[0]}" CASCADE')
        if any(row[0] == name for row in schemas):
            return in_schema(pg.url, name), None
    finally:
        await admin.close()
    started = time.perf_counter()
    loading = name + "_loading"
    url = await pg.fresh_schema(loading)
    connection = await asyncpg.connect(url)
    try:
        await _load(connection, sqlite_file)
        await connection.execute(f'ALTER SCHEMA "{loading}" RENAME TO "{name}"')
    finally:
        await connection.close()
    return in_schema(pg.url, name), time.perf_counter() - started


async def _load(connection: asyncpg.Connection, sqlite_file: Path) -> None:
    # One thread at a time reads it: each chunk is made in a worker thread.
    source = sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True, check_same_thread=False)
    try:
        tables = [
            row[0]
            for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if row[0] not in SKIPPED and source.execute(f'SELECT 1 FROM "{row[0]}"').fetchone()
        ]
        try:
            await connection.execute("SET session_replication_role = replica")
        except asyncpg.InsufficientPrivilegeError as error:
            raise RuntimeError(
                "loading the read dataset needs a role that may set session_replication_role"
                f" (a superuser) on BENCH_DATABASE_URL: {error}"
            ) from None
        await connection.execute("SET maintenance_work_mem = '512MB'")
        indexes = await _drop_secondary_indexes(connection, tables)
        for table in tables:
            columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
            await connection.copy_to_table(
                table,
                source=_csv_chunks(source, table, columns),
                columns=columns,
                format="csv",
                null=NULL,
            )
        for definition in indexes:
            await connection.execute(definition)
        await connection.execute("RESET session_replication_role")
        for table in REBUILT:
            columns, recount = DERIVED[table]
            await connection.execute(f"INSERT INTO {table} ({columns}) {recount}")
        await _follow_identities(connection, tables)
        await connection.execute("ANALYZE")
    finally:
        source.close()


async def _drop_secondary_indexes(connection: asyncpg.Connection, tables: list[str]) -> list[str]:
    """Drops the indexes of `tables` no constraint owns; their definitions, to rebuild."""
    rows = await connection.fetch(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
        " WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        tables,
    )
    for row in rows:
        await connection.execute(f'DROP INDEX "{row[0]}"')
    return [row[1] for row in rows]


async def _follow_identities(connection: asyncpg.Connection, tables: list[str]) -> None:
    """Identity columns continue after the copied ids (a create after the load must work)."""
    rows = await connection.fetch(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"
        " AND table_name = ANY($1)",
        tables,
    )
    for table, column in rows:
        await connection.execute(
            f"SELECT setval(pg_get_serial_sequence($1, $2), MAX({column})) FROM {table}",
            table,
            column,
        )


async def _csv_chunks(
    source: sqlite3.Connection, table: str, columns: list[str]
) -> AsyncIterator[bytes]:
    """The table as CSV, made in a thread while the previous chunk is being sent."""
    cursor = source.execute(f'SELECT {", ".join(columns)} FROM "{table}"')

    def chunk() -> bytes:
        rows = cursor.fetchmany(CHUNK_ROWS)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows([NULL if v is None else v for v in row] for row in rows)
        return out.getvalue().encode()

    pending = asyncio.ensure_future(asyncio.to_thread(chunk))
    while data := await pending:
        pending = asyncio.ensure_future(asyncio.to_thread(chunk))
        yield data
