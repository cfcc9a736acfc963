"""Ports for tickets and their replies: what a store must provide, as protocols.

Each port comes in two parts: `...Reads` (what the services read, from committed data
through `Store.reads`, or inside a unit of work) and `...Repository` (the reads plus
the writes, only ever reached through a `UnitOfWork`). Models go in and out, never rows,
SQL or connections, so any backend can implement them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol, TypedDict, Unpack

from core.models import (
    Attachment,
    AuthorKind,
    Department,
    Priority,
    Reply,
    Status,
    Ticket,
)

# (ticket id, thread id, every message of the thread handled up to this id, or None)
LiveThread = tuple[int, int, int | None]


class TicketChanges(TypedDict, total=False):
    """The fields of a ticket a service may change; anything else is a programming error."""

    status: Status
    priority: Priority
    department: Department
    thread_id: int | None
    claimed_by: int | None
    ai_active: bool
    ai_replies: int
    first_response_seconds: float | None
    updated_at: datetime
    status_changed_at: datetime
    reminded_at: datetime | None
    closed_at: datetime | None
    closed_by: int | None
    close_reason: str | None
    language: str | None  # the member's locale code (issue 18), for the AI's answers


class TicketReads(Protocol):
    async def get(self, ticket_id: int) -> Ticket | None: ...

    async def by_thread(self, thread_id: int) -> Ticket | None: ...

    async def owner_activity(self, guild_id: int, owner_id: int) -> tuple[int, Ticket | None]:
        """How many unclosed tickets the member has in the guild, and their latest ticket."""
        ...

    async def page(
        self,
        *,
        guild_id: int,
        owner_id: int | None,
        status: Status | None,
        department: Department | None,
        priority: Priority | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Ticket], int]:
        """Newest first, each filter applied when not None; and the total matching."""
        ...

    async def status_counts(self, guild_id: int) -> list[tuple[Status, Department, Priority, int]]:
        """How many tickets of the guild there are per (status, department, priority), > 0."""
        ...

    async def median_first_response(self, guild_id: int) -> float | None:
        """Median seconds to the first staff answer over the guild's answered tickets."""
        ...

    async def first_responses(self, guild_id: int, since: datetime) -> list[tuple[datetime, float]]:
        """(opened at, seconds to the first staff answer) of the guild's answered tickets
        opened at or after `since`, oldest first."""
        ...

    async def live_threads(
        self, *, after_id: int, limit: int, guild_ids: Collection[int] | None = None
    ) -> list[LiveThread]:
        """Unclosed tickets with a thread, by ticket id above `after_id`, at most `limit`;
        only of `guild_ids` when given (the guilds of one shard, see InactivityReads)."""
        ...

    async def unclosed_threads(self, guild_id: int) -> list[tuple[int, int]]:
        """(ticket id, thread id) of the guild's unclosed tickets that have a thread."""
        ...

    async def any_waiting_due(self, guild_ids: Collection[int], now: datetime) -> bool:
        """Whether a ticket of these guilds waits for its thread and is due by `now`."""
        ...


class TicketRepository(TicketReads, Protocol):
    async def insert(
        self,
        *,
        guild_id: int,
        owner_id: int,
        subject: str,
        message: str,
        priority: Priority,
        department: Department,
        ai_active: bool,
        now: datetime,
        thread_attempts: int = 0,
        thread_retry_at: datetime | None = None,
    ) -> Ticket:
        """A new ticket, status open, created/updated/status-changed at `now`, waiting
        for its thread: due for an attempt at `thread_retry_at` (default: `now`)."""
        ...

    async def update(self, ticket_id: int, **changes: Unpack[TicketChanges]) -> Ticket:
        """Apply the changes; raises LookupError if the ticket is gone."""
        ...

    async def delete(self, ticket_id: int) -> None:
        """The ticket and its replies (and whatever else hangs off it)."""
        ...

    async def advance_mirror(self, thread_id: int, message_id: int) -> None:
        """Every message of this ticket thread up to `message_id` is handled; never moves back."""
        ...

    # -- waiting for a thread: a ticket without one (and not closed) waits for it --------

    async def claim_waiting(
        self,
        guild_ids: Collection[int],
        *,
        now: datetime,
        lease_until: datetime,
        limit: int,
        due_only: bool = True,
    ) -> list[Ticket]:
        """Take up to `limit` waiting tickets of these guilds (due by `now`, or any when
        not `due_only`), oldest due first, for one attempt each: `thread_attempts` + 1 and
        not due again until `lease_until`. Two callers never take the same ticket. By id."""
        ...

    async def attach_thread(self, ticket_id: int, thread_id: int) -> Ticket | None:
        """Attach the thread (clearing the retry schedule and error) if the ticket still
        waits for one; None otherwise (closed, gone, or another attempt attached first)."""
        ...

    async def thread_failed(self, ticket_id: int, retry_at: datetime, error: str) -> Ticket | None:
        """An attempt failed: due again at `retry_at`, with `error` (first 500 chars) kept;
        None if the ticket waits no more."""
        ...

    async def delete_waiting(self, ticket_id: int) -> None:
        """Remove the ticket only if it has no thread (it was never shown to anyone)."""
        ...


class ReplyReads(Protocol):
    async def page(
        self, ticket_id: int, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[Reply], int]:
        """A ticket's replies oldest first (all of them when `limit` is None), and the total."""
        ...


class ReplyRepository(ReplyReads, Protocol):
    async def insert(
        self,
        *,
        ticket_id: int,
        author_id: int,
        author_kind: AuthorKind,
        body: str,
        attachments: Sequence[Attachment] = (),
        message_id: int | None,
        now: datetime,
    ) -> Reply | None:
        """Store a reply; None when a reply with this message id is already stored, so the
        same Discord message mirrored twice is stored once."""
        ...

    async def set_message(self, reply_id: int, message_id: int) -> None: ...

    async def delete(self, reply_id: int) -> None: ...

    async def edit(self, message_id: int, body: str, now: datetime) -> Reply | None:
        """Follow an edit; None (nothing changed) when no such reply or its ticket is
        closed: a closed ticket's record is final."""
        ...
