"""Inactivity: remind members who went quiet, then close their tickets with "no reply".

Only tickets waiting on the member (`pending`) are touched; a ticket waiting for staff is
never auto-closed, and a server that switched ticketing off is skipped altogether. All
state lives in the database (reminded_at, status_changed_at), so a restart in the middle
changes nothing. A reminder is recorded only once it was sent, so one Discord refused is
sent by a later sweep; a close is decided in one statement that re-checks it is due.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.clock import Clock
from core.models import Ticket
from core.ports import Store
from core.tickets import TicketService
from i18n import N_

NO_REPLY = N_("no reply")  # stored as the close reason; shown translated
BATCH = 500


class InactivityService:
    def __init__(self, store: Store, tickets: TicketService, clock: Clock) -> None:
        self._store = store
        self._tickets = tickets
        self._clock = clock

    async def due_reminders(
        self, limit: int = BATCH, *, guild_ids: Collection[int] | None = None
    ) -> list[Ticket]:
        """Tickets due for a reminder; of `guild_ids` only when given (the guilds this
        process holds, core/shards.py), of every guild when None."""
        return await self._store.reads.inactivity.due_for_reminder(
            self._clock.now(), limit, guild_ids=guild_ids
        )

    def now(self) -> datetime:
        return self._clock.now()

    async def mark_reminded(self, ticket: Ticket, sent_at: datetime | None = None) -> bool:
        """After the reminder went out (at `sent_at`, from which the auto-close counts);
        False if a reply or another sweep got there first."""
        when = sent_at or self._clock.now()
        return await self._store.write(lambda uow: uow.inactivity.mark_reminded(ticket, when))

    async def due_closes(
        self, limit: int = BATCH, *, guild_ids: Collection[int] | None = None
    ) -> list[Ticket]:
        return await self._store.reads.inactivity.due_for_close(
            self._clock.now(), limit, guild_ids=guild_ids
        )

    async def close_if_due(self, ticket_id: int) -> Ticket | None:
        """Close with "no reply" if still due; None when a reply came in since it was picked."""
        return await self._tickets.close_if_due(ticket_id, NO_REPLY)
