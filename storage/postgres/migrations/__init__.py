"""Numbered SQL migrations for PostgreSQL (`NNNN_name.sql`), recorded in schema_migrations.

The same numbering as storage/sqlite/migrations, each file the same change in meaning.
Each file runs in its own transaction together with its row in schema_migrations, so a
failing migration leaves the database exactly as it was (DDL is transactional in
PostgreSQL) and start-up stops. Several processes starting at once (one per shard) queue
on one advisory lock, so each migration is applied exactly once.
"""

from __future__ import annotations

import logging
from pathlib import Path

import asyncpg

from storage.sqlite.migrations import discover

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent
# pg_advisory_xact_lock key that serialises migrations between processes ("tdmigrat").
MIGRATION_LOCK = 0x7464_6D69_6772_6174

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)"""
_VERSION = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"

__all__ = ["MIGRATIONS_DIR", "apply_migrations", "discover", "schema_version"]


async def schema_version(connection: asyncpg.Connection) -> int | None:
    """The newest migration applied, 0 for none; None if the ledger table is missing."""
    exists = await connection.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    return int(await connection.fetchval(_VERSION)) if exists else None


async def apply_migrations(connection: asyncpg.Connection, directory: Path = MIGRATIONS_DIR) -> int:
    """Apply pending migrations; return how many were applied. Raises RuntimeError naming
    the file that failed (it was rolled back)."""
    found = discover(directory)
    latest = found[-1][0] if found else 0
    if await schema_version(connection) == latest:
        return 0  # the usual start: one read, no lock
    applied = 0
    for number, path in found:
        async with connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await connection.execute(_CREATE_LEDGER)
            current = int(await connection.fetchval(_VERSION))
            if current > latest:
                raise RuntimeError(
                    f"the database has schema version {current}, newer than this code knows "
                    f"({latest}): run the matching (newer) version of the bot"
                )
            if number <= current:
                continue
            try:
                await connection.execute(path.read_text(encoding="utf-8"))
            except asyncpg.PostgresError as error:
                raise RuntimeError(
                    f"migration {path.name} failed and was rolled back: {error}"
                ) from error
            await connection.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                number,
                path.name,
            )
        log.info("applied migration %s", path.name)
        applied += 1
    return applied
