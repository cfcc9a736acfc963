"""What every ticket operation shares: loading a ticket with the permission check, and
adding a reply with the status change SPEC §2 ties to it. Functions over the ports, so
each part of TicketService (and the unit of work it runs in) uses the same rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.errors import (
    Forbidden,
    NotFound,
)
from core.lifecycle import Event, next_status
from core.models import (
    Actor,
    Attachment,
    AuthorKind,
    Reply,
    Status,
    Ticket,
)
from core.policy import is_staff
from core.ports import ParticipantReads, TicketChanges, TicketReads, UnitOfWork
from core.validation import is_row_id


async def load_ticket(
    tickets: TicketReads,
    actor: Actor,
    ticket_id: int,
    participants: ParticipantReads | None = None,
) -> Ticket:
    """The ticket if it is in the actor's guild and theirs (or they are staff).

    With `participants`, a member staff added to the ticket gets through too: they read
    and reply like the owner (core/participants.py). Operations that only the owner and
    staff may do leave it out, or check `require_owner_or_staff` after loading.
    """
    ticket = None
    if is_row_id(ticket_id):
        ticket = await tickets.get(ticket_id)
    if ticket is None or ticket.guild_id != actor.guild_id:
        raise NotFound("ticket.not_found", ticket_id=ticket_id)
    if ticket.owner_id == actor.user_id or is_staff(actor):
        return ticket
    if participants is None or not await participants.is_member(ticket.id, actor.user_id):
        raise Forbidden("ticket.not_yours", ticket_id=ticket_id)
    return ticket


def require_owner_or_staff(actor: Actor, ticket: Ticket, event: Event) -> None:
    """Members added to a ticket read and reply, but ending it (close, resolve) stays with
    its owner and staff; they are told so plainly rather than "not yours"."""
    if actor.user_id != ticket.owner_id and not is_staff(actor):
        raise Forbidden("ticket.added_member_cannot", ticket_id=ticket.id, event=event.value)


async def add_reply(
    uow: UnitOfWork,
    ticket: Ticket,
    *,
    author_id: int,
    kind: AuthorKind,
    body: str,
    attachments: Sequence[Attachment],
    message_id: int | None,
    now: datetime,
) -> tuple[Ticket, Reply] | None:
    """Store a reply and move the ticket as it says; None if the message is already stored."""
    reply = await uow.replies.insert(
        ticket_id=ticket.id,
        author_id=author_id,
        author_kind=kind,
        body=body,
        attachments=attachments,
        message_id=message_id,
        now=now,
    )
    if reply is None:  # this Discord message is already stored
        return None
    if kind is AuthorKind.SYSTEM or ticket.status is Status.CLOSED:
        return ticket, reply
    event = Event.MEMBER_REPLY if kind is AuthorKind.MEMBER else Event.STAFF_REPLY
    changes: TicketChanges = {"updated_at": now}
    status = next_status(ticket, event)
    if status is not ticket.status:
        changes["status"] = status
        changes["status_changed_at"] = now
        changes["reminded_at"] = None
    if event is Event.STAFF_REPLY and ticket.first_response_seconds is None:
        changes["first_response_seconds"] = (now - ticket.created_at).total_seconds()
    if kind is AuthorKind.STAFF and ticket.ai_active:
        changes["ai_active"] = False  # human takeover: the AI stays quiet from now on
    return await uow.tickets.update(ticket.id, **changes), reply


def author_kind_for(actor: Actor, ticket: Ticket, *, added: bool = False) -> AuthorKind:
    """Who the actor speaks as in this ticket: its owner, staff, or nobody allowed to.

    `added`: the actor is a member staff added to the ticket, who speaks as the member side.
    """
    if actor.user_id == ticket.owner_id:
        return AuthorKind.MEMBER
    if is_staff(actor):
        return AuthorKind.STAFF
    if added:
        return AuthorKind.MEMBER
    raise Forbidden("ticket.reply_not_allowed", ticket_id=ticket.id)


async def remember_language(uow: UnitOfWork, ticket: Ticket, actor: Actor) -> Ticket:
    """The owner's language, as their front end last told it (the AI answers in it)."""
    if actor.user_id != ticket.owner_id or not actor.locale or actor.locale == ticket.language:
        return ticket
    return await uow.tickets.update(ticket.id, language=actor.locale)
