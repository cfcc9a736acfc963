"""The SQL the PostgreSQL store sends, captured, and replayed on a plain asyncpg pool.

`RecordingConnection` is the pool's connection class during a capture pass (never while
timing): every statement a task runs while `recording` is set is kept with its arguments
and its result, BEGIN and COMMIT included (asyncpg's transactions send them with
`execute`), so a replay has the same transaction shape. Ids the database handed out in
the capture (an INSERT ... RETURNING id) are mapped to the ones the replay gets, so a
reply follows its own ticket.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg


@dataclass(frozen=True)
class Statement:
    method: str  # fetch, fetchrow, fetchval or execute: as the store called it
    query: str
    args: tuple[Any, ...]
    new_id: int | None  # the id an INSERT ... RETURNING handed out in the capture


_recording: contextvars.ContextVar[list[Statement] | None] = contextvars.ContextVar(
    "pg_statements", default=None
)


@contextlib.contextmanager
def recording() -> Iterator[list[Statement]]:
    """Statements the current task runs inside the block, in order."""
    statements: list[Statement] = []
    token = _recording.set(statements)
    try:
        yield statements
    finally:
        _recording.reset(token)


def _returned_id(query: str, result: Any) -> int | None:
    if not query.lstrip().upper().startswith("INSERT"):
        return None
    row = result[0] if isinstance(result, list) and len(result) == 1 else result
    # (`in` on a Record looks at its values, not its column names)
    if isinstance(row, asyncpg.Record) and "id" in row.keys():  # noqa: SIM118
        return row["id"]
    return None


class RecordingConnection(asyncpg.Connection):  # type: ignore[misc]
    async def _recorded(self, method: str, query: str, args: tuple[Any, ...], **kw: Any) -> Any:
        result = await getattr(super(), method)(query, *args, **kw)
        statements = _recording.get()
        if statements is not None:
            statements.append(Statement(method, query, args, _returned_id(query, result)))
        return result

    async def reset(self, *, timeout: float | None = None) -> None:  # noqa: ASYNC109 (asyncpg's)
        # The pool's clean-up on release (RESET ALL, ...): the plain pool does its own.
        token = _recording.set(None)
        try:
            await super().reset(timeout=timeout)
        finally:
            _recording.reset(token)

    async def fetch(self, query: str, *args: Any, **kw: Any) -> Any:
        return await self._recorded("fetch", query, args, **kw)

    async def fetchrow(self, query: str, *args: Any, **kw: Any) -> Any:
        return await self._recorded("fetchrow", query, args, **kw)

    async def fetchval(self, query: str, *args: Any, **kw: Any) -> Any:
        return await self._recorded("fetchval", query, args, **kw)

    async def execute(self, query: str, *args: Any, **kw: Any) -> Any:
        return await self._recorded("execute", query, args, **kw)


async def replay(connection: asyncpg.Connection, batch: list[Statement]) -> None:
    """One captured request's statements, in order, on a plain connection."""
    ids: dict[int, int] = {}
    for statement in batch:
        args = statement.args
        if ids:
            args = tuple(ids.get(a, a) if type(a) is int else a for a in args)
        if statement.method == "execute" and not args:
            result = await connection.execute(statement.query)
        else:
            result = await getattr(connection, statement.method)(statement.query, *args)
        if statement.new_id is not None:
            ids[statement.new_id] = _returned_id(statement.query, result)  # type: ignore[assignment]
