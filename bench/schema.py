"""The real schema, the bot's pragmas on a plain sqlite3 connection, guild seeding."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from storage.sqlite.database import Database
from storage.sqlite.migrations import MIGRATIONS_DIR, discover
from storage.sqlite.rows import to_db_time

# Pragmas that shape speed; the raw baseline copies whatever the bot's connection uses.
SPEED_PRAGMAS = ("synchronous", "foreign_keys", "cache_size", "mmap_size", "temp_store")


def schema_fingerprint() -> str:
    """Changes whenever a migration is added or edited, so cached databases follow the schema."""
    digest = hashlib.sha256()
    for number, path in discover(MIGRATIONS_DIR):
        digest.update(f"{number}:{path.name}:".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


async def create_schema(path: Path) -> None:
    """An empty database exactly as the bot makes it (migrations, WAL)."""
    database = await Database.open(path)
    await database.close()


async def bot_pragmas(database: Database) -> dict[str, int]:
    values = {}
    for name in SPEED_PRAGMAS:
        async with database.reader.execute(f"PRAGMA {name}") as cursor:
            row = await cursor.fetchone()
        values[name] = int(row[0]) if row else 0
    return values


def connect_raw(path: Path, pragmas: dict[str, int]) -> sqlite3.Connection:
    """Plain sqlite3 with the bot's pragmas, in autocommit so BEGIN/COMMIT are explicit."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 5000")
    for name, value in pragmas.items():
        connection.execute(f"PRAGMA {name} = {value}")
    return connection


def seed_guilds(
    connection: sqlite3.Connection,
    guild_ids: list[int],
    *,
    ticket_channel: dict[int, int] | None = None,
    staff_role: dict[int, int] | None = None,
) -> None:
    """Guilds that have run /admin setup (the channel and role ids may be fake ones)."""
    stamp = to_db_time(datetime.now(UTC))
    rows = [
        (
            guild_id,
            (ticket_channel or {}).get(guild_id, guild_id + 1),
            (staff_role or {}).get(guild_id, guild_id + 2),
            stamp,
        )
        for guild_id in guild_ids
    ]
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO guild_settings (guild_id, ticket_channel_id, staff_role_id, updated_at)"
        " VALUES (?, ?, ?, ?)",
        rows,
    )
    connection.execute("COMMIT")
