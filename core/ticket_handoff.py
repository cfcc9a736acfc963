"""The AI's answers in a ticket and the hand-off to staff (SPEC §4), as ticket changes."""

from __future__ import annotations

from datetime import datetime

from core.clock import Clock
from core.guilds import GuildService
from core.lifecycle import Event, next_status
from core.models import (
    Actor,
    AuthorKind,
    Feature,
    Reply,
    Status,
    Ticket,
)
from core.ports import Store, TicketChanges, UnitOfWork
from core.ticket_rules import add_reply, load_ticket


class TicketHandOff:
    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

    async def record_ai_reply(
        self, ticket_id: int, *, author_id: int, body: str, message_id: int | None
    ) -> tuple[Ticket, Reply] | None:
        """Store an AI answer the front end has posted; it counts towards the ticket's cap.

        Like any answer it moves `open` to `pending`; None if the ticket is gone.
        """
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> tuple[Ticket, Reply] | None:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None:
                return None
            result = await add_reply(
                uow,
                ticket,
                author_id=author_id,
                kind=AuthorKind.AI,
                body=body,
                attachments=(),
                message_id=message_id,
                now=now,
            )
            if result is None:
                return None
            ticket, reply = result
            ticket = await uow.tickets.update(ticket.id, ai_replies=ticket.ai_replies + 1)
            return ticket, reply

        return await self._store.write(work)

    async def hand_off(self, actor: Actor, ticket_id: int) -> tuple[Ticket, bool]:
        """The "Talk to a human" button (owner or staff): the AI stops, the ticket waits on staff.

        Returns the ticket and whether anything changed (a second click changes nothing).
        """
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> tuple[Ticket, bool]:
            ticket = await load_ticket(uow.tickets, actor, ticket_id)  # owner or staff only
            return await _hand_off(uow, ticket, now)

        return await self._store.write(work)

    async def hand_off_to_staff(self, ticket_id: int) -> tuple[Ticket, bool] | None:
        """The same hand-off when the AI can't go on (failure, cap): nobody asked for it."""
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> tuple[Ticket, bool] | None:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None:
                return None
            if ticket.status is Status.CLOSED:
                return ticket, False
            return await _hand_off(uow, ticket, now)

        return await self._store.write(work)


async def _hand_off(uow: UnitOfWork, ticket: Ticket, now: datetime) -> tuple[Ticket, bool]:
    # Asking for a human is the member's move, so it follows the member-reply rules:
    # pending/resolved -> open, and a closed ticket is refused with the usual message.
    status = next_status(ticket, Event.MEMBER_REPLY)
    changes: TicketChanges = {}
    if ticket.ai_active:
        changes["ai_active"] = False
    if status is not ticket.status:
        changes.update(status=status, status_changed_at=now, reminded_at=None)
    if not changes:
        return ticket, False
    return await uow.tickets.update(ticket.id, updated_at=now, **changes), True
