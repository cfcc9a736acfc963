"""The database layer: migrations, group commit, crash safety."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import aiosqlite
import pytest

from storage.sqlite.database import Database, MigrationError
from storage.sqlite.migrations import apply_migrations, discover

ROOT = Path(__file__).resolve().parents[2]


async def user_version(path: Path) -> int:
    async with aiosqlite.connect(path) as conn, conn.execute("PRAGMA user_version") as cursor:
        return (await cursor.fetchone())[0]


async def test_migrations_apply_once(tmp_path):
    path = tmp_path / "desk.db"
    db = await Database.open(path)
    await db.close()
    assert await user_version(path) == len(discover())
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        assert await apply_migrations(conn) == 0


async def test_pragmas_are_set(tmp_path):
    db = await Database.open(tmp_path / "desk.db")
    try:
        async with db.reader.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with db.reader.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1
        async with db.reader.execute("PRAGMA synchronous") as cursor:
            assert (await cursor.fetchone())[0] == 1  # NORMAL
    finally:
        await db.close()


async def test_failing_migration_rolls_back_and_stops(tmp_path):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_good.sql").write_text("CREATE TABLE a (x INTEGER);")
    (migrations / "0002_bad.sql").write_text(
        "CREATE TABLE b (x INTEGER);\nINSERT INTO missing VALUES (1);"
    )
    path = tmp_path / "desk.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        with pytest.raises(RuntimeError, match=r"0002_bad\.sql failed and was rolled back"):
            await apply_migrations(conn, migrations)
        async with conn.execute("SELECT name FROM sqlite_master WHERE type='table'") as cursor:
            tables = {row[0] for row in await cursor.fetchall()}
    assert tables == {"a"}
    assert await user_version(path) == 1


async def test_open_reports_migration_error(tmp_path):
    broken = tmp_path / "migrations"
    broken.mkdir()
    (broken / "0001_bad.sql").write_text("THIS IS NOT SQL;")
    with pytest.raises(MigrationError, match=r"0001_bad\.sql"):
        await Database.open(tmp_path / "desk.db", migrations_dir=broken)


async def test_a_failing_write_does_not_spoil_its_batch(tmp_path):
    db = await Database.open(tmp_path / "desk.db")
    try:
        await db.write(lambda c: c.execute("CREATE TABLE t (x INTEGER UNIQUE)"))

        def insert(value):
            return lambda c: c.execute("INSERT INTO t VALUES (?)", (value,))

        results = await asyncio.gather(
            db.write(insert(1)), db.write(insert(1)), db.write(insert(2)), return_exceptions=True
        )
        assert [isinstance(r, Exception) for r in results] == [False, True, False]
        async with db.reader.execute("SELECT x FROM t ORDER BY x") as cursor:
            assert [row[0] for row in await cursor.fetchall()] == [1, 2]
    finally:
        await db.close()


CRASHER = textwrap.dedent(
    """
    import asyncio, sys
    from storage.sqlite.database import Database

    async def main():
        db = await Database.open(sys.argv[1])
        for n in range(50):
            await db.write(lambda c, n=n: c.execute(
                "INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, 'x')", (n,)))
            print(n, flush=True)  # acknowledged to the caller
        await asyncio.sleep(60)  # killed here, never closing the database

    asyncio.run(main())
    """
)


def test_acknowledged_writes_survive_a_kill(tmp_path):
    path = tmp_path / "desk.db"
    process = subprocess.Popen(
        [sys.executable, "-c", CRASHER, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acknowledged = []
    assert process.stdout is not None
    for line in process.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) == 50:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()

    async def stored():
        db = await Database.open(path)
        try:
            async with db.reader.execute("SELECT guild_id FROM guild_settings") as cursor:
                return {row[0] for row in await cursor.fetchall()}
        finally:
            await db.close()

    assert set(acknowledged) <= asyncio.run(stored())


async def test_a_write_failing_after_changing_rows_is_undone_alone(tmp_path):
    db = await Database.open(tmp_path / "desk.db")
    runs: list[str] = []
    try:
        await db.write(lambda c: c.execute("CREATE TABLE t (x INTEGER UNIQUE)"))

        def insert(*values):
            async def work(c):
                runs.append("+".join(map(str, values)))
                for value in values:  # 3 then 1: the second insert fails after the first
                    await c.execute("INSERT INTO t VALUES (?)", (value,))
                return values

            return work

        results = await asyncio.gather(
            db.write(insert(1)), db.write(insert(3, 1)), db.write(insert(2)), return_exceptions=True
        )
        assert results[0] == (1,) and results[2] == (2,)
        assert isinstance(results[1], sqlite3.IntegrityError)
        async with db.reader.execute("SELECT x FROM t ORDER BY x") as cursor:
            assert [row[0] for row in await cursor.fetchall()] == [1, 2]  # no 3
        # The failure had changed a row: the batch stopped there and ran again from the
        # start with savepoints.
        assert runs == ["1", "3+1", "1", "3+1", "2"]
    finally:
        await db.close()


async def test_a_refusal_before_any_change_needs_no_second_run(tmp_path):
    db = await Database.open(tmp_path / "desk.db")
    runs: list[str] = []
    try:
        await db.write(lambda c: c.execute("CREATE TABLE t (x INTEGER)"))

        def insert(value):
            async def work(c):
                runs.append(str(value))
                if value < 0:
                    raise ValueError("refused before writing")
                await c.execute("INSERT INTO t VALUES (?)", (value,))

            return work

        results = await asyncio.gather(
            db.write(insert(1)), db.write(insert(-1)), db.write(insert(2)), return_exceptions=True
        )
        assert isinstance(results[1], ValueError)
        assert runs == ["1", "-1", "2"]
        async with db.reader.execute("SELECT x FROM t ORDER BY x") as cursor:
            assert [row[0] for row in await cursor.fetchall()] == [1, 2]
    finally:
        await db.close()
