"""Small helpers shared by the repositories: timestamps, row fetching, the base class."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from storage.sqlite.inline import InlineConnection
from storage.sqlite.read_connection import ReadConnection

# Reads run on the loop or aiosqlite's thread (read_connection.py); writes on the writer
# thread's inline face.
Connection = aiosqlite.Connection | InlineConnection | ReadConnection


def to_db_time(moment: datetime) -> str:
    # One fixed format in UTC so that text order is time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


# Each aiosqlite call is a hop to its thread (~0.1 ms); execute_fetchall runs the statement,
# reads every row and closes the cursor in one hop, where execute + fetch + close take three
# (and on the read side it is the call that may run on the loop without a hop).
# fetch_one is only used for statements that yield at most one row, so nothing extra is read.


async def fetch_one(conn: Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    rows = await conn.execute_fetchall(sql, params)
    return rows[0] if rows else None


async def fetch_all(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    return list(await conn.execute_fetchall(sql, params))


async def fetch_value(conn: Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    row = await fetch_one(conn, sql, params)
    return None if row is None else row[0]


class Repository:
    """A repository bound to one connection: the writer's inside a unit of work (see
    store.py), or the read connection for `store.reads`."""

    __slots__ = ("_conn",)

    def __init__(self, connection: Connection) -> None:
        self._conn = connection
