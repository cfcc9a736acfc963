"""One SQLite database: a write connection behind a group-commit queue, a read connection.

This is the connection layer under the SQLite store (store.py), which hands each write's
connection to the repositories as a unit of work.

Writes are serialised through a single writer task. Every write waiting at one moment is
committed in one transaction (group commit), each inside its own SAVEPOINT so a failing
write rolls back alone and its caller gets its own error. A write is acknowledged only
after its COMMIT, so durability is unchanged. Reads use a second connection: under WAL
they never wait for the writer and always see committed data only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from core.ports.store import MigrationError
from storage.sqlite.migrations import MIGRATIONS_DIR, apply_migrations

log = logging.getLogger(__name__)

T = TypeVar("T")
WriteWork = Callable[[aiosqlite.Connection], Awaitable[T]]

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


__all__ = ["Database", "MigrationError"]


class Database:
    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        self.path = path
        self._writer = writer
        self._reader = reader
        self._queue: asyncio.Queue[_PendingWrite] = asyncio.Queue()
        self._writer_task: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def open(cls, path: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR) -> Database:
        path = Path(path)
        writer = await _connect(path)
        try:
            await writer.execute("PRAGMA journal_mode = WAL")
            try:
                await apply_migrations(writer, migrations_dir)
            except Exception as error:
                raise MigrationError(str(error)) from error
            reader = await _connect(path)
        except BaseException:
            await writer.close()
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
        await self._reader.close()
        await self._writer.close()

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
        results: list[tuple[_PendingWrite, Any, BaseException | None]] = []
        try:
            await self._writer.execute("BEGIN IMMEDIATE")
            for number, pending in enumerate(batch):
                # Savepoints are left open (nested) rather than RELEASEd: ROLLBACK TO still
                # undoes exactly this write, since nothing runs after it inside its savepoint
                # yet, and COMMIT releases them all. That saves a hop to the thread per write.
                savepoint = f"w{number}"
                await self._writer.execute(f"SAVEPOINT {savepoint}")
                try:
                    value = await pending.work(self._writer)
                except Exception as error:  # the caller gets it; the batch goes on
                    await self._writer.execute(f"ROLLBACK TO {savepoint}")
                    results.append((pending, None, error))
                else:
                    results.append((pending, value, None))
            await self._writer.execute("COMMIT")
        except Exception as error:
            log.exception("write batch of %s failed; rolled back", len(batch))
            if self._writer.in_transaction:
                await self._writer.execute("ROLLBACK")
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(error)
            return
        for pending, value, error in results:
            if pending.future.done():  # the caller was cancelled
                continue
            if error is None:
                pending.future.set_result(value)
            else:
                pending.future.set_exception(error)

    # -- reads -------------------------------------------------------------------------

    @property
    def reader(self) -> aiosqlite.Connection:
        """The read connection: committed data only, never blocked by the writer."""
        return self._reader
