"""The status rules of SPEC §2, in one table. Anything not listed here is refused."""

from __future__ import annotations

from enum import StrEnum

from core.errors import InvalidTransition
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


def refusal(ticket: Ticket, event: Event) -> str:
    ref = ticket.ref
    if ticket.status is Status.CLOSED:
        if event is Event.CLOSE:
            return f"Ticket {ref} is already closed."
        return f"Ticket {ref} is closed; ask staff to reopen it with `/ticket reopen`."
    if event is Event.RESOLVE:
        return f"Ticket {ref} is already resolved. Close it with `/ticket close`."
    if event is Event.REOPEN:
        return f"Ticket {ref} is not closed (it is {ticket.status.value}), so there is nothing to reopen."
    return f"Ticket {ref} can't go from {ticket.status.value} by {event.value.replace('_', ' ')}."


def next_status(ticket: Ticket, event: Event) -> Status:
    try:
        return TRANSITIONS[(ticket.status, event)]
    except KeyError:
        raise InvalidTransition(refusal(ticket, event)) from None
