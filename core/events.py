"""Domain events, seen where they are written, inside the same unit of work.

Every change the services make goes through `store.write(work)`. `ObservedStore` wraps
that unit of work so that the writes which make an event (a ticket opened, a reply stored,
a status changed, a submission made or reviewed) call each subscriber right there, with
the unit of work: whatever a subscriber writes (a webhook delivery, Discord work to do)
commits together with the change, or not at all. Nothing is lost between the two, and no
service has to remember to announce anything: every front end and every path (a command,
a message typed in a thread, the AI, a sweep, the HTTP API) is covered alike.

Subscribers only write through the unit of work they are given (no I/O), like `work`.

`front_end_without_discord(label)` marks the writes made by a front end that cannot do
the Discord side itself (the HTTP API): the subscribers then also queue that work (see
core/discord_jobs.py). The label says who acted, as the thread will show it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, Unpack

from core.clock import Clock
from core.form_models import Submission
from core.integration_models import EventName
from core.models import Reply, Status, Ticket
from core.ports import Reads, Store, TicketChanges, UnitOfWork, Work
from core.staff_models import StaffNote

T = TypeVar("T")

# Not a webhook event: a ticket taken back before anyone saw it (its thread was refused).
TICKET_DISCARDED = "ticket.discarded"
# Not a webhook event: claimed, or its priority or department changed (`change` says which).
TICKET_TRIAGED = "ticket.triaged"
TRIAGE_FIELDS = ("claimed_by", "priority", "department")
# Not a webhook event (a note is for staff only, and says nothing outside the desk): a
# staff note was kept on a ticket; `actor_id` wrote it.
NOTE_ADDED = "ticket.note_added"


@dataclass(frozen=True)
class DomainEvent:
    name: str  # an EventName, TICKET_DISCARDED, TICKET_TRIAGED or NOTE_ADDED
    guild_id: int
    key: str  # events of one key (a ticket, a submission) are delivered in order
    at: datetime
    ticket: Ticket | None = None
    reply: Reply | None = None
    previous_status: Status | None = None
    submission: Submission | None = None
    # Set when a front end without Discord made the change: who acted, as it labels them.
    remote_origin: str | None = None
    change: str | None = None  # TICKET_TRIAGED: the field that changed
    actor_id: int | None = None  # NOTE_ADDED: who wrote the note


Subscriber = Callable[[UnitOfWork, DomainEvent], Awaitable[None]]

_REMOTE_ORIGIN: ContextVar[str | None] = ContextVar("remote_origin", default=None)


@contextlib.contextmanager
def front_end_without_discord(label: str) -> Iterator[None]:
    """Writes made inside this block come from a front end that has no Discord."""
    token = _REMOTE_ORIGIN.set(label)
    try:
        yield
    finally:
        _REMOTE_ORIGIN.reset(token)


def ticket_key(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


def submission_key(submission_id: int) -> str:
    return f"submission:{submission_id}"


class ObservedStore:
    """A Store whose units of work call `subscribers` for each domain event."""

    def __init__(self, store: Store, clock: Clock, subscribers: Sequence[Subscriber]) -> None:
        self._store = store
        self._clock = clock
        self._subscribers = tuple(subscribers)
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` (quick, no I/O) after each committed write that made an event,
        e.g. to wake whoever sends what the subscribers queued."""
        self._after_commit.append(callback)

    @property
    def reads(self) -> Reads:
        return self._store.reads

    @property
    def inner(self) -> Store:
        return self._store

    async def write(self, work: Work[T]) -> T:
        origin = _REMOTE_ORIGIN.get()  # read in the caller's context, not the writer's

        emitted = False

        async def observed(uow: UnitOfWork) -> T:
            nonlocal emitted
            emitter = _Emitter(uow, self._subscribers, self._clock, origin)
            result = await work(_ObservedUnitOfWork(uow, emitter))  # type: ignore[arg-type]
            emitted = emitter.count > 0
            return result

        result = await self._store.write(observed)
        if emitted:
            for callback in self._after_commit:
                callback()
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)  # close() and the like belong to the real store


