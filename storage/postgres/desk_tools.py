"""Desk tools on PostgreSQL (core.ports.desk_tools): people added to tickets, close
requests, support hours (migration 0009).

Race-freedom, kept by PostgreSQL across processes:
- adding a person twice: the primary key and INSERT … ON CONFLICT DO NOTHING (the second
  add reports False, so it is announced once);
- one close request per ticket: the UNIQUE ticket_id; the service reads the ticket inside
  its unit of work, which locks the ticket row (FOR NO KEY UPDATE, storage/postgres/
  tickets.py), so two requests on one ticket run one after the other, and `of_ticket`
  locks the old request it replaces (FOR UPDATE);
- support hours: one row per guild, INSERT … ON CONFLICT DO UPDATE.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from core.desk_tool_models import (
    CloseRequest,
    HoursRange,
    Participant,
    ParticipantKind,
    SupportHours,
)
from core.models import Department, Priority, Status, Ticket
from storage.postgres.held_guilds import guild_list, held_guilds
from storage.postgres.rows import Repository, affected
from storage.postgres.ticket_rows import ticket_from_row
from storage.postgres.tickets import PgTickets


def _participant(row: Any) -> Participant:
    return Participant(
        ticket_id=row["ticket_id"],
        kind=ParticipantKind(row["kind"]),
        target_id=row["target_id"],
        added_by=row["added_by"],
        added_at=row["added_at"],
    )


class PgParticipants(Repository):
    """core.ports.ParticipantRepository (and ParticipantReads, on the pool)."""

    async def of_ticket(self, ticket_id: int) -> list[Participant]:
        rows = await self._db.fetch(
            "SELECT * FROM ticket_participants WHERE ticket_id = $1 ORDER BY added_at, target_id",
            ticket_id,
        )
        return [_participant(row) for row in rows]

    async def is_member(self, ticket_id: int, user_id: int) -> bool:
        return bool(
            await self._db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM ticket_participants WHERE ticket_id = $1"
                " AND kind = 'member' AND target_id = $2)",
                ticket_id,
                user_id,
            )
        )

    async def member_page(
        self,
        *,
        guild_id: int,
        user_id: int,
        status: Status | None,
        department: Department | None,
        priority: Priority | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Ticket], int]:
        filters = {"status": status, "department": department, "priority": priority}
        added = await self._db.fetchval(
            "SELECT EXISTS (SELECT 1 FROM ticket_participants WHERE guild_id = $1"
            " AND kind = 'member' AND target_id = $2)",
            guild_id,
            user_id,
        )
        if not added:  # the usual case: only their own tickets, straight from the index
            return await PgTickets(self._db, in_unit=self._in_unit).page(
                guild_id=guild_id, owner_id=user_id, offset=offset, limit=limit, **filters
            )
        where = [
            "guild_id = $1",
            "(owner_id = $2 OR id IN (SELECT ticket_id FROM ticket_participants"
            " WHERE guild_id = $1 AND kind = 'member' AND target_id = $2))",
        ]
        params: list[Any] = [guild_id, user_id]
        for column, value in filters.items():
            if value is not None:
                params.append(value)
                where.append(f"{column} = ${len(params)}")
        clause = " AND ".join(where)
        n = len(params)
        rows = await self._db.fetch(
            f"SELECT * FROM tickets WHERE {clause} ORDER BY id DESC LIMIT ${n + 1} OFFSET ${n + 2}",
            *params,
            limit,
            offset,
        )
        total = await self._db.fetchval(f"SELECT COUNT(*) FROM tickets WHERE {clause}", *params)
        return [ticket_from_row(row) for row in rows], int(total)

    async def add(
        self,
        *,
        ticket_id: int,
        guild_id: int,
        kind: ParticipantKind,
        target_id: int,
        added_by: int,
        now: datetime,
    ) -> bool:
        status = await self._db.execute(
            "INSERT INTO ticket_participants (ticket_id, guild_id, kind, target_id, added_by,"
            " added_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            ticket_id,
            guild_id,
            kind,
            target_id,
            added_by,
            now,
        )
        return affected(status) == 1

    async def remove(self, ticket_id: int, kind: ParticipantKind, target_id: int) -> bool:
        status = await self._db.execute(
            "DELETE FROM ticket_participants WHERE ticket_id = $1 AND kind = $2 AND target_id = $3",
            ticket_id,
            kind,
            target_id,
        )
        return affected(status) == 1


def _request(row: Any) -> CloseRequest:
    return CloseRequest(
        id=row["id"],
        ticket_id=row["ticket_id"],
        guild_id=row["guild_id"],
        requested_by=row["requested_by"],
        reason=row["reason"],
        hours=row["hours"],
        created_at=row["created_at"],
        due_at=row["due_at"],
        message_id=row["message_id"],
    )


class PgCloseRequests(Repository):
    """core.ports.CloseRequestRepository (and CloseRequestReads, on the pool)."""

    async def get(self, request_id: int) -> CloseRequest | None:
        row = await self._db.fetchrow(
            "SELECT * FROM close_requests WHERE id = $1" + self._locking("FOR UPDATE"),
            request_id,
        )
        return None if row is None else _request(row)

    async def of_ticket(self, ticket_id: int) -> CloseRequest | None:
        row = await self._db.fetchrow(
            "SELECT * FROM close_requests WHERE ticket_id = $1" + self._locking("FOR UPDATE"),
            ticket_id,
        )
        return None if row is None else _request(row)

    async def due(
        self, now: datetime, limit: int, *, guild_ids: Collection[int] | None = None
    ) -> list[CloseRequest]:
        rows = await self._db.fetch(
            f"SELECT * FROM close_requests WHERE due_at <= $1 AND {held_guilds('guild_id', 3)}"
            " ORDER BY due_at, id LIMIT $2",
            now,
            limit,
            guild_list(guild_ids),
        )
        return [_request(row) for row in rows]

    async def insert(
        self,
        *,
        ticket_id: int,
        guild_id: int,
        requested_by: int,
        reason: str | None,
        hours: int,
        now: datetime,
        due_at: datetime,
    ) -> CloseRequest:
        row = await self._db.fetchrow(
            "INSERT INTO close_requests (ticket_id, guild_id, requested_by, reason, hours,"
            " created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
            ticket_id,
            guild_id,
            requested_by,
            reason,
            hours,
            now,
            due_at,
        )
        return _request(row)

    async def set_message(self, request_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE close_requests SET message_id = $2 WHERE id = $1", request_id, message_id
        )

    async def delete(self, request_id: int) -> bool:
        status = await self._db.execute("DELETE FROM close_requests WHERE id = $1", request_id)
        return affected(status) == 1


def _days_mask(days: Sequence[int]) -> int:
    return sum(1 << day for day in set(days))


def _days(mask: int) -> tuple[int, ...]:
    return tuple(day for day in range(7) if mask & (1 << day))


class PgSupportHours(Repository):
    """core.ports.SupportHoursRepository (and SupportHoursReads, on the pool)."""

    async def of(self, guild_id: int) -> SupportHours:
        row = await self._db.fetchrow(
            "SELECT timezone, ranges FROM support_hours WHERE guild_id = $1", guild_id
        )
        if row is None:
            return SupportHours(guild_id=guild_id)
        ranges = tuple(
            HoursRange(days=_days(mask), start_minute=start, end_minute=end)
            for mask, start, end in json.loads(row["ranges"])
        )
        return SupportHours(guild_id=guild_id, timezone=row["timezone"], ranges=ranges)

    async def opened_outside(self, guild_id: int) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM tickets WHERE guild_id = $1 AND opened_outside_hours = 1",
                guild_id,
            )
        )

    async def replace(
        self, guild_id: int, timezone: str | None, ranges: Sequence[HoursRange], now: datetime
    ) -> None:
        encoded = json.dumps([[_days_mask(r.days), r.start_minute, r.end_minute] for r in ranges])
        await self._db.execute(
            "INSERT INTO support_hours (guild_id, timezone, ranges, updated_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id) DO UPDATE SET"
            " timezone = excluded.timezone, ranges = excluded.ranges,"
            " updated_at = excluded.updated_at",
            guild_id,
            timezone,
            encoded,
            now,
        )

    async def mark_opened_outside(self, ticket_id: int) -> None:
        await self._db.execute(
            "UPDATE tickets SET opened_outside_hours = 1 WHERE id = $1", ticket_id
        )
