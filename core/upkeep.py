"""Inactivity: remind members who went quiet, then close their tickets with "no reply".

Only tickets waiting on the member (`pending`) are touched; a ticket waiting for staff is
never auto-closed. All state lives in the database (reminded_at, status_changed_at), so a
restart in the middle changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.clock import Clock
from core.errors import DomainError
from core.models import Actor, Status, Ticket
from core.tickets import TicketService
from storage import lifecycle as repo
from storage.database import Database

NO_REPLY = "no reply"


@dataclass
class SweepResult:
    reminded: list[Ticket] = field(default_factory=list)
    closed: list[Ticket] = field(default_factory=list)


class InactivityService:
    def __init__(self, db: Database, tickets: TicketService, clock: Clock) -> None:
        self._db = db
        self._tickets = tickets
        self._clock = clock

    async def sweep(self) -> SweepResult:
        now = self._clock.now()
        result = SweepResult()
        for ticket in await repo.due_for_reminder(self._db.reader, now):
            marked = await self._db.write(
                lambda conn, t=ticket: repo.mark_reminded(conn, t.id, now)
            )
            if marked:  # False when a reply or another sweep got there first
                result.reminded.append(ticket)
        for ticket in await repo.due_for_close(self._db.reader, now):
            system = Actor(user_id=0, guild_id=ticket.guild_id, is_staff=True)
            try:
                closed = await self._tickets.close_if_pending(system, ticket.id, NO_REPLY)
            except DomainError:
                continue  # a reply or a close got there first
            if closed is not None and closed.status is Status.CLOSED:
                result.closed.append(closed)
        return result
