"""Tickets waiting for their Discord thread (migration 0007), on PostgreSQL.

A ticket is stored first and its thread attached after; until then it waits, due for an
attempt at `thread_retry_at`. Race-freedom, kept by PostgreSQL across processes:
- taking tickets for an attempt is one UPDATE over a sub-select `FOR UPDATE SKIP LOCKED`:
  two callers (two processes) never take the same ticket, and neither waits for the
  other's rows;
- attach / failed / delete are single conditional statements (`WHERE thread_id IS NULL
  AND status <> 'closed'`), which PostgreSQL checks again on the newest row version, so
  an attempt racing a close or another attach changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.models import Ticket
from storage.postgres.rows import Repository
from storage.postgres.ticket_rows import ticket_from_row

_WAITING = "thread_id IS NULL AND status <> 'closed'"


class PgThreadWaits(Repository):
    """The waiting-for-a-thread part of core.ports.TicketRepository."""

    async def any_waiting_due(self, guild_ids: Collection[int], now: datetime) -> bool:
        return bool(
            await self._db.fetchval(
                f"SELECT EXISTS (SELECT 1 FROM tickets WHERE {_WAITING}"
                " AND thread_retry_at <= $1 AND guild_id = ANY($2::bigint[]))",
                now,
                list(guild_ids),
            )
        )

    async def claim_waiting(
        self,
        guild_ids: Collection[int],
        *,
        now: datetime,
        lease_until: datetime,
        limit: int,
        due_only: bool = True,
    ) -> list[Ticket]:
        due = "thread_retry_at <= $1" if due_only else "$1::timestamptz IS NOT NULL"
        rows = await self._db.fetch(
            "UPDATE tickets SET thread_attempts = thread_attempts + 1, thread_retry_at = $2"
            f" WHERE id IN (SELECT id FROM tickets WHERE {_WAITING} AND {due}"
            " AND guild_id = ANY($3::bigint[]) ORDER BY thread_retry_at LIMIT $4"
            f" FOR UPDATE SKIP LOCKED) AND {_WAITING} RETURNING *",
            now,
            lease_until,
            list(guild_ids),
            limit,
        )
        return sorted((ticket_from_row(row) for row in rows), key=lambda ticket: ticket.id)

    async def attach_thread(self, ticket_id: int, thread_id: int) -> Ticket | None:
        row = await self._db.fetchrow(
            "UPDATE tickets SET thread_id = $2, thread_retry_at = NULL, thread_error = NULL"
            f" WHERE id = $1 AND {_WAITING} RETURNING *",
            ticket_id,
            thread_id,
        )
        return None if row is None else ticket_from_row(row)

    async def thread_failed(self, ticket_id: int, retry_at: datetime, error: str) -> Ticket | None:
        row = await self._db.fetchrow(
            "UPDATE tickets SET thread_retry_at = $2, thread_error = $3"
            f" WHERE id = $1 AND {_WAITING} RETURNING *",
            ticket_id,
            retry_at,
            error[:500],
        )
        return None if row is None else ticket_from_row(row)

    async def delete_waiting(self, ticket_id: int) -> None:
        await self._db.execute("DELETE FROM tickets WHERE id = $1 AND thread_id IS NULL", ticket_id)