class _Emitter:
    def __init__(
        self,
        uow: UnitOfWork,
        subscribers: tuple[Subscriber, ...],
        clock: Clock,
        origin: str | None,
    ) -> None:
        self.uow = uow
        self._subscribers = subscribers
        self._clock = clock
        self._origin = origin
        self.opened: set[int] = set()  # tickets opened in this unit of work
        self.count = 0

    async def __call__(self, name: str, guild_id: int, key: str, **facts: Any) -> None:
        event = DomainEvent(
            name, guild_id, key, self._clock.now(), remote_origin=self._origin, **facts
        )
        self.count += 1
        for subscriber in self._subscribers:
            await subscriber(self.uow, event)

    async def ticket(self, name: str, ticket: Ticket, **facts: Any) -> None:
        await self(name, ticket.guild_id, ticket_key(ticket.id), ticket=ticket, **facts)

    async def status_changed(self, before: Status, ticket: Ticket) -> None:
        if before is ticket.status:
            return
        await self.ticket(EventName.TICKET_STATUS_CHANGED, ticket, previous_status=before)
        if ticket.status is Status.CLOSED:
            await self.ticket(EventName.TICKET_CLOSED, ticket, previous_status=before)


class _Wrapped:
    def __init__(self, inner: Any, emit: _Emitter) -> None:
        self._inner = inner
        self._emit = emit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _Tickets(_Wrapped):
    async def insert(self, **fields: Any) -> Ticket:
        ticket = await self._inner.insert(**fields)
        self._emit.opened.add(ticket.id)
        await self._emit.ticket(EventName.TICKET_CREATED, ticket)
        return ticket

    async def update(self, ticket_id: int, **changes: Unpack[TicketChanges]) -> Ticket:
        watched = "status" in changes or any(f in changes for f in TRIAGE_FIELDS)
        before = await self._inner.get(ticket_id) if watched else None
        ticket = await self._inner.update(ticket_id, **changes)
        if before is not None:
            await self._emit.status_changed(before.status, ticket)
            for field in TRIAGE_FIELDS:
                if field in changes and getattr(before, field) != getattr(ticket, field):
                    await self._emit.ticket(TICKET_TRIAGED, ticket, change=field)
        return ticket

    async def delete(self, ticket_id: int) -> None:
        ticket = await self._inner.get(ticket_id)
        await self._inner.delete(ticket_id)
        if ticket is not None:
            await self._emit.ticket(TICKET_DISCARDED, ticket)

    async def delete_waiting(self, ticket_id: int) -> None:
        ticket = await self._inner.get(ticket_id)
        await self._inner.delete_waiting(ticket_id)
        if ticket is not None and await self._inner.get(ticket_id) is None:
            await self._emit.ticket(TICKET_DISCARDED, ticket)


class _Replies(_Wrapped):
    async def insert(self, **fields: Any) -> Reply | None:
        reply = await self._inner.insert(**fields)
        # A ticket's opening message is its first reply: part of ticket.created.
        if reply is not None and reply.ticket_id not in self._emit.opened:
            ticket = await self._emit.uow.tickets.get(reply.ticket_id)
            if ticket is not None:
                await self._emit.ticket(EventName.TICKET_REPLIED, ticket, reply=reply)
        return reply


class _Inactivity(_Wrapped):
    async def close_if_due(self, ticket_id: int, now: datetime, reason: str) -> Ticket | None:
        before = await self._emit.uow.tickets.get(ticket_id)
        closed = await self._inner.close_if_due(ticket_id, now, reason)
        if closed is not None and before is not None:
            await self._emit.status_changed(before.status, closed)
        return closed


class _Submissions(_Wrapped):
    async def _event(self, name: EventName, submission: Submission | None) -> None:
        if submission is not None:
            key = submission_key(submission.id)
            await self._emit(name, submission.guild_id, key, submission=submission)

    async def insert(self, **fields: Any) -> Submission:
        submission = await self._inner.insert(**fields)
        await self._event(EventName.FORM_SUBMITTED, submission)
        return submission

    async def decide(self, submission_id: int, **fields: Any) -> Submission | None:
        submission = await self._inner.decide(submission_id, **fields)
        await self._event(EventName.FORM_REVIEWED, submission)
        return submission


class _Notes(_Wrapped):
    async def insert(self, **fields: Any) -> StaffNote:
        note: StaffNote = await self._inner.insert(**fields)
        ticket = await self._emit.uow.tickets.get(note.ticket_id)
        if ticket is not None:
            await self._emit.ticket(NOTE_ADDED, ticket, actor_id=note.author_id)
        return note


class _ObservedUnitOfWork:
    def __init__(self, inner: UnitOfWork, emit: _Emitter) -> None:
        self._inner = inner
        self.tickets = _Tickets(inner.tickets, emit)
        self.replies = _Replies(inner.replies, emit)
        self.inactivity = _Inactivity(inner.inactivity, emit)
        self.submissions = _Submissions(inner.submissions, emit)
        self.notes = _Notes(inner.notes, emit)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
