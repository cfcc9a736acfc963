"""Read-only look at the database for `python bot.py --check`: is the path writable, is the
schema current, what did each server set up. Nothing here writes or migrates."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import aiosqlite

from core.models import GuildConfig
from storage.sqlite.guilds import SqliteGuilds
from storage.sqlite.migrations import discover


@dataclass(frozen=True)
class DatabaseHealth:
    ok: bool
    line: str
    # Guild settings can be read (the file exists with the current schema).
    readable: bool = False
    exists: bool = True


def inspect_database(path: Path) -> DatabaseHealth:
    directory = path.resolve().parent
    latest = len(discover())
    if not path.exists():
        if not os.access(directory, os.W_OK):
            return DatabaseHealth(
                False, f"{directory} is not writable: the bot cannot create {path}", exists=False
            )
        return DatabaseHealth(
            True, f"{path} does not exist yet; the bot creates it at start", exists=False
        )
    # SQLite writes its -wal and -shm files next to the database, so the folder counts too.
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(directory, os.W_OK):
        return DatabaseHealth(
            False, f"{path} or its folder is not writable by this user: fix the permissions"
        )
    try:
        with sqlite3.connect(_read_only(path), uri=True) as connection:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        return DatabaseHealth(False, f"{path} is not a readable SQLite database ({error})")
    if version > latest:
        return DatabaseHealth(
            False,
            f"{path} has schema version {version}, newer than this code knows ({latest}): "
            "run the matching (newer) version of the bot",
        )
    if version < latest:
        return DatabaseHealth(
            True,
            f"{path} has schema version {version}; migrations {version + 1}-{latest} are "
            "applied at the next start",
        )
    return DatabaseHealth(True, f"{path} is writable and its schema is current ({latest})", True)


async def read_configs(path: Path, guild_ids: list[int]) -> dict[int, GuildConfig]:
    """Each server's saved setup, from a read-only connection."""
    async with aiosqlite.connect(_read_only(path), uri=True) as connection:
        connection.row_factory = aiosqlite.Row
        guilds = SqliteGuilds(connection)
        return {guild_id: await guilds.config(guild_id) for guild_id in guild_ids}


def _read_only(path: Path) -> str:
    return f"file:{quote(str(path))}?mode=ro"
