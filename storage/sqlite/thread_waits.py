"""Tickets waiting for their Discord thread (migration 0007), on SQLite.

A ticket is stored first and its thread attached after; until then it waits, due for an
attempt at `thread_retry_at`. Taking one for an attempt is one UPDATE … RETURNING, which
runs in the single writer's transaction, so two callers never take the same ticket.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime

from core.models import Ticket
from storage.sqlite.rows import Repository, fetch_all, fetch_one, to_db_time
from storage.sqlite.ticket_rows import ticket_from_row

# The guilds come as one JSON array parameter, so any number of them is one statement.
_WAITING = "thread_id IS NULL AND status != 'closed'"
_IN_GUILDS = "guild_id IN (SELECT value FROM json_each(:guilds))"


class SqliteThreadWaits(Repository):
    """The waiting-for-a-thread part of core.ports.TicketRepository."""

    async def any_waiting_due(self, guild_ids: Collection[int], now: datetime) -> bool:
        row = await fetch_one(
            self._conn,
            f"SELECT 1 FROM tickets WHERE {_WAITING} AND thread_retry_at <= :now"
            f" AND {_IN_GUILDS} LIMIT 1",
            {"now": to_db_time(now), "guilds": json.dumps(list(guild_ids))},
        )
        return row is not None

    async def claim_waiting(
        self,
        guild_ids: Collection[int],
        *,
        now: datetime,
        lease_until: datetime,
        limit: int,
        due_only: bool = True,
    ) -> list[Ticket]:
        due = "thread_retry_at <= :now" if due_only else "1"
        rows = await fetch_all(
            self._conn,
            "UPDATE tickets SET thread_attempts = thread_attempts + 1, thread_retry_at = :lease"
            f" WHERE id IN (SELECT id FROM tickets WHERE {_WAITING} AND {due} AND {_IN_GUILDS}"
            " ORDER BY thread_retry_at LIMIT :limit) RETURNING *",
            {
                "now": to_db_time(now),
                "lease": to_db_time(lease_until),
                "guilds": json.dumps(list(guild_ids)),
                "limit": limit,
            },
        )
        return sorted((ticket_from_row(row) for row in rows), key=lambda ticket: ticket.id)

    async def attach_thread(self, ticket_id: int, thread_id: int) -> Ticket | None:
        row = await fetch_one(
            self._conn,
            "UPDATE tickets SET thread_id = ?, thread_retry_at = NULL, thread_error = NULL"
            f" WHERE id = ? AND {_WAITING} RETURNING *",
            (thread_id, ticket_id),
        )
        return None if row is None else ticket_from_row(row)

    async def thread_failed(self, ticket_id: int, retry_at: datetime, error: str) -> Ticket | None:
        row = await fetch_one(
            self._conn,
            f"UPDATE tickets SET thread_retry_at = ?, thread_error = ? WHERE id = ? AND {_WAITING}"
            " RETURNING *",
            (to_db_time(retry_at), error[:500], ticket_id),
        )
        return None if row is None else ticket_from_row(row)

    async def delete_waiting(self, ticket_id: int) -> None:
        await self._conn.execute(
            "DELETE FROM tickets WHERE id = ? AND thread_id IS NULL", (ticket_id,)
        )
