"""The staff tools in memory (core.ports.desk_tools): people added, close requests, hours."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from core.desk_tool_models import (
    CloseRequest,
    HoursRange,
    Participant,
    ParticipantKind,
    SupportHours,
)
from core.models import Department, Priority, Status, Ticket
from tests.fakes.store.data import MemoryRepository


class MemoryParticipants(MemoryRepository):
    async def of_ticket(self, ticket_id: int) -> list[Participant]:
        found = [p for p in self._data.participants.values() if p.ticket_id == ticket_id]
        return sorted(found, key=lambda p: (p.added_at, p.target_id))

    async def is_member(self, ticket_id: int, user_id: int) -> bool:
        return (ticket_id, ParticipantKind.MEMBER, user_id) in self._data.participants

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
        added = {
            p.ticket_id
            for key, p in self._data.participants.items()
            if key[1] is ParticipantKind.MEMBER and key[2] == user_id
        }
        wanted = {"status": status, "department": department, "priority": priority}
        found = [
            t
            for t in self._data.tickets.values()
            if t.guild_id == guild_id
            and (t.owner_id == user_id or t.id in added)
            and all(v is None or getattr(t, k) == v for k, v in wanted.items())
        ]
        found.sort(key=lambda t: -t.id)
        return found[offset : offset + limit], len(found)

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
        if ticket_id not in self._data.tickets:
            raise LookupError(f"ticket {ticket_id} does not exist")  # the foreign key
        key = (ticket_id, kind, target_id)
        if key in self._data.participants:
            return False
        self._data.participants[key] = Participant(
            ticket_id=ticket_id, kind=kind, target_id=target_id, added_by=added_by, added_at=now
        )
        return True

    async def remove(self, ticket_id: int, kind: ParticipantKind, target_id: int) -> bool:
        return self._data.participants.pop((ticket_id, kind, target_id), None) is not None


class MemoryCloseRequests(MemoryRepository):
    async def get(self, request_id: int) -> CloseRequest | None:
        return self._data.close_requests.get(request_id)

    async def of_ticket(self, ticket_id: int) -> CloseRequest | None:
        return next(
            (r for r in self._data.close_requests.values() if r.ticket_id == ticket_id), None
        )

    async def due(
        self, now: datetime, limit: int, *, guild_ids: Collection[int] | None = None
    ) -> list[CloseRequest]:
        due = [
            r
            for r in self._data.close_requests.values()
            if r.due_at <= now and (guild_ids is None or r.guild_id in guild_ids)
        ]
        return sorted(due, key=lambda r: (r.due_at, r.id))[:limit]

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
        if ticket_id not in self._data.tickets:
            raise LookupError(f"ticket {ticket_id} does not exist")  # the foreign key
        if await self.of_ticket(ticket_id) is not None:
            raise ValueError(f"ticket {ticket_id} already has a close request")  # UNIQUE
        request = CloseRequest(
            id=self._data.new_id("close_requests"),
            ticket_id=ticket_id,
            guild_id=guild_id,
            requested_by=requested_by,
            reason=reason,
            hours=hours,
            created_at=now,
            due_at=due_at,
            message_id=None,
        )
        self._data.close_requests[request.id] = request
        return request

    async def set_message(self, request_id: int, message_id: int) -> None:
        request = self._data.close_requests.get(request_id)
        if request is not None:
            updated = request.model_copy(update={"message_id": message_id})
            self._data.close_requests[request_id] = updated

    async def delete(self, request_id: int) -> bool:
        return self._data.close_requests.pop(request_id, None) is not None


class MemorySupportHours(MemoryRepository):
    async def of(self, guild_id: int) -> SupportHours:
        return self._data.hours.get(guild_id) or SupportHours(guild_id=guild_id)

    async def opened_outside(self, guild_id: int) -> int:
        return sum(g == guild_id for g in self._data.opened_outside.values())

    async def replace(
        self, guild_id: int, timezone: str | None, ranges: Sequence[HoursRange], now: datetime
    ) -> None:
        self._data.hours[guild_id] = SupportHours(
            guild_id=guild_id, timezone=timezone, ranges=tuple(ranges)
        )

    async def mark_opened_outside(self, ticket_id: int) -> None:
        ticket = self._data.tickets.get(ticket_id)
        if ticket is not None:
            self._data.opened_outside[ticket_id] = ticket.guild_id
