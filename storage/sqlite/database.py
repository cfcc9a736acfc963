"""One SQLite database: a write connection behind a group-commit queue, a read connection.

This is the connection layer under the SQLite store (store.py), which hands each write's
connection to the repositories as a unit of work.

Writes are serialised through a single writer task. Every write waiting at one moment is
committed in one transaction (group commit), each inside its own SAVEPOINT so a failing
write rolls back alone and its caller gets its own error. A write is acknowledged only
after its COMMIT, so durability is unchanged. Reads use other connections: under WAL
they never wait for the writer and always see committed data only. Small reads run on
the event loop itself and bigger ones on aiosqlite's thread (read_connection.py).

The writer is a thread of its own with a plain sqlite3 connection: a whole batch (BEGIN,
each write in its SAVEPOINT, COMMIT) runs there in one hop from the event loop, with the
writes' repositories on an aiosqlite-shaped face of that connection (inline.py). Through
aiosqlite each statement would be a hop of its own, and opening a ticket makes eight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from core.ports.store import MigrationError
from storage.sqlite.inline import InlineConnection, run_inline
from storage.sqlite.migrations import MIGRATIONS_DIR, apply_migrations
from storage.sqlite.read_connection import ReadConnection, connect_loop_reader

log = logging.getLogger(__name__)

T = TypeVar("T")
# A write: given the write connection, a coroutine that only talks to it (see inline.py).
WriteWork = Callable[[InlineConnection], Coroutine[Any, Any, T]]
Outcome = tuple[Any, BaseException | None]  # a write's result, or the error it raised

# Enough to batch a burst of members without starving the read side for long.
MAX_BATCH = 256
BUSY_TIMEOUT_MS = 5000


@dataclass
class _PendingWrite:
    work: WriteWork[Any]
    future: asyncio.Future[Any] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


async def _connect(path: Path) -> aiosqlite.Connection:
    connection = await aiosqlite.connect(path, isolation_level=None)
    connection.row_factory = aiosqlite.Row
    await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await connection.execute("PRAGMA foreign_keys = ON")
    await connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _connect_writer(path: Path) -> sqlite3.Connection:
    # Used by the writer thread only; created here, so the same-thread check is off.
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


__all__ = ["Database", "MigrationError"]


class Database:
    def __init__(self, path: Path, writer: sqlite3.Connection, reader: aiosqlite.Connection):
        self.path = path
        self._writer = writer
        self._inline = InlineConnection(writer)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._reader = reader
        self._reads = ReadConnection(connect_loop_reader(path), reader)
        self._queue: asyncio.Queue[_PendingWrite] = asyncio.Queue()
        self._writer_task: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def open(cls, path: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR) -> Database:
        path = Path(path)
        migrator = await _connect(path)
        try:
            await migrator.execute("PRAGMA journal_mode = WAL")
            try:
                await apply_migrations(migrator, migrations_dir)
            except Exception as error:
                raise MigrationError(str(error)) from error
        finally:
            await migrator.close()
        writer = _connect_writer(path)
        try:
            reader = await _connect(path)
        except BaseException:
            writer.close()
            raise
        database = cls(path, writer, reader)
        database._writer_task = asyncio.create_task(database._run_writer(), name="db-writer")
        return database

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._writer_task is not None:
            # Let queued writes finish: callers were promised an answer.
            await self._queue.join()
            self._writer_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer_task
        self._reads.close()
        await self._reader.close()
        await asyncio.get_running_loop().run_in_executor(self._thread, self._writer.close)
        self._thread.shutdown(wait=True)

    # -- writes ------------------------------------------------------------------------

    async def write(self, work: WriteWork[T]) -> T:
        """Run `work(connection)` inside a transaction; return its result after COMMIT."""
        if self._closed:
            raise RuntimeError("database is closed")
        pending = _PendingWrite(work)
        await self._queue.put(pending)
        return await pending.future

    async def _run_writer(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._commit_batch(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def _commit_batch(self, batch: list[_PendingWrite]) -> None:
        loop = asyncio.get_running_loop()
        works = [pending.work for pending in batch]
        outcomes = await loop.run_in_executor(self._thread, self._run_batch, works)
        for pending, (value, error) in zip(batch, outcomes, strict=True):
            if pending.future.done():  # the caller was cancelled
                continue
            if error is None:
                pending.future.set_result(value)
            else:
                pending.future.set_exception(error)

    def _run_batch(self, works: list[WriteWork[Any]]) -> list[Outcome]:
        """In the writer thread: the whole batch in one transaction; each write's result
        or error. A failing write is rolled back alone; a failing COMMIT fails them all.

        Savepoints would roll a failing write back alone, but they cost a quarter of the
        writer's time (every page a write touches first is copied to the statement
        journal; bench: create rate @100 4,300 -> 5,400/s without them). Almost every
        failing write is a refusal raised before it changed anything (a cap, a cooldown,
        a missing setup), which needs no rollback at all. So the batch first runs without
        savepoints; only when a write fails after changing rows is the transaction rolled
        back and the batch run again with one savepoint per write (the port allows a
        write to run more than once: core.ports.store)."""
        outcomes = self._run_in_one_transaction(works, savepoints=False)
        if outcomes is None:
            outcomes = self._run_in_one_transaction(works, savepoints=True)
        assert outcomes is not None  # with savepoints every failure is undone in place
        return outcomes

    def _run_in_one_transaction(
        self, works: list[WriteWork[Any]], *, savepoints: bool
    ) -> list[Outcome] | None:
        """Each write's outcome after COMMIT; None (rolled back) if, without savepoints,
        a write failed after changing rows."""
        writer = self._writer
        outcomes: list[Outcome] = []
        try:
            writer.execute("BEGIN IMMEDIATE")
            for number, work in enumerate(works):
                # Savepoints are left open (nested) rather than RELEASEd: ROLLBACK TO still
                # undoes exactly this write, since nothing runs after it inside its savepoint
                # yet, and COMMIT releases them all.
                savepoint = f"w{number}"
                if savepoints:
                    writer.execute(f"SAVEPOINT {savepoint}")
                # Counts rows changed by INSERT, UPDATE and DELETE, triggers' included; a
                # statement that fails is undone by SQLite itself and changes nothing.
                changes_before = writer.total_changes
                try:
                    value = run_inline(work(self._inline))
                except Exception as error:  # the caller gets it; the batch goes on
                    if savepoints:
                        writer.execute(f"ROLLBACK TO {savepoint}")
                    elif writer.total_changes != changes_before:
                        writer.execute("ROLLBACK")
                        return None
                    outcomes.append((None, error))
                else:
                    outcomes.append((value, None))
            writer.execute("COMMIT")
        except Exception as error:
            log.exception("write batch of %s failed; rolled back", len(works))
            if writer.in_transaction:
                writer.execute("ROLLBACK")
            return [(None, error) for _ in works]
        return outcomes

    # -- reads -------------------------------------------------------------------------

    @property
    def reader(self) -> aiosqlite.Connection:
        """The threaded read connection: committed data only, never blocked by the writer."""
        return self._reader

    @property
    def reads(self) -> ReadConnection:
        """What the read repositories use: small reads on the loop, the rest on `reader`."""
        return self._reads
