"""The status rules of SPEC §2, in one table. Anything not listed here is refused."""

from __future__ import annotations

from enum import StrEnum

from core.errors import InvalidTransition, Message
from core.models import Status, Ticket


class Event(StrEnum):
    MEMBER_REPLY = "member_reply"
    STAFF_REPLY = "staff_reply"  # staff or AI
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"


# (current status, event) -> next status.
TRANSITIONS: dict[tuple[Status, Event], Status] = {
    (Status.OPEN, Event.MEMBER_REPLY): Status.OPEN,
    (Status.PENDING, Event.MEMBER_REPLY): Status.OPEN,
    (Status.RESOLVED, Event.MEMBER_REPLY): Status.OPEN,
    (Status.OPEN, Event.STAFF_REPLY): Status.PENDING,
    (Status.PENDING, Event.STAFF_REPLY): Status.PENDING,
    # Staff adding a note after a resolution does not un-resolve it.
    (Status.RESOLVED, Event.STAFF_REPLY): Status.RESOLVED,
    (Status.OPEN, Event.RESOLVE): Status.RESOLVED,
    (Status.PENDING, Event.RESOLVE): Status.RESOLVED,
    (Status.OPEN, Event.CLOSE): Status.CLOSED,
    (Status.PENDING, Event.CLOSE): Status.CLOSED,
    (Status.RESOLVED, Event.CLOSE): Status.CLOSED,
    (Status.CLOSED, Event.REOPEN): Status.OPEN,
}


def refusal(ticket: Ticket, event: Event) -> Message:
    ticket_id = ticket.id
    if ticket.status is Status.CLOSED:
        if event is Event.CLOSE:
            return Message("ticket.already_closed", ticket_id=ticket_id)
        return Message("ticket.closed", ticket_id=ticket_id)
    if event is Event.RESOLVE:
        return Message("ticket.already_resolved", ticket_id=ticket_id)
    if event is Event.REOPEN:
        return Message("ticket.not_closed", ticket_id=ticket_id, status=ticket.status.value)
    return Message(
        "ticket.no_transition", ticket_id=ticket_id, status=ticket.status.value, event=event.value
    )


def next_status(ticket: Ticket, event: Event) -> Status:
    try:
        return TRANSITIONS[(ticket.status, event)]
    except KeyError:
        raise InvalidTransition(refusal(ticket, event)) from None
