"""The database the bot under test runs on, and the auditor's look into it.

SQLite: a file in the test's folder (DATABASE_PATH). PostgreSQL: a fresh schema on the
tests' server (DATABASE_URL, tests/postgres_server.py). Tests read and, where they stage
a state the bot cannot make, write it through `rows`/`write` (tests/e2e/helpers.py) with
SQLite's `?` placeholders; on PostgreSQL they become `$1, $2, …`. Reads see committed
data only, as an outside auditor would.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any, Protocol, TypeVar

import asyncpg

from tests.postgres_server import PostgresServer

T = TypeVar("T")
BACKENDS = ("sqlite", "postgres")


class Database(Protocol):
    kind: str

    def bot_env(self) -> dict[str, str | None]: ...
    def rows(self, sql: str, params: tuple = ()) -> list[tuple]: ...
    def write(self, sql: str, params: tuple = ()) -> None: ...
    def open_store(self) -> contextlib.AbstractAsyncContextManager[Any]: ...
    def close(self) -> None: ...


class SqliteDatabase:
    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    def bot_env(self) -> dict[str, str | None]:
        return {"DATABASE_PATH": str(self.path)}

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as conn:
            return conn.execute(sql, params).fetchall()

    def write(self, sql: str, params: tuple = ()) -> None:
        with sqlite3.connect(self.path) as conn:
            conn.execute(sql, params)

    @contextlib.asynccontextmanager
    async def open_store(self) -> AsyncIterator[Any]:
        from storage.sqlite.store import SqliteStore

        store = await SqliteStore.open(self.path)
        try:
            yield store
        finally:
            await store.close()

    def close(self) -> None:
        pass


class PostgresDatabase:
    """asyncpg is async and the tests' reads are not: they run on a loop in a thread of
    its own (the test's loop keeps serving the fake Discord to the bot meanwhile), over
    one connection, opened again if the server dropped it (a restart test)."""

    kind = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._connection: asyncpg.Connection | None = None
        self._schema: contextlib.AbstractAsyncContextManager[str] | None = None

    @classmethod
    def on_fresh_schema(cls, server: PostgresServer) -> PostgresDatabase:
        """For synchronous fixtures: a fresh schema made on this object's own loop and
        dropped by `close()`."""
        database = cls("")
        database._schema = server.schema()
        database.url = database._run(database._schema.__aenter__())
        return database

    def bot_env(self) -> dict[str, str | None]:
        return {"DATABASE_URL": self.url}

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self._run(self._fetch(dollar_placeholders(sql), params))

    def write(self, sql: str, params: tuple = ()) -> None:
        self._run(self._fetch(dollar_placeholders(sql), params))

    @contextlib.asynccontextmanager
    async def open_store(self) -> AsyncIterator[Any]:
        from storage.postgres.store import PostgresStore

        store = await PostgresStore.open(self.url)
        try:
            yield store
        finally:
            await store.close()

    def close(self) -> None:
        if self._loop is None:
            return
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._run(self._connection.close(timeout=2))
        if self._schema is not None:
            self._run(self._schema.__aexit__(None, None, None))
            self._schema = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        self._loop.close()
        self._loop = None

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
            self._thread.start()
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    async def _fetch(self, sql: str, params: tuple) -> list[tuple]:
        for attempt in (1, 2):
            if self._connection is None or self._connection.is_closed():
                self._connection = await asyncpg.connect(self.url)
            try:
                return [tuple(row) for row in await self._connection.fetch(sql, *params)]
            except (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError):
                if attempt == 2:
                    raise
                with contextlib.suppress(Exception):
                    self._connection.terminate()
                self._connection = None
        raise AssertionError("unreachable")


def dollar_placeholders(sql: str) -> str:
    """SQLite's `?` placeholders as PostgreSQL's `$1, $2, …` (not inside '…' literals)."""
    out: list[str] = []
    number = 0
    quoted = False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "?" and not quoted:
            number += 1
            out.append(f"${number}")
        else:
            out.append(char)
    return "".join(out)
