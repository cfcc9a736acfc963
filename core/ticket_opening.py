"""Opening a ticket: the member's limits, the ticket and its first reply."""

from __future__ import annotations

import logging
from datetime import datetime

from core.blocks import ensure_not_blocked
from core.clock import Clock
from core.errors import LimitReached, NotConfigured
from core.guilds import GuildService, ensure_enabled
from core.models import (
    Actor,
    AuthorKind,
    Department,
    Feature,
    Priority,
    Ticket,
)
from core.ports import Store, UnitOfWork
from core.support_hours import outside_hours
from core.ticket_rules import remember_language
from core.ticket_threads import THREAD_LEASE
from core.validation import (
    MESSAGE_MAX,
    SUBJECT_MAX,
    clean_text,
    parse_choice,
)

log = logging.getLogger(__name__)


class TicketOpening:
    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

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

        The process holding the guild attaches the thread (core/ticket_threads.py).
        `claim_thread`: the caller makes the first attempt itself, right now, so the
        ticket is not due for anyone else until THREAD_LEASE has passed.
        """
        subject_text = clean_text("subject", subject, max_length=SUBJECT_MAX, multiline=False)
        message_text = clean_text("message", message, max_length=MESSAGE_MAX, multiline=True)
        chosen_priority = parse_choice("priority", priority, Priority, Priority.MEDIUM)
        chosen_department = parse_choice(
            "department", department, Department, Department.TECHNICAL_SUPPORT
        )
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Ticket:
            # Read the rules inside the unit of work so racing creates see each other.
            flags = await uow.guilds.flags(actor.guild_id)
            ensure_enabled(flags, Feature.TICKETING)
            config = await uow.guilds.config(actor.guild_id)
            if not config.is_set_up:
                raise NotConfigured("ticket.not_set_up")
            await ensure_not_blocked(uow.blocks, actor)
            open_count, latest = await uow.tickets.owner_activity(actor.guild_id, actor.user_id)
            self._check_member_limits(open_count, config.max_open_tickets)
            self._check_cooldown(latest, config.cooldown_seconds, now)
            ai_on = self._guilds.ai_on(flags) and chosen_priority is not Priority.URGENT
            ticket = await uow.tickets.insert(
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
            await uow.replies.insert(
                ticket_id=ticket.id,
                author_id=actor.user_id,
                author_kind=AuthorKind.MEMBER,
                body=message_text,
                message_id=None,
                now=now,
            )
            if await outside_hours(uow, actor.guild_id, now):  # for the statistics
                await uow.support_hours.mark_opened_outside(ticket.id)
            return await remember_language(uow, ticket, actor)

        ticket = await self._store.write(work)
        log.info("ticket %s created in guild %s", ticket.id, ticket.guild_id)
        return ticket

    @staticmethod
    def _check_member_limits(open_count: int, cap: int) -> None:
        if open_count >= cap:
            raise LimitReached("ticket.open_limit", open_count=open_count, limit=cap)

    @staticmethod
    def _check_cooldown(latest: Ticket | None, cooldown: int, now: datetime) -> None:
        if cooldown <= 0 or latest is None:
            return
        waited = (now - latest.created_at).total_seconds()
        if waited < cooldown:
            left = max(1, round(cooldown - waited))
            raise LimitReached("ticket.cooldown", ticket_id=latest.id, seconds=left)
