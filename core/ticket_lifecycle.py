"""Status changes and triage: the transitions of SPEC §2 and nothing else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Unpack

from core.clock import Clock
from core.closing import LEASE
from core.errors import (
    Forbidden,
    InvalidInput,
)
from core.guilds import GuildService
from core.lifecycle import Event, next_status
from core.models import (
    Actor,
    Department,
    Feature,
    Priority,
    Status,
    Ticket,
)
from core.policy import SYSTEM_USER_ID, is_staff, require_staff
from core.ports import Store, TicketChanges, UnitOfWork
from core.ticket_rules import load_ticket, require_owner_or_staff
from core.validation import (
    REASON_MAX,
    clean_text,
    parse_choice,
)
from i18n import N_

THREAD_GONE = N_("its thread was deleted")  # a close reason; shown translated
AlsoInWrite = Callable[[UnitOfWork, Ticket], Awaitable[None]]


class TicketLifecycle:
    """Resolve, close (by hand, when due, when the thread is gone) and reopen."""

    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

    async def _transition(
        self,
        actor: Actor,
        ticket_id: int,
        event: Event,
        *,
        staff_only: bool,
        also: AlsoInWrite | None = None,
        **extra: Unpack[TicketChanges],
    ) -> Ticket:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Ticket:
            ticket = await load_ticket(uow.tickets, actor, ticket_id, uow.participants)
            if staff_only and not is_staff(actor):
                raise Forbidden("staff_only.ticket_event", event=event.value)
            require_owner_or_staff(actor, ticket, event)
            status = next_status(ticket, event)
            ticket = await uow.tickets.update(
                ticket.id,
                status=status,
                status_changed_at=now,
                updated_at=now,
                reminded_at=None,
                **extra,
            )
            if also is not None:
                await also(uow, ticket)
            return ticket

        return await self._store.write(work)

    async def resolve(self, actor: Actor, ticket_id: int) -> Ticket:
        return await self._transition(actor, ticket_id, Event.RESOLVE, staff_only=False)

    async def close(
        self,
        actor: Actor,
        ticket_id: int,
        reason: object = None,
        *,
        also: AlsoInWrite | None = None,
    ) -> Ticket:
        """Close; what Discord still needs (closing line, archive, transcripts) is recorded in
        the same unit of work, so it is done even if the bot stops right after.

        `also` runs in that unit of work after the close (e.g. a close request answered);
        if it raises, the close is undone and the error reaches the caller.
        """
        text = None
        if reason is not None and str(reason).strip():
            text = clean_text("reason", reason, max_length=REASON_MAX, multiline=True)
        now = self._clock.now()
        return await self._transition(
            actor,
            ticket_id,
            Event.CLOSE,
            staff_only=False,
            also=_record_close_work(now, also),
            closed_at=now,
            closed_by=actor.user_id,
            close_reason=text,
            ai_active=False,
        )

    async def close_if_due(self, ticket_id: int, reason: str) -> Ticket | None:
        """Auto-close, only if the ticket is still due now (checked in the one update)."""
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Ticket | None:
            ticket = await uow.inactivity.close_if_due(ticket_id, now, reason)
            if ticket is not None:
                await uow.close_work.add(ticket.id, now + LEASE)
            return ticket

        return await self._store.write(work)

    async def close_thread_gone(self, thread_id: int) -> Ticket | None:
        """Close the ticket whose thread Discord deleted; None if none or already closed.

        Without its thread nobody can talk in the ticket, and an open one would keep
        counting toward its owner's cap forever.
        """
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Ticket | None:
            ticket = await uow.tickets.by_thread(thread_id)
            if ticket is None or ticket.status is Status.CLOSED:
                return None
            closed = await uow.tickets.update(
                ticket.id,
                status=next_status(ticket, Event.CLOSE),
                status_changed_at=now,
                updated_at=now,
                reminded_at=None,
                closed_at=now,
                closed_by=SYSTEM_USER_ID,
                close_reason=THREAD_GONE,
                ai_active=False,
            )
            # The log-channel transcript and the owner's DM still go out (or are retried);
            # the thread's parts count as done once Discord says the thread is gone.
            await uow.close_work.add(closed.id, now + LEASE)
            return closed

        return await self._store.write(work)

    async def check_reopen(self, actor: Actor, ticket_id: int) -> Ticket:
        """Every refusal `reopen` would give, without changing anything, so the front end
        can prepare the thread first and only then reopen."""
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        reads = self._store.reads
        ticket = await load_ticket(reads.tickets, actor, ticket_id, reads.participants)
        if not is_staff(actor):
            raise Forbidden("staff_only.ticket_event", event=Event.REOPEN.value)
        next_status(ticket, Event.REOPEN)
        return ticket

    async def reopen(self, actor: Actor, ticket_id: int) -> Ticket:
        # Whatever of the close's Discord side is left undone must not run any more:
        # archiving a reopened thread would lock the member out again.
        return await self._transition(
            actor,
            ticket_id,
            Event.REOPEN,
            staff_only=True,
            also=_cancel_close_work,
            closed_at=None,
            closed_by=None,
            close_reason=None,
        )


class TicketTriage:
    """Staff sorting an unclosed ticket: who has it, how urgent, which department."""

    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

    async def _triage(
        self, actor: Actor, ticket_id: int, code: str, **changes: Unpack[TicketChanges]
    ) -> Ticket:
        """`code` says what only staff may do, for the refusal ("staff_only.…")."""
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        require_staff(actor, code)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Ticket:
            ticket = await load_ticket(uow.tickets, actor, ticket_id)
            if ticket.status is Status.CLOSED:
                raise InvalidInput("ticket", "ticket.closed_reopen_first", ticket_id=ticket.id)
            return await uow.tickets.update(ticket.id, updated_at=now, **changes)

        return await self._store.write(work)

    async def claim(self, actor: Actor, ticket_id: int) -> Ticket:
        return await self._triage(actor, ticket_id, "staff_only.claim", claimed_by=actor.user_id)

    async def set_priority(self, actor: Actor, ticket_id: int, level: object) -> Ticket:
        priority = parse_choice("level", level, Priority, None)
        if priority is None:
            raise InvalidInput("level", "input.one_of", choices=[p.value for p in Priority])
        return await self._triage(actor, ticket_id, "staff_only.priority", priority=priority)

    async def set_department(self, actor: Actor, ticket_id: int, name: object) -> Ticket:
        department = parse_choice("name", name, Department, None)
        if department is None:
            raise InvalidInput("name", "input.one_of", choices=[d.value for d in Department])
        return await self._triage(actor, ticket_id, "staff_only.department", department=department)


def _record_close_work(now: datetime, then: AlsoInWrite | None = None) -> AlsoInWrite:
    async def record(uow: UnitOfWork, ticket: Ticket) -> None:
        await uow.close_work.add(ticket.id, now + LEASE)
        if then is not None:
            await then(uow, ticket)

    return record


async def _cancel_close_work(uow: UnitOfWork, ticket: Ticket) -> None:
    await uow.close_work.cancel(ticket.id)
