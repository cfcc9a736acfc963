"""The Discord side of closes still to do (table close_work): SQL in, CloseWork out
(core.ports.CloseWorkRepository)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from core.models import CloseWork
from storage.sqlite.held_guilds import held_guilds
from storage.sqlite.rows import Repository, fetch_all, fetch_one, from_db_time, to_db_time


def _work(row: Any) -> CloseWork:
    return CloseWork(
        ticket_id=row["ticket_id"],
        done=row["done"],
        attempts=row["attempts"],
        due_at=from_db_time(row["due_at"]),
    )


def _of_held_guilds(guild_ids: Collection[int] | None) -> tuple[str, dict[str, str]]:
    """close_work rows whose ticket belongs to one of `guild_ids` (None: any)."""
    held, params = held_guilds("guild_id", guild_ids)
    if guild_ids is None:
        return held, params
    return f"ticket_id IN (SELECT id FROM tickets WHERE {held})", params


class SqliteCloseWork(Repository):
    """core.ports.CloseWorkRepository (and CloseWorkReads, on the read connection)."""

    async def add(self, ticket_id: int, due_at: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO close_work (ticket_id, done, attempts, due_at) VALUES (?, 0, 1, ?)"
            " ON CONFLICT (ticket_id) DO UPDATE SET done = 0, attempts = 1,"
            " due_at = excluded.due_at, last_error = NULL",
            (ticket_id, to_db_time(due_at)),
        )

    async def cancel(self, ticket_id: int) -> None:
        await self._conn.execute("DELETE FROM close_work WHERE ticket_id = ?", (ticket_id,))

    async def get(self, ticket_id: int) -> CloseWork | None:
        row = await fetch_one(
            self._conn, "SELECT * FROM close_work WHERE ticket_id = ?", (ticket_id,)
        )
        return None if row is None else _work(row)

    async def any_due(self, now: datetime, *, guild_ids: Collection[int] | None = None) -> bool:
        held, params = _of_held_guilds(guild_ids)
        row = await fetch_one(
            self._conn,
            f"SELECT 1 FROM close_work WHERE due_at <= :now AND {held} LIMIT 1",
            {"now": to_db_time(now), **params},
        )
        return row is not None

    async def claim_due(
        self,
        now: datetime,
        lease_until: datetime,
        limit: int,
        *,
        guild_ids: Collection[int] | None = None,
    ) -> list[CloseWork]:
        held, params = _of_held_guilds(guild_ids)
        rows = await fetch_all(
            self._conn,
            "UPDATE close_work SET due_at = :lease, attempts = attempts + 1 WHERE ticket_id IN"
            f" (SELECT ticket_id FROM close_work WHERE due_at <= :now AND {held}"
            " ORDER BY due_at LIMIT :limit) RETURNING *",
            {"lease": to_db_time(lease_until), "now": to_db_time(now), "limit": limit, **params},
        )
        return sorted((_work(row) for row in rows), key=lambda work: work.ticket_id)

    async def mark_done(self, ticket_id: int, part: int, every: int) -> bool:
        row = await fetch_one(
            self._conn,
            "UPDATE close_work SET done = done | ? WHERE ticket_id = ? RETURNING done",
            (part, ticket_id),
        )
        if row is None:
            return False
        if row[0] & every == every:
            await self.cancel(ticket_id)
        return True

    async def retry_at(self, ticket_id: int, due_at: datetime, error: str) -> None:
        await self._conn.execute(
            "UPDATE close_work SET due_at = ?, last_error = ? WHERE ticket_id = ?",
            (to_db_time(due_at), error[:500], ticket_id),
        )
