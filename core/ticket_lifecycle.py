"""Status changes, triage and the AI hand-off: the transitions of SPEC §2 and nothing else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import aiosqlite

from core.closing import LEASE
from core.errors import (
    Forbidden,
    InvalidInput,
)
from core.lifecycle import Event, next_status
from core.models import (
    Actor,
    AuthorKind,
    Department,
    Feature,
    Priority,
    Reply,
    Status,
    Ticket,
)
from core.policy import SYSTEM_USER_ID, is_staff, require_staff
from core.ticket_base import TicketServiceBase
from core.validation import (
    REASON_MAX,
    clean_text,
    parse_choice,
)
from storage import closing as closing_repo
from storage import lifecycle as lifecycle_repo
from storage import tickets as repo

THREAD_GONE = "its thread was deleted"
AlsoInWrite = Callable[[aiosqlite.Connection, Ticket], Awaitable[None]]


class TicketLifecycle(TicketServiceBase):
    async def _transition(
        self,
        actor: Actor,
        ticket_id: int,
        event: Event,
        *,
        staff_only: bool,
        also: AlsoInWrite | None = None,
        **extra: object,
    ) -> Ticket:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> Ticket:
            ticket = await self._load(conn, actor, ticket_id)
            if staff_only and not is_staff(actor):
                raise Forbidden("staff_only.ticket_event", event=event.value)
            status = next_status(ticket, event)
            ticket = await repo.update_ticket(
                conn,
                ticket.id,
                status=status,
                status_changed_at=now,
                updated_at=now,
                reminded_at=None,
                **extra,
            )
            if also is not None:
                await also(conn, ticket)
            return ticket

        return await self._db.write(work)

    async def resolve(self, actor: Actor, ticket_id: int) -> Ticket:
        return await self._transition(actor, ticket_id, Event.RESOLVE, staff_only=False)

    async def close(self, actor: Actor, ticket_id: int, reason: object = None) -> Ticket:
        """Close; what Discord still needs (closing line, archive, transcripts) is recorded in
        the same transaction, so it is done even if the bot stops right after."""
        text = None
        if reason is not None and str(reason).strip():
            text = clean_text("reason", reason, max_length=REASON_MAX, multiline=True)
        now = self._clock.now()
        return await self._transition(
            actor,
            ticket_id,
            Event.CLOSE,
            staff_only=False,
            also=_record_close_work(now),
            closed_at=now,
            closed_by=actor.user_id,
            close_reason=text,
            ai_active=False,
        )

    async def close_if_due(self, ticket_id: int, reason: str) -> Ticket | None:
        """Auto-close, only if the ticket is still due now (checked in the one UPDATE)."""
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> Ticket | None:
            ticket = await lifecycle_repo.close_if_due(conn, ticket_id, now, reason)
            if ticket is not None:
                await closing_repo.add(conn, ticket.id, now + LEASE)
            return ticket

        return await self._db.write(work)

    async def close_thread_gone(self, thread_id: int) -> Ticket | None:
        """Close the ticket whose thread Discord deleted; None if none or already closed.

        Without its thread nobody can talk in the ticket, and an open one would keep
        counting toward its owner's cap forever.
        """
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> Ticket | None:
            ticket = await repo.get_ticket_by_thread(conn, thread_id)
            if ticket is None or ticket.status is Status.CLOSED:
                return None
            closed = await repo.update_ticket(
                conn,
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
            await closing_repo.add(conn, closed.id, now + LEASE)
            return closed

        return await self._db.write(work)

    async def check_reopen(self, actor: Actor, ticket_id: int) -> Ticket:
        """Every refusal `reopen` would give, without changing anything, so the front end
        can prepare the thread first and only then reopen."""
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        ticket = await self._load(self._db.reader, actor, ticket_id)
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

    async def _triage(self, actor: Actor, ticket_id: int, code: str, **changes: object) -> Ticket:
        """`code` says what only staff may do, for the refusal ("staff_only.…")."""
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        require_staff(actor, code)
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> Ticket:
            ticket = await self._load(conn, actor, ticket_id)
            if ticket.status is Status.CLOSED:
                raise InvalidInput("ticket", "ticket.closed_reopen_first", ticket_id=ticket.id)
            return await repo.update_ticket(conn, ticket.id, updated_at=now, **changes)

        return await self._db.write(work)

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

    # -- AI answers and the hand-off to staff (SPEC §4) --------------------------------

    async def record_ai_reply(
        self, ticket_id: int, *, author_id: int, body: str, message_id: int | None
    ) -> tuple[Ticket, Reply] | None:
        """Store an AI answer the front end has posted; it counts towards the ticket's cap.

        Like any answer it moves `open` to `pending`; None if the ticket is gone.
        """
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> tuple[Ticket, Reply] | None:
            ticket = await repo.get_ticket(conn, ticket_id)
            if ticket is None:
                return None
            result = await self._add_reply(
                conn,
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
            ticket = await repo.update_ticket(conn, ticket.id, ai_replies=ticket.ai_replies + 1)
            return ticket, reply

        return await self._db.write(work)

    async def hand_off(self, actor: Actor, ticket_id: int) -> tuple[Ticket, bool]:
        """The "Talk to a human" button (owner or staff): the AI stops, the ticket waits on staff.

        Returns the ticket and whether anything changed (a second click changes nothing).
        """
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> tuple[Ticket, bool]:
            ticket = await self._load(conn, actor, ticket_id)  # owner or staff only
            return await self._hand_off(conn, ticket, now)

        return await self._db.write(work)

    async def hand_off_to_staff(self, ticket_id: int) -> tuple[Ticket, bool] | None:
        """The same hand-off when the AI can't go on (failure, cap): nobody asked for it."""
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> tuple[Ticket, bool] | None:
            ticket = await repo.get_ticket(conn, ticket_id)
            if ticket is None:
                return None
            if ticket.status is Status.CLOSED:
                return ticket, False
            return await self._hand_off(conn, ticket, now)

        return await self._db.write(work)

    async def _hand_off(
        self, conn: aiosqlite.Connection, ticket: Ticket, now: datetime
    ) -> tuple[Ticket, bool]:
        # Asking for a human is the member's move, so it follows the member-reply rules:
        # pending/resolved -> open, and a closed ticket is refused with the usual message.
        status = next_status(ticket, Event.MEMBER_REPLY)
        changes: dict[str, object] = {}
        if ticket.ai_active:
            changes["ai_active"] = False
        if status is not ticket.status:
            changes.update(status=status, status_changed_at=now, reminded_at=None)
        if not changes:
            return ticket, False
        return await repo.update_ticket(conn, ticket.id, updated_at=now, **changes), True


def _record_close_work(now: datetime) -> AlsoInWrite:
    async def record(conn: aiosqlite.Connection, ticket: Ticket) -> None:
        await closing_repo.add(conn, ticket.id, now + LEASE)

    return record


async def _cancel_close_work(conn: aiosqlite.Connection, ticket: Ticket) -> None:
    await closing_repo.cancel(conn, ticket.id)
