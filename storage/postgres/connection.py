"""What a lost or refused connection looks like, and the pool as the read side's executor.

asyncpg reports a dead connection in many shapes (the server shutting down or restarting,
the socket closing, a refused reconnect). The store turns every one of them into
core.ports.StorageUnavailable, so the services and the front end never see a driver's
exception and a member is told to try again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from core.ports.store import StorageUnavailable

log = logging.getLogger(__name__)

# The connection is gone or the server can't take it: nothing in flight committed
# (except, possibly, a COMMIT whose answer never came; see store.py).
CONNECTION_LOST: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # class 08: connection failure, does not exist, ...
    asyncpg.exceptions.OperatorInterventionError,  # 57P0x: shutdown, restart, cancel
    asyncpg.InterfaceError,  # "connection is closed", "connection was closed in the middle"
    # The server's goodbye (FATAL 57P01) was read but the socket's close not yet: the
    # protocol waits for an answer that never comes and refuses the next statement.
    asyncpg.exceptions.InternalClientError,
    asyncpg.exceptions.TooManyConnectionsError,
    ConnectionError,
    OSError,
    TimeoutError,
)


def is_connection_lost(error: BaseException) -> bool:
    # A statement cancelled by the user's own statement_timeout is 57014 (QueryCanceled),
    # a subclass of OperatorInterventionError: that is a slow query, not a lost server.
    if isinstance(error, asyncpg.exceptions.QueryCanceledError):
        return False
    return isinstance(error, CONNECTION_LOST)


def discard_if_lost(connection: asyncpg.Connection, error: BaseException) -> None:
    """Close a connection `error` showed to be dead or confused, so the pool opens a fresh
    one instead of handing it out again."""
    if is_connection_lost(error) and not connection.is_closed():
        connection.terminate()


def masked(url: str) -> str:
    """The URL as it may be shown or logged: any password replaced by ***."""
    try:
        parts = urlsplit(url)
        if not parts.password and "password=" not in parts.query.lower():
            return url
        netloc = parts.netloc
        if "@" in netloc:
            credentials, host = netloc.rsplit("@", 1)
            if ":" in credentials:
                credentials = credentials.split(":", 1)[0] + ":***"
            netloc = f"{credentials}@{host}"
        query = [
            (key, "***" if key.lower() == "password" else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="/:*")))
    except ValueError:
        return "(an unreadable URL)"


class Executor(Protocol):
    """What the repositories run SQL on: a connection inside a unit of work, or the pool."""

    async def fetch(self, query: str, *args: Any) -> list[Any]: ...
    async def fetchrow(self, query: str, *args: Any) -> Any: ...
    async def fetchval(self, query: str, *args: Any) -> Any: ...
    async def execute(self, query: str, *args: Any) -> str: ...


class PoolReader:
    """The read side: each statement on any free pooled connection, committed data only.

    A statement that meets a dead connection is tried once more (the pool opens a fresh
    one; reads change nothing, so that is always safe), then StorageUnavailable."""

    __slots__ = ("_pool",)

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def fetch(self, query: str, *args: Any) -> list[Any]:
        return await self._run("fetch", query, args)

    async def fetchrow(self, query: str, *args: Any) -> Any:
        return await self._run("fetchrow", query, args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        return await self._run("fetchval", query, args)

    async def execute(self, query: str, *args: Any) -> str:
        return await self._run("execute", query, args)

    async def _run(self, method: str, query: str, args: tuple[Any, ...]) -> Any:
        for attempt in (1, 2):
            try:
                async with self._pool.acquire() as connection:
                    try:
                        return await getattr(connection, method)(query, *args)
                    except Exception as error:
                        discard_if_lost(connection, error)
                        raise
            except Exception as error:
                if not is_connection_lost(error):
                    raise
                if attempt == 2:
                    log.warning("a read failed twice on a lost connection: %s", error)
                    raise StorageUnavailable() from error
                await asyncio.sleep(0.05)
        raise AssertionError("unreachable")
