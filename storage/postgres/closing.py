"""The Discord side of closes still to do (table close_work) on PostgreSQL
(core.ports.CloseWorkRepository).

Several processes may sweep at once: `claim_due` takes the due rows with
FOR UPDATE SKIP LOCKED and moves their due time to the lease in the same statement, so a
row is claimed by one process only, and the others pass it by instead of waiting.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from core.models import CloseWork
from storage.postgres.held_guilds import guild_list
from storage.postgres.rows import Repository


def _work(row: Any) -> CloseWork:
    return CloseWork(
        ticket_id=row["ticket_id"],
        done=row["done"],
        attempts=row["attempts"],
        due_at=row["due_at"],
    )


def _of_held_guilds(parameter: int) -> str:
    """close_work rows whose ticket belongs to the guilds in `$parameter` (NULL: any)."""
    return (
        f"(${parameter}::bigint[] IS NULL OR ticket_id IN (SELECT id FROM tickets"
        f" WHERE guild_id = ANY(${parameter}::bigint[])))"
    )


class PgCloseWork(Repository):
    """core.ports.CloseWorkRepository (and CloseWorkReads, on the pool)."""

    async def add(self, ticket_id: int, due_at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO close_work (ticket_id, done, attempts, due_at) VALUES ($1, 0, 1, $2)"
            " ON CONFLICT (ticket_id) DO UPDATE SET done = 0, attempts = 1,"
            " due_at = excluded.due_at, last_error = NULL",
            ticket_id,
            due_at,
        )

    async def cancel(self, ticket_id: int) -> None:
        await self._db.execute("DELETE FROM close_work WHERE ticket_id = $1", ticket_id)

    async def get(self, ticket_id: int) -> CloseWork | None:
        row = await self._db.fetchrow(
            "SELECT * FROM close_work WHERE ticket_id = $1" + self._locking("FOR UPDATE"),
            ticket_id,
        )
        return None if row is None else _work(row)

    async def any_due(self, now: datetime, *, guild_ids: Collection[int] | None = None) -> bool:
        return bool(
            await self._db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM close_work WHERE due_at <= $1"
                f" AND {_of_held_guilds(2)})",
                now,
                guild_list(guild_ids),
            )
        )

    async def claim_due(
        self,
        now: datetime,
        lease_until: datetime,
        limit: int,
        *,
        guild_ids: Collection[int] | None = None,
    ) -> list[CloseWork]:
        rows = await self._db.fetch(
            "UPDATE close_work SET due_at = $2, attempts = attempts + 1 WHERE ticket_id IN"
            f" (SELECT ticket_id FROM close_work WHERE due_at <= $1 AND {_of_held_guilds(4)}"
            " ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING *",
            now,
            lease_until,
            limit,
            guild_list(guild_ids),
        )
        return sorted((_work(row) for row in rows), key=lambda work: work.ticket_id)

    async def mark_done(self, ticket_id: int, part: int, every: int) -> bool:
        # One UPDATE: two parts finishing at once both land (the second waits for the
        # first's row lock and ORs its bit into the newest value).
        done = await self._db.fetchval(
            "UPDATE close_work SET done = done | $2 WHERE ticket_id = $1 RETURNING done",
            ticket_id,
            int(part),
        )
        if done is None:
            return False
        if done & every == every:
            await self.cancel(ticket_id)
        return True

    async def retry_at(self, ticket_id: int, due_at: datetime, error: str) -> None:
        await self._db.execute(
            "UPDATE close_work SET due_at = $2, last_error = $3 WHERE ticket_id = $1",
            ticket_id,
            due_at,
            error[:500],
        )
