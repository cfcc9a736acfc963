"""The read side's connection: small reads on the event loop, the rest on a thread.

Every aiosqlite call is a hop to its thread and back (~0.1 ms, and on a busy machine the
wake-ups make the tail): a ticket view was four hops around 0.3 ms of SQL. Most reads
are a few keyed statements (a row by key, one page from an index, a counter), so
`execute_fetchall` first runs the statement right here, on a plain sqlite3 connection of
the event loop's thread, under a time budget; a statement that outgrows it (a
transcript, a sweep, a deep page) is interrupted and run again on the aiosqlite thread.

Why running on the loop is safe:
- WAL readers never wait for the writer, so a read here does not block on writes. The
  rare moment a reader would have to wait (the WAL being recovered or restarted) has a
  busy timeout of 0 here: SQLITE_BUSY at once, and the statement goes to the thread,
  whose connection waits as before.
- A progress handler checks the clock every PROGRESS_STEPS virtual-machine steps and
  interrupts the statement after INLINE_BUDGET_S, so no read holds the loop longer than
  that (plus one batch of steps). An interrupted read has changed nothing (this
  connection is query_only); running it again on the thread may see a newer commit,
  which `Store.reads` allows (committed data, possibly a moment old).
Everything else (`execute` with a cursor, pragmas, trace callbacks) goes to aiosqlite.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiosqlite

# Long enough for any keyed read of the bench at a million tickets (~0.1-0.3 ms of SQL),
# short enough that the event loop never notices one.
INLINE_BUDGET_S = 0.0005
PROGRESS_STEPS = 1000


def connect_loop_reader(path: Path) -> sqlite3.Connection:
    """The event loop's own read connection (same-thread check on: the loop's only)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA busy_timeout = 0")
    connection.execute("PRAGMA query_only = ON")
    return connection


class ReadConnection:
    """The subset of aiosqlite.Connection the read repositories use; see the module doc."""

    __slots__ = ("_deadline", "_loop", "_thread", "fallbacks")

    def __init__(self, loop_connection: sqlite3.Connection, thread: aiosqlite.Connection):
        self._loop = loop_connection
        self._thread = thread
        self._deadline = 0.0
        self.fallbacks = 0  # statements that went to the thread (for tests and curiosity)
        loop_connection.set_progress_handler(self._over_budget, PROGRESS_STEPS)

    def _over_budget(self) -> int:
        return 1 if time.perf_counter() > self._deadline else 0

    async def execute_fetchall(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()
    ) -> list[Any]:
        self._deadline = time.perf_counter() + INLINE_BUDGET_S
        try:
            return self._loop.execute(sql, parameters).fetchall()
        except sqlite3.OperationalError:
            # Interrupted (over budget) or busy; a real error in the SQL is raised again
            # by the thread's connection, so callers see the same errors as before.
            self.fallbacks += 1
            return list(await self._thread.execute_fetchall(sql, parameters))

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> Any:
        return self._thread.execute(sql, parameters)

    @property
    def in_transaction(self) -> bool:
        return self._thread.in_transaction

    def set_trace_callback(self, callback: Any) -> Any:
        """Both connections (the bench captures the SQL the services run); awaitable."""
        self._loop.set_trace_callback(callback)
        return self._thread.set_trace_callback(callback)

    def close(self) -> None:
        self._loop.close()
