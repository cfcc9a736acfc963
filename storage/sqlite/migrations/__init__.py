"""Numbered SQL migrations (`NNNN_name.sql`) applied above `PRAGMA user_version`.

Each file runs in its own transaction together with the version bump, so a failing
migration leaves the database exactly as it was and start-up stops.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def discover(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    found = []
    for path in directory.glob("*.sql"):
        match = _NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file name {path.name!r} is not NNNN_name.sql")
        found.append((int(match.group(1)), path))
    found.sort()
    numbers = [number for number, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"migrations must be numbered 1..N without gaps, found {numbers}")
    return found


def split_statements(script: str) -> list[str]:
    """Split a script into statements; trigger bodies keep their inner semicolons."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and not current.strip().startswith("--"):
        statements.append(current.strip())
    return statements


async def apply_migrations(
    connection: aiosqlite.Connection, directory: Path = MIGRATIONS_DIR
) -> int:
    """Apply pending migrations; return how many were applied."""
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    current = int(row[0]) if row else 0
    applied = 0
    for number, path in discover(directory):
        if number <= current:
            continue
        await connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(path.read_text(encoding="utf-8")):
                await connection.execute(statement)
            await connection.execute(f"PRAGMA user_version = {number}")
            await connection.execute("COMMIT")
        except Exception as error:
            await connection.execute("ROLLBACK")
            raise RuntimeError(
                f"migration {path.name} failed and was rolled back: {error}"
            ) from error
        log.info("applied migration %s", path.name)
        applied += 1
    return applied
