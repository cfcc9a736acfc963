"""Ports for the staff tools: people added to tickets, close requests, support hours.

Kept small and plain so every backend (SQLite, PostgreSQL, the in-memory test store)
implements them the same way; each method says exactly what it must do.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from core.desk_tool_models import (
    CloseRequest,
    HoursRange,
    Participant,
    ParticipantKind,
    SupportHours,
)
from core.models import Department, Priority, Status, Ticket


class ParticipantReads(Protocol):
    async def of_ticket(self, ticket_id: int) -> list[Participant]:
        """Everyone (and every role) added to the ticket, oldest first."""
        ...

    async def is_member(self, ticket_id: int, user_id: int) -> bool:
        """Whether `user_id` was added to the ticket as a member (role entries don't count)."""
        ...

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
        """Like `TicketReads.page` with `owner_id=user_id`, plus the guild's tickets
        `user_id` was added to as a member: newest first, and the total matching."""
        ...


class ParticipantRepository(ParticipantReads, Protocol):
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
        """Record the entry; False (and nothing changed) when it is already there.
        Entries go with their ticket when it is deleted."""
        ...

    async def remove(self, ticket_id: int, kind: ParticipantKind, target_id: int) -> bool:
        """Delete the entry; False when there was none."""
        ...


class CloseRequestReads(Protocol):
    async def get(self, request_id: int) -> CloseRequest | None: ...

    async def of_ticket(self, ticket_id: int) -> CloseRequest | None:
        """The ticket's open close request (there is at most one)."""
        ...

    async def due(
        self, now: datetime, limit: int, *, guild_ids: Collection[int] | None = None
    ) -> list[CloseRequest]:
        """Requests with `due_at <= now`, earliest due first, at most `limit`; only of these
        guilds (the ones this process holds, core/shards.py), None: of every guild."""
        ...


class CloseRequestRepository(CloseRequestReads, Protocol):
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
        """A new request with a new id (never reused), no message yet. The ticket must have
        no request (delete the old one first). It goes with its ticket when deleted."""
        ...

    async def set_message(self, request_id: int, message_id: int) -> None: ...

    async def delete(self, request_id: int) -> bool:
        """Remove the request; False when it was already gone (answered or replaced)."""
        ...


class SupportHoursReads(Protocol):
    async def of(self, guild_id: int) -> SupportHours:
        """The guild's hours; `SupportHours(guild_id=…)` (no ranges) when none are set."""
        ...

    async def opened_outside(self, guild_id: int) -> int:
        """How many of the guild's tickets were marked as opened outside its hours."""
        ...


class SupportHoursRepository(SupportHoursReads, Protocol):
    async def replace(
        self, guild_id: int, timezone: str | None, ranges: Sequence[HoursRange], now: datetime
    ) -> None:
        """The guild's hours become exactly these, in this order (no ranges: none set)."""
        ...

    async def mark_opened_outside(self, ticket_id: int) -> None:
        """Flag the ticket as opened outside its guild's hours (a column of the ticket)."""
        ...
