"""Tickets waiting for their thread, in memory (the waiting part of TicketRepository)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.models import Ticket
from tests.fakes.store.data import MemoryRepository


class MemoryThreadWaits(MemoryRepository):
    def _waiting(self, guild_ids: Collection[int]) -> list[Ticket]:
        wanted = set(guild_ids)
        return [
            t for t in self._data.tickets.values() if t.waiting_for_thread and t.guild_id in wanted
        ]

    def _replace(self, ticket: Ticket, **changes: object) -> Ticket:
        updated = ticket.model_copy(update=changes)
        self._data.tickets[ticket.id] = updated
        return updated

    async def any_waiting_due(self, guild_ids: Collection[int], now: datetime) -> bool:
        return any(
            t.thread_retry_at is not None and t.thread_retry_at <= now
            for t in self._waiting(guild_ids)
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
        due = [
            t
            for t in self._waiting(guild_ids)
            if not due_only or (t.thread_retry_at is not None and t.thread_retry_at <= now)
        ]
        due.sort(key=lambda t: (t.thread_retry_at or now, t.id))
        taken = [
            self._replace(t, thread_attempts=t.thread_attempts + 1, thread_retry_at=lease_until)
            for t in due[:limit]
        ]
        return sorted(taken, key=lambda t: t.id)

    async def attach_thread(self, ticket_id: int, thread_id: int) -> Ticket | None:
        ticket = self._data.tickets.get(ticket_id)
        if ticket is None or not ticket.waiting_for_thread:
            return None
        return self._replace(ticket, thread_id=thread_id, thread_retry_at=None, thread_error=None)

    async def thread_failed(self, ticket_id: int, retry_at: datetime, error: str) -> Ticket | None:
        ticket = self._data.tickets.get(ticket_id)
        if ticket is None or not ticket.waiting_for_thread:
            return None
        return self._replace(ticket, thread_retry_at=retry_at, thread_error=error[:500])

    async def delete_waiting(self, ticket_id: int) -> None:
        ticket = self._data.tickets.get(ticket_id)
        if ticket is not None and ticket.thread_id is None:
            self._data.delete_ticket(ticket_id)
