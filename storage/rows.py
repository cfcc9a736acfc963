"""Small helpers shared by the repositories: timestamps and row fetching."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import aiosqlite


def to_db_time(moment: datetime) -> str:
    # One fixed format in UTC so that text order is time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


async def fetch_one(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    async with conn.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def fetch_all(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


async def fetch_value(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    row = await fetch_one(conn, sql, params)
    return None if row is None else row[0]
