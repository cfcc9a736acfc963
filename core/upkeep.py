"""Inactivity: remind members who went quiet, then close their tickets with "no reply".

Only tickets waiting on the member (`pending`) are touched; a ticket waiting for staff is
never auto-closed. All state lives in the database (reminded_at, status_changed_at), so a
restart in the middle changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from core.clock import Clock
from core.errors import DomainError
from core.guilds import GuildService
from core.models import Actor, Status, Ticket
from core.tickets import TicketService
from storage import lifecycle as repo
from storage.database import Database

NO_REPLY = "no reply"
MIN_REMINDER = timedelta(hours=1)  # the smallest reminder an admin may set


@dataclass
class SweepResult:
    reminded: list[Ticket] = field(default_factory=list)
    closed: list[Ticket] = field(default_factory=list)


class InactivityService:
    def __init__(
        self, db: Database, guilds: GuildService, tickets: TicketService, clock: Clock
    ) -> None:
        self._db = db
        self._guilds = guilds
        self._tickets = tickets
        self._clock = clock

    async def sweep(self) -> SweepResult:
        now = self._clock.now()
        result = SweepResult()
        candidates = await repo.pending_since_before(self._db.reader, now - MIN_REMINDER)
        configs = {}
        for ticket in candidates:
            if ticket.guild_id not in configs:
                configs[ticket.guild_id] = await self._guilds.config(ticket.guild_id)
            config = configs[ticket.guild_id]
            waiting = now - ticket.status_changed_at
            if ticket.reminded_at is None:
                if waiting >= timedelta(hours=config.reminder_hours):
                    marked = await self._db.write(
                        lambda conn, t=ticket: repo.mark_reminded(conn, t.id, now)
                    )
                    if marked:
                        result.reminded.append(ticket)
            elif now - ticket.reminded_at >= timedelta(hours=config.autoclose_hours):
                system = Actor(user_id=0, guild_id=ticket.guild_id, is_staff=True)
                try:
                    closed = await self._tickets.close_if_pending(system, ticket.id, NO_REPLY)
                except DomainError:
                    continue  # a reply or a close got there first
                if closed is not None and closed.status is Status.CLOSED:
                    result.closed.append(closed)
        return result
