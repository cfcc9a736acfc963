"""Desk tools on SQLite (core.ports.desk_tools): people added to tickets, close requests,
support hours (migration staff_tools_b)."""

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
from storage.sqlite.held_guilds import held_guilds
from storage.sqlite.rows import (
    Repository,
    fetch_all,
    fetch_one,
    fetch_value,
    from_db_time,
    to_db_time,
)
from storage.sqlite.tickets import SqliteTickets, ticket_from_row


def _participant(row: Any) -> Participant:
    return Participant(
        ticket_id=row["ticket_id"],
        kind=ParticipantKind(row["kind"]),
        target_id=row["target_id"],
        added_by=row["added_by"],
        added_at=from_db_time(row["added_at"]),
    )


class SqliteParticipants(Repository):
    """core.ports.ParticipantRepository (and ParticipantReads, on the read connection)."""

    async def of_ticket(self, ticket_id: int) -> list[Participant]:
        rows = await fetch_all(
            self._conn,
            "SELECT * FROM ticket_participants WHERE ticket_id = ? ORDER BY added_at, target_id",
            (ticket_id,),
        )
        return [_participant(row) for row in rows]

    async def is_member(self, ticket_id: int, user_id: int) -> bool:
        row = await fetch_one(
            self._conn,
            "SELECT 1 FROM ticket_participants WHERE ticket_id = ? AND kind = 'member'"
            " AND target_id = ?",
            (ticket_id, user_id),
        )
        return row is not None

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
        added = await fetch_one(
            self._conn,
            "SELECT 1 FROM ticket_participants WHERE guild_id = ? AND kind = 'member'"
            " AND target_id = ? LIMIT 1",
            (guild_id, user_id),
        )
        if added is None:  # the usual case: only their own tickets, straight from the index
            return await SqliteTickets(self._conn).page(
                guild_id=guild_id, owner_id=user_id, offset=offset, limit=limit, **filters
            )
        where = [
            "guild_id = :guild",
            "(owner_id = :user OR id IN (SELECT ticket_id FROM ticket_participants"
            " WHERE guild_id = :guild AND kind = 'member' AND target_id = :user))",
        ]
        params: dict[str, Any] = {"guild": guild_id, "user": user_id}
        for column, value in filters.items():
            if value is not None:
                where.append(f"{column} = :{column}")
                params[column] = value
        clause = " AND ".join(where)
        rows = await fetch_all(
            self._conn,
            f"SELECT * FROM tickets WHERE {clause} ORDER BY id DESC LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},
        )
        total = await fetch_value(
            self._conn, f"SELECT COUNT(*) FROM tickets WHERE {clause}", params
        )
        return [ticket_from_row(row) for row in rows], total

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
        cursor = await self._conn.execute(
            "INSERT INTO ticket_participants (ticket_id, guild_id, kind, target_id, added_by,"
            " added_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (ticket_id, guild_id, kind, target_id, added_by, to_db_time(now)),
        )
        return cursor.rowcount == 1

    async def remove(self, ticket_id: int, kind: ParticipantKind, target_id: int) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM ticket_participants WHERE ticket_id = ? AND kind = ? AND target_id = ?",
            (ticket_id, kind, target_id),
        )
        return cursor.rowcount == 1


def _request(row: Any) -> CloseRequest:
    return CloseRequest(
        id=row["id"],
        ticket_id=row["ticket_id"],
        guild_id=row["guild_id"],
        requested_by=row["requested_by"],
        reason=row["reason"],
        hours=row["hours"],
        created_at=from_db_time(row["created_at"]),
        due_at=from_db_time(row["due_at"]),
        message_id=row["message_id"],
    )


class SqliteCloseRequests(Repository):
    """core.ports.CloseRequestRepository (and CloseRequestReads, on the read connection)."""

    async def get(self, request_id: int) -> CloseRequest | None:
        row = await fetch_one(
            self._conn, "SELECT * FROM close_requests WHERE id = ?", (request_id,)
        )
        return None if row is None else _request(row)

    async def of_ticket(self, ticket_id: int) -> CloseRequest | None:
        row = await fetch_one(
            self._conn, "SELECT * FROM close_requests WHERE ticket_id = ?", (ticket_id,)
        )
        return None if row is None else _request(row)

    async def due(
        self, now: datetime, limit: int, *, guild_ids: Collection[int] | None = None
    ) -> list[CloseRequest]:
        held, params = held_guilds("guild_id", guild_ids)
        rows = await fetch_all(
            self._conn,
            f"SELECT * FROM close_requests WHERE due_at <= :now AND {held}"
            " ORDER BY due_at, id LIMIT :limit",
            {"now": to_db_time(now), "limit": limit, **params},
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
        row = await fetch_one(
            self._conn,
            "INSERT INTO close_requests (ticket_id, guild_id, requested_by, reason, hours,"
            " created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (ticket_id, guild_id, requested_by, reason, hours, to_db_time(now), to_db_time(due_at)),
        )
        return _request(row)

    async def set_message(self, request_id: int, message_id: int) -> None:
        await self._conn.execute(
            "UPDATE close_requests SET message_id = ? WHERE id = ?", (message_id, request_id)
        )

    async def delete(self, request_id: int) -> bool:
        cursor = await self._conn.execute("DELETE FROM close_requests WHERE id = ?", (request_id,))
        return cursor.rowcount == 1


def _days_mask(days: Sequence[int]) -> int:
    return sum(1 << day for day in set(days))


def _days(mask: int) -> tuple[int, ...]:
    return tuple(day for day in range(7) if mask & (1 << day))


class SqliteSupportHours(Repository):
    """core.ports.SupportHoursRepository (and SupportHoursReads, on the read connection)."""

    async def of(self, guild_id: int) -> SupportHours:
        row = await fetch_one(
            self._conn, "SELECT timezone, ranges FROM support_hours WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return SupportHours(guild_id=guild_id)
        ranges = tuple(
            HoursRange(days=_days(mask), start_minute=start, end_minute=end)
            for mask, start, end in json.loads(row["ranges"])
        )
        return SupportHours(guild_id=guild_id, timezone=row["timezone"], ranges=ranges)

    async def opened_outside(self, guild_id: int) -> int:
        return await fetch_value(
            self._conn,
            "SELECT COALESCE((SELECT n FROM outside_hours_counts WHERE guild_id = ?), 0)",
            (guild_id,),
        )  # kept by triggers (migration 0013): counting the index grew with the guild

    async def replace(
        self, guild_id: int, timezone: str | None, ranges: Sequence[HoursRange], now: datetime
    ) -> None:
        encoded = json.dumps([[_days_mask(r.days), r.start_minute, r.end_minute] for r in ranges])
        await self._conn.execute(
            "INSERT INTO support_hours (guild_id, timezone, ranges, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET timezone = excluded.timezone,"
            " ranges = excluded.ranges, updated_at = excluded.updated_at",
            (guild_id, timezone, encoded, to_db_time(now)),
        )

    async def mark_opened_outside(self, ticket_id: int) -> None:
        await self._conn.execute(
            "UPDATE tickets SET opened_outside_hours = 1 WHERE id = ?", (ticket_id,)
        )
