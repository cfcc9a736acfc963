"""Staff notes (SPEC §12): what staff keep on a ticket for each other.

Notes live in their own table, never among the replies, so nothing that shows or sends a
ticket's conversation can leak one: not the thread, the member's view, the member's DM
transcript, nor the AI's context (core/ai_replies.py reads replies only). Staff see them
in their view of the ticket, and the staff transcript in the log channel carries them.
"""

from __future__ import annotations

import logging

from core.clock import Clock
from core.guilds import GuildService
from core.models import Actor, Feature, Ticket
from core.policy import require_staff
from core.ports import Store, UnitOfWork
from core.staff_models import StaffNote
from core.ticket_rules import load_ticket
from core.validation import clean_text

log = logging.getLogger(__name__)

NOTE_MAX = 2000


class NoteService:
    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

    async def add(self, actor: Actor, ticket_id: int, text: object) -> tuple[Ticket, StaffNote]:
        """Keep a note on a ticket of the actor's guild (open or closed); staff only."""
        require_staff(actor, "staff_only.notes")
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        body = clean_text("text", text, max_length=NOTE_MAX, multiline=True)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> tuple[Ticket, StaffNote]:
            ticket = await load_ticket(uow.tickets, actor, ticket_id)
            note = await uow.notes.insert(
                ticket_id=ticket.id, author_id=actor.user_id, body=body, now=now
            )
            return ticket, note

        ticket, note = await self._store.write(work)
        log.info("staff note %s on ticket %s", note.id, ticket.id)
        return ticket, note

    async def list(self, actor: Actor, ticket_id: int) -> list[StaffNote]:
        """A ticket's notes, oldest first, for staff of its guild (the staff views: the
        Discord view of a ticket, the HTTP API and the dashboard)."""
        require_staff(actor, "staff_only.notes")
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        ticket = await load_ticket(self._store.reads.tickets, actor, ticket_id)
        return await self._store.reads.notes.of_ticket(ticket.id)

    async def for_staff_transcript(self, ticket_id: int) -> list[StaffNote]:
        """The notes for the transcript the desk posts in the log channel on a close.

        No actor and no flag check, like the close's record (core/closing.py): the caller
        sends the result to staff only, never to the member.
        """
        return await self._store.reads.notes.of_ticket(ticket_id)
