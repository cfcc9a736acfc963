"""An aiosqlite-shaped face on a plain sqlite3 connection, for code run in its own thread.

The repositories are written against aiosqlite's `await conn.execute(...)` and
`await conn.execute_fetchall(...)`. Inside the writer thread (database.py) they get this
instead: the same calls, done at once on the thread's sqlite3 connection. Nothing in
them ever suspends, so a whole unit of work runs to its end in one `send(None)`
(`run_inline`), and a batch of units costs one hop from the event loop, not one per
statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Coroutine, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class InlineCursor:
    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    """The subset of aiosqlite.Connection the repositories use, without the thread hop."""

    __slots__ = ("_conn",)

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    async def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()
    ) -> InlineCursor:
        return InlineCursor(self._conn.execute(sql, parameters))

    async def executemany(
        self, sql: str, parameters: Iterable[Sequence[Any] | dict[str, Any]]
    ) -> InlineCursor:
        return InlineCursor(self._conn.executemany(sql, parameters))

    async def execute_fetchall(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()
    ) -> list[Any]:
        return self._conn.execute(sql, parameters).fetchall()


class SuspendedWork(RuntimeError):
    """A unit of work awaited something other than the database (a read through the
    store, a sleep, the network): it must only talk to its repositories."""


def run_inline(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends to its end, here and now; its result."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise SuspendedWork("a unit of work waited on something outside the database")
