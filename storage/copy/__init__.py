"""`python -m storage.copy --from tickets.db --to postgresql://…`: a SQLite desk moved to
PostgreSQL (SPEC §10), checked row for row.

The PostgreSQL schema is brought up to date first (the store's own migrations), the
target must hold no desk data yet, and every table is copied in dependency order inside
one transaction, keeping every id (so ticket numbers stay what members know), with the
identity sequences moved past the copied ids. Then each table is read back from both
sides in key order and compared row by row (counts, every value, a checksum for the
record), and the counters PostgreSQL's triggers rebuilt are checked against a fresh count.

The SQLite file is only read, inside one read transaction: a consistent snapshot even if
the bot is still running. Stop the bot first all the same, or what it writes meanwhile
stays behind in the file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg

from storage.copy.tables import DERIVED, IDENTITIES, Table, describe_tables
from storage.postgres.connection import masked
from storage.postgres.store import PostgresStore
from storage.sqlite.migrations import discover as sqlite_migrations

CHUNK = 5000


class CopyRefused(Exception):
    """Nothing was copied: the line says why and what to do."""


class CopyMismatch(Exception):
    """The copy does not match the SQLite file (the line names the table and row)."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=dict)


async def copy_desk(source: Path, url: str, say: Callable[[str], None] = print) -> CopyReport:
    """Copy and verify; raises CopyRefused, CopyMismatch, or the store's StorageUnavailable
    / MigrationError when PostgreSQL can't be used."""
    sqlite_file = _open_source(source)
    try:
        store = await PostgresStore.open(url, max_size=2)
        try:
            async with store.pool.acquire() as target:
                say(f"Copying {source} to {masked(url)}")
                try:
                    tables = await describe_tables(target, sqlite_file)
                except ValueError as error:
                    raise CopyRefused(f"The two schemas differ: {error}") from None
                await _refuse_unless_empty(target, tables, url)
                sqlite_file.execute("BEGIN")  # one snapshot for the copy and the check
                report = CopyReport()
                # Checked before COMMIT: a copy that differs is rolled back whole, and the
                # target is left as empty as it was.
                async with target.transaction():
                    for table in tables:
                        report.rows[table.name] = await _copy_table(sqlite_file, target, table)
                    report.next_ids = await _move_identities(sqlite_file, target)
                    for table in tables:
                        report.checksums[table.name] = await _verify(sqlite_file, target, table)
                        say(
                            f"  {table.name:<17} {report.rows[table.name]:>9,} rows copied and "
                            f"identical (sha256 {report.checksums[table.name][:12]})"
                        )
                    for name, (columns, recount) in DERIVED.items():
                        await _verify_counter(target, name, columns, recount)
                        say(f"  {name:<17} rebuilt by triggers; matches a fresh count")
                sqlite_file.execute("COMMIT")
        finally:
            await store.close()
    finally:
        sqlite_file.close()
    following = ", ".join(f"{name} #{value}" for name, value in report.next_ids.items())
    say(f"Next ids: {following}.")
    say(
        f"Done: {sum(report.rows.values()):,} rows in {len(report.rows)} tables, verified "
        f"row for row. Start the bot with DATABASE_URL={masked(url)}"
    )
    return report


def _open_source(source: Path) -> sqlite3.Connection:
    if not source.is_file():
        raise CopyRefused(f"{source} is not a file: give the desk's SQLite file with --from")
    latest = len(sqlite_migrations())
    try:
        connection = sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=ro", uri=True)
        connection.isolation_level = None  # transactions as this module says
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise CopyRefused(f"{source} is not a readable SQLite database ({error})") from None
    if version != latest:
        connection.close()
        raise CopyRefused(
            f"{source} has schema version {version}, this code's is {latest}: run the "
            "matching version of the bot on it once (with DATABASE_PATH), then copy again"
        )
    return connection


async def _refuse_unless_empty(target: asyncpg.Connection, tables: list[Table], url: str) -> None:
    holding = [
        table.name
        for table in tables
        if await target.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table.name})")
    ]
    if holding:
        raise CopyRefused(
            f"{masked(url)} already holds desk data (in {', '.join(holding)}): storage.copy "
            "only copies into an empty database. Create a new one (createdb), or empty this "
            "one yourself, then copy again"
        )


def _chunks(source: sqlite3.Connection, sql: str) -> Iterator[list[Any]]:
    cursor = source.execute(sql)
    while rows := cursor.fetchmany(CHUNK):
        yield rows


async def _copy_table(source: sqlite3.Connection, target: asyncpg.Connection, table: Table) -> int:
    copied = 0
    for rows in _chunks(source, table.select(postgres=False)):
        # COPY fires the row triggers too, so the counters are built as the rows go in.
        try:
            await target.copy_records_to_table(
                table.name, records=[table.convert(row) for row in rows], columns=table.columns
            )
        except (asyncpg.DataError, asyncpg.IntegrityConstraintViolationError) as error:
            # e.g. a NUL character, which SQLite stores and PostgreSQL text can't hold
            raise CopyRefused(
                f"PostgreSQL refused a row of {table.name} ({str(error).splitlines()[0]}); "
                "the copy was rolled back"
            ) from None
        copied += len(rows)
    return copied


async def _move_identities(
    source: sqlite3.Connection, target: asyncpg.Connection
) -> dict[str, int]:
    """Each identity continues after the highest id the desk ever gave out (SQLite's
    AUTOINCREMENT remembers deleted ones too, so a number is never given twice)."""
    following = {}
    for name in IDENTITIES:
        highest = source.execute(f"SELECT COALESCE(MAX(id), 0) FROM {name}").fetchone()[0]
        seen = source.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (name,)).fetchone()
        highest = max(highest, seen[0] if seen else 0)
        if highest:
            await target.execute(
                "SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", name, highest
            )
        following[name] = highest + 1
    return following


async def _verify(source: sqlite3.Connection, target: asyncpg.Connection, table: Table) -> str:
    """Both sides in key order, compared value by value; the checksum of what matched."""
    expected = (row for rows in _chunks(source, table.select(postgres=False)) for row in rows)
    digest = hashlib.sha256()
    async for record in target.cursor(table.select(postgres=True), prefetch=CHUNK):
        got = table.comparable(tuple(record))
        wanted = next(expected, None)
        if wanted is None:
            raise CopyMismatch(
                f"{table.name}: PostgreSQL has a row the SQLite file lacks: {got[:3]}"
            )
        if table.comparable(table.convert(wanted)) != got:
            raise CopyMismatch(f"{table.name}: the row with key {wanted[: len(table.key)]} differs")
        digest.update(repr(got).encode())
    if (missing := next(expected, None)) is not None:
        raise CopyMismatch(f"{table.name}: the row with key {missing[: len(table.key)]} is missing")
    return digest.hexdigest()


async def _verify_counter(
    target: asyncpg.Connection, name: str, columns: str, recount: str
) -> None:
    kept = {tuple(r) for r in await target.fetch(f"SELECT {columns} FROM {name} WHERE n <> 0")}
    counted = {tuple(r) for r in await target.fetch(recount)}
    if kept != counted:
        raise CopyMismatch(f"{name}: the counters do not match a fresh count of the rows")
