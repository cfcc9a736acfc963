"""Ticket operations: every rule of SPEC §2 is checked here, whatever the front end."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

import aiosqlite

from core.errors import (
    Forbidden,
    LimitReached,
    NotConfigured,
)
from core.guilds import ensure_enabled
from core.lifecycle import Event, next_status
from core.models import (
    Actor,
    Attachment,
    AuthorKind,
    Department,
    Feature,
    Page,
    Priority,
    Reply,
    Status,
    StoredReply,
    Ticket,
    TicketStats,
    is_staff,
)
from core.ticket_lifecycle import TicketLifecycle
from core.validation import (
    MESSAGE_MAX,
    SUBJECT_MAX,
    clamp_page,
    clean_text,
    parse_choice,
)
from storage import guilds as guild_repo
from storage import lifecycle as lifecycle_repo
from storage import tickets as repo

log = logging.getLogger(__name__)

PAGE_SIZE = 10

# Opening (SPEC §7: a ticket the member was told about survives). A ticket is stored
# waiting for its thread; an attempt to make the thread holds it for THREAD_LEASE (longer
# than any one attempt may take), and a failed attempt is retried after a growing pause.
THREAD_LEASE = timedelta(minutes=15)
THREAD_RETRY_PAUSES = tuple(timedelta(seconds=s) for s in (2, 10, 30, 120, 600, 1800, 3600))


def thread_retry_pause(attempts: int) -> timedelta:
    """2 s, 10 s, 30 s, 2 min, 10 min, 30 min, then hourly: quick while Discord blinks,
    gentle while it keeps refusing (an admin has to fix a permission first)."""
    return THREAD_RETRY_PAUSES[min(max(attempts, 1), len(THREAD_RETRY_PAUSES)) - 1]


NOT_SET_UP = (
    "Tickets aren't set up on this server yet. Ask an admin to run `/admin setup` "
    "(it picks the channel for ticket threads and the staff role)."
)


class TicketService(TicketLifecycle):
    """Opening, reading and talking in tickets; the lifecycle comes from TicketLifecycle."""

    # -- creating ----------------------------------------------------------------------

    async def create(
        self,
        actor: Actor,
        *,
        subject: object,
        message: object,
        priority: object = None,
        department: object = None,
        claim_thread: bool = False,
    ) -> Ticket:
        """Open a ticket; it waits for its thread (`Ticket.waiting_for_thread`).

        The process holding the guild attaches the thread (`waiting_for_thread`,
        `attach_thread`). `claim_thread`: the caller makes the first attempt itself, right
        now, so the ticket is not due for anyone else until THREAD_LEASE has passed.
        """
        subject_text = clean_text("subject", subject, max_length=SUBJECT_MAX, multiline=False)
        message_text = clean_text("message", message, max_length=MESSAGE_MAX, multiline=True)
        chosen_priority = parse_choice("priority", priority, Priority, Priority.MEDIUM)
        chosen_department = parse_choice(
            "department", department, Department, Department.TECHNICAL_SUPPORT
        )
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> Ticket:
            # Read the rules inside the write so racing creates see each other.
            flags = await guild_repo.get_flags(conn, actor.guild_id)
            ensure_enabled(flags, Feature.TICKETING)
            config = await guild_repo.get_config(conn, actor.guild_id)
            if not config.is_set_up:
                raise NotConfigured(NOT_SET_UP)
            open_count, latest = await repo.owner_activity(conn, actor.guild_id, actor.user_id)
            self._check_member_limits(open_count, config.max_open_tickets)
            self._check_cooldown(latest, config.cooldown_seconds, now)
            ai_on = (
                self._ai_configured
                and flags.is_on(Feature.AI)
                and chosen_priority is not Priority.URGENT
            )
            ticket = await repo.insert_ticket(
                conn,
                guild_id=actor.guild_id,
                owner_id=actor.user_id,
                subject=subject_text,
                message=message_text,
                priority=chosen_priority,
                department=chosen_department,
                ai_active=ai_on,
                now=now,
                thread_attempts=1 if claim_thread else 0,
                thread_retry_at=now + THREAD_LEASE if claim_thread else now,
            )
            # The opening message is the first reply, so the stored conversation is whole.
            await repo.insert_reply(
                conn,
                ticket_id=ticket.id,
                author_id=actor.user_id,
                author_kind=AuthorKind.MEMBER,
                body=message_text,
                message_id=None,
                now=now,
            )
            return ticket

        ticket = await self._db.write(work)
        log.info("ticket %s created in guild %s", ticket.id, ticket.guild_id)
        return ticket

    @staticmethod
    def _check_member_limits(open_count: int, cap: int) -> None:
        if open_count >= cap:
            raise LimitReached(
                f"You already have {open_count} open tickets here (the limit is {cap}). "
                "Add to one of them with `/ticket reply`, or close one with `/ticket close`; "
                "see them with `/ticket list`."
            )

    @staticmethod
    def _check_cooldown(latest: Ticket | None, cooldown: int, now: datetime) -> None:
        if cooldown <= 0 or latest is None:
            return
        waited = (now - latest.created_at).total_seconds()
        if waited < cooldown:
            left = max(1, round(cooldown - waited))
            raise LimitReached(
                f"You just opened ticket {latest.ref}. Add to it there, or wait {left} "
                "seconds before opening another one."
            )

    # -- its thread -------------------------------------------------------------------

    async def waiting_for_thread(
        self, guild_ids: Collection[int], *, limit: int = 20, due_only: bool = True
    ) -> list[Ticket]:
        """Tickets of these guilds waiting for their thread and due for an attempt, each
        taken for one attempt (held for THREAD_LEASE, counted in `thread_attempts`).

        Only the process that holds a guild asks for it. `due_only=False` (at start-up)
        takes them whatever their schedule: an attempt of this process's previous life
        holds no lease any more, and a restart is a good moment to try again.
        """
        if not guild_ids:
            return []
        now = self._clock.now()
        reader = self._db.reader
        if due_only and not await repo.any_waiting_due(reader, guild_ids, now):
            return []  # the usual case: no write at all
        return await self._db.write(
            lambda conn: repo.claim_waiting(
                conn,
                guild_ids,
                now=now,
                lease_until=now + THREAD_LEASE,
                limit=limit,
                due_only=due_only,
            )
        )

    async def still_waiting_for_thread(self, ticket_id: int) -> bool:
        ticket = await repo.get_ticket(self._db.reader, ticket_id)
        return ticket is not None and ticket.waiting_for_thread

    async def attach_thread(
        self, ticket_id: int, thread_id: int, opening_message_id: int | None = None
    ) -> Ticket | None:
        """The ticket's thread exists, with the member and the opening message: attach it.

        None when the ticket no longer waits for one (it was closed, discarded, or another
        attempt attached its thread first): the caller removes the thread it made.
        """

        async def work(conn: aiosqlite.Connection) -> Ticket | None:
            ticket = await repo.attach_thread(conn, ticket_id, thread_id)
            if ticket is None:
                return None
            # A thread's messages all have ids above the thread's own: nothing before it.
            await repo.advance_mirror(conn, thread_id, thread_id)
            if opening_message_id is not None:
                replies, _ = await repo.list_replies(conn, ticket_id, limit=1)
                if replies and replies[0].message_id is None:
                    await repo.set_reply_message(conn, replies[0].id, opening_message_id)
            return ticket

        ticket = await self._db.write(work)
        if ticket is not None:
            log.info("ticket %s has its thread %s", ticket_id, thread_id)
        return ticket

    async def thread_failed(self, ticket: Ticket, error: str) -> Ticket | None:
        """An attempt to make the ticket's thread failed: it waits on, and the next attempt
        is due after a pause that grows with the attempts. None if it waits no more."""
        retry_at = self._clock.now() + thread_retry_pause(ticket.thread_attempts)
        log.warning(
            "ticket %s: thread attempt %s failed (%s); next try at %s",
            ticket.id,
            ticket.thread_attempts,
            error,
            retry_at.isoformat(timespec="seconds"),
        )
        return await self._db.write(
            lambda conn: repo.thread_failed(conn, ticket.id, retry_at, error)
        )

    async def discard(self, ticket_id: int) -> None:
        """Remove a ticket whose thread could not be made, before its owner was ever told
        about it (shown its #id): nobody knows it exists. A ticket with a thread stays."""
        await self._db.write(lambda conn: repo.delete_waiting(conn, ticket_id))
        log.info("ticket %s discarded: its thread could not be created", ticket_id)

    # -- reading -----------------------------------------------------------------------

    async def get(self, actor: Actor, ticket_id: int) -> Ticket:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        return await self._load(self._db.reader, actor, ticket_id)

    async def by_thread(self, thread_id: int) -> Ticket | None:
        return await repo.get_ticket_by_thread(self._db.reader, thread_id)

    async def view(
        self, actor: Actor, ticket_id: int, *, page: int = 0, page_size: int = PAGE_SIZE
    ) -> tuple[Ticket, Page[Reply]]:
        ticket = await self.get(actor, ticket_id)
        page = clamp_page(page)
        replies, total = await repo.list_replies(
            self._db.reader, ticket.id, offset=page * page_size, limit=page_size
        )
        return ticket, Page(items=tuple(replies), page=page, page_size=page_size, total=total)

    async def all_replies(self, actor: Actor, ticket_id: int) -> tuple[Ticket, list[Reply]]:
        ticket = await self.get(actor, ticket_id)
        replies, _ = await repo.list_replies(self._db.reader, ticket.id)
        return ticket, replies

    async def list(
        self,
        actor: Actor,
        *,
        status: object = None,
        department: object = None,
        priority: object = None,
        page: int = 0,
        page_size: int = PAGE_SIZE,
    ) -> Page[Ticket]:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        status_filter = parse_choice("status", status, Status, None) if status else None
        department_filter = (
            parse_choice("department", department, Department, None) if department else None
        )
        priority_filter = parse_choice("priority", priority, Priority, None) if priority else None
        page = clamp_page(page)
        items, total = await repo.list_tickets(
            self._db.reader,
            guild_id=actor.guild_id,
            owner_id=None if is_staff(actor) else actor.user_id,
            status=status_filter,
            department=department_filter,
            priority=priority_filter,
            offset=page * page_size,
            limit=page_size,
        )
        return Page(items=tuple(items), page=page, page_size=page_size, total=total)

    async def stats(self, actor: Actor) -> TicketStats:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        if not is_staff(actor):
            raise Forbidden("Only staff can see ticket statistics.")
        by_status = dict.fromkeys(Status, 0)
        by_department = dict.fromkeys(Department, 0)
        by_priority = dict.fromkeys(Priority, 0)
        for status, department, priority, count in await repo.status_counts(
            self._db.reader, actor.guild_id
        ):
            by_status[Status(status)] += count
            by_department[Department(department)] += count
            by_priority[Priority(priority)] += count
        median = await repo.median_first_response(self._db.reader, actor.guild_id)
        ratings, average = await lifecycle_repo.rating_summary(self._db.reader, actor.guild_id)
        return TicketStats(
            by_status=by_status,
            by_department=by_department,
            by_priority=by_priority,
            median_first_response_seconds=median,
            ratings_count=ratings,
            average_rating=average,
        )

    # -- conversation ------------------------------------------------------------------

    async def reply(
        self,
        actor: Actor,
        ticket_id: int,
        body: object,
        attachments: Sequence[Attachment] = (),
    ) -> tuple[Ticket, Reply]:
        stored = await self.store_reply(actor, ticket_id, body, attachments)
        return stored.ticket, stored.reply

    async def store_reply(
        self,
        actor: Actor,
        ticket_id: int,
        body: object,
        attachments: Sequence[Attachment] = (),
    ) -> StoredReply:
        """A reply written through a command, stored before the front end posts it.

        The front end then attaches the posted message's id, or, when the post fails,
        calls `withdraw_reply`: stored first, the database never lacks a message that is
        in the thread, even if the bot stops between the two steps.
        """
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        text = clean_text("message", body, max_length=MESSAGE_MAX, multiline=True)
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> StoredReply:
            ticket = await self._load(conn, actor, ticket_id)
            if ticket.status is Status.CLOSED:
                next_status(ticket, Event.MEMBER_REPLY)  # raises the closed-ticket refusal
            kind = self._kind_for(actor, ticket)
            result = await self._add_reply(
                conn,
                ticket,
                author_id=actor.user_id,
                kind=kind,
                body=text,
                attachments=attachments,
                message_id=None,
                now=now,
            )
            assert result is not None  # no message id, so no conflict is possible
            return StoredReply(ticket=result[0], reply=result[1], before=ticket)

        return await self._db.write(work)

    async def withdraw_reply(self, stored: StoredReply) -> None:
        """Take back a reply that never reached the thread, with the status change it made.

        The status is restored only if nothing touched the ticket since; otherwise what
        happened later stands.
        """
        before = stored.before

        async def work(conn: aiosqlite.Connection) -> None:
            await repo.delete_reply(conn, stored.reply.id)
            current = await repo.get_ticket(conn, before.id)
            if current is None or current.updated_at != stored.ticket.updated_at:
                return
            await repo.update_ticket(
                conn,
                before.id,
                status=before.status,
                status_changed_at=before.status_changed_at,
                updated_at=before.updated_at,
                reminded_at=before.reminded_at,
                first_response_seconds=before.first_response_seconds,
                ai_active=before.ai_active,
            )

        await self._db.write(work)
        log.info(
            "reply %s to ticket %s withdrawn: it could not be posted", stored.reply.id, before.id
        )

    async def attach_message(self, reply_id: int, message_id: int) -> None:
        await self._db.write(lambda conn: repo.set_reply_message(conn, reply_id, message_id))

    async def record_message(
        self,
        *,
        thread_id: int,
        author_id: int,
        author_is_staff: bool,
        body: str,
        message_id: int,
        attachments: Sequence[Attachment] = (),
        created_at: datetime | None = None,
        mirrored: bool = False,
    ) -> tuple[Ticket, Reply] | None:
        """Mirror a message typed in a ticket thread; the same message twice stores one reply.

        `mirrored`: every earlier message of the thread is handled, so the thread counts as
        mirrored up to this one (see `mark_mirrored`), in the same transaction.
        """
        when = created_at or self._clock.now()

        async def work(conn: aiosqlite.Connection) -> tuple[Ticket, Reply] | None:
            ticket = await repo.get_ticket_by_thread(conn, thread_id)
            if ticket is None:
                return None
            if mirrored:
                await repo.advance_mirror(conn, thread_id, message_id)
            if author_id == ticket.owner_id:
                kind = AuthorKind.MEMBER
            else:
                kind = AuthorKind.STAFF if author_is_staff else AuthorKind.MEMBER
            return await self._add_reply(
                conn,
                ticket,
                author_id=author_id,
                kind=kind,
                body=body,
                attachments=attachments,
                message_id=message_id,
                now=when,
            )

        return await self._db.write(work)

    async def mark_mirrored(self, thread_id: int, message_id: int) -> None:
        """Every message of the ticket thread up to `message_id` is stored (or is the bot's).

        Catch-up after a new gateway session reads the thread's history after this mark, so
        it only moves over messages actually handled: never past a gap.
        """
        await self._db.write(lambda conn: repo.advance_mirror(conn, thread_id, message_id))

    async def record_edit(self, message_id: int, body: str) -> Reply | None:
        now = self._clock.now()
        return await self._db.write(lambda conn: repo.edit_reply(conn, message_id, body, now))

    async def add_system_note(
        self, ticket_id: int, body: str, message_id: int | None = None
    ) -> Reply:
        now = self._clock.now()

        async def work(conn: aiosqlite.Connection) -> Reply:
            reply = await repo.insert_reply(
                conn,
                ticket_id=ticket_id,
                author_id=0,
                author_kind=AuthorKind.SYSTEM,
                body=body,
                message_id=message_id,
                now=now,
            )
            assert reply is not None
            return reply

        return await self._db.write(work)

    async def unclosed_threads(self, guild_id: int) -> list[tuple[int, int]]:
        """(ticket id, thread id) of the guild's unclosed tickets, e.g. to find those whose
        threads went with a deleted channel."""
        return await repo.unclosed_threads(self._db.reader, guild_id)

    async def live_threads(
        self, *, after_id: int = 0, limit: int = 500
    ) -> list[tuple[int, int, int | None]]:
        """A page of (ticket id, thread id, mirrored up to) for unclosed tickets."""
        return await repo.live_threads(self._db.reader, after_id=after_id, limit=limit)
