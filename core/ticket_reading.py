"""Reading tickets: one ticket, its conversation, lists and statistics (committed data)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from core.clock import Clock
from core.guilds import GuildService
from core.models import (
    Actor,
    DailyResponse,
    Department,
    Feature,
    Page,
    Priority,
    Reply,
    Status,
    Ticket,
    TicketStats,
)
from core.policy import is_staff, require_staff
from core.ports import LiveThread, Store
from core.ticket_rules import load_ticket
from core.validation import clamp_page, parse_choice

PAGE_SIZE = 10
HISTORY_DAYS_MAX = 366


class TicketReading:
    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

    async def require_enabled(self, guild_id: int) -> None:
        """Refuse when ticketing is off in the guild, so a front end can refuse before a
        member types anything (the operations check it again themselves)."""
        await self._guilds.require_feature(guild_id, Feature.TICKETING)

    async def get(self, actor: Actor, ticket_id: int) -> Ticket:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        reads = self._store.reads
        return await load_ticket(reads.tickets, actor, ticket_id, reads.participants)

    async def by_thread(self, thread_id: int) -> Ticket | None:
        return await self._store.reads.tickets.by_thread(thread_id)

    async def view(
        self, actor: Actor, ticket_id: int, *, page: int = 0, page_size: int = PAGE_SIZE
    ) -> tuple[Ticket, Page[Reply]]:
        ticket = await self.get(actor, ticket_id)
        page = clamp_page(page)
        replies, total = await self._store.reads.replies.page(
            ticket.id, offset=page * page_size, limit=page_size
        )
        return ticket, Page(items=tuple(replies), page=page, page_size=page_size, total=total)

    async def all_replies(self, actor: Actor, ticket_id: int) -> tuple[Ticket, list[Reply]]:
        ticket = await self.get(actor, ticket_id)
        replies, _ = await self._store.reads.replies.page(ticket.id)
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
        if is_staff(actor):
            items, total = await self._store.reads.tickets.page(
                guild_id=actor.guild_id,
                owner_id=None,
                status=status_filter,
                department=department_filter,
                priority=priority_filter,
                offset=page * page_size,
                limit=page_size,
            )
        else:  # their own tickets and those staff added them to
            items, total = await self._store.reads.participants.member_page(
                guild_id=actor.guild_id,
                user_id=actor.user_id,
                status=status_filter,
                department=department_filter,
                priority=priority_filter,
                offset=page * page_size,
                limit=page_size,
            )
        return Page(items=tuple(items), page=page, page_size=page_size, total=total)

    async def stats(self, actor: Actor) -> TicketStats:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        require_staff(actor, "staff_only.stats")
        reads = self._store.reads
        by_status = dict.fromkeys(Status, 0)
        by_department = dict.fromkeys(Department, 0)
        by_priority = dict.fromkeys(Priority, 0)
        for status, department, priority, count in await reads.tickets.status_counts(
            actor.guild_id
        ):
            by_status[status] += count
            by_department[department] += count
            by_priority[priority] += count
        median = await reads.tickets.median_first_response(actor.guild_id)
        ratings, average = await reads.feedback.rating_summary(actor.guild_id)
        outside_hours = await reads.support_hours.opened_outside(actor.guild_id)
        return TicketStats(
            by_status=by_status,
            by_department=by_department,
            by_priority=by_priority,
            median_first_response_seconds=median,
            ratings_count=ratings,
            average_rating=average,
            opened_outside_hours=outside_hours,
        )

    async def response_history(self, actor: Actor, days: int = 30) -> list[DailyResponse]:
        """Staff: the median first-response time of the tickets opened on each of the last
        `days` days (today included, UTC), oldest first; a day without answers has None."""
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        require_staff(actor, "staff_only.stats")
        days = max(1, min(days, HISTORY_DAYS_MAX))
        first_day = self._clock.now().astimezone(UTC).date() - timedelta(days=days - 1)
        since = datetime.combine(first_day, time.min, tzinfo=UTC)
        by_day: dict[date, list[float]] = defaultdict(list)
        answered = await self._store.reads.tickets.first_responses(actor.guild_id, since)
        for opened, seconds in answered:
            by_day[opened.astimezone(UTC).date()].append(seconds)
        history = []
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            values = by_day.get(day, [])
            median = statistics.median(values) if values else None
            history.append(DailyResponse(day=day, answered=len(values), median_seconds=median))
        return history

    async def unclosed_threads(self, guild_id: int) -> list[tuple[int, int]]:
        """(ticket id, thread id) of the guild's unclosed tickets, e.g. to find those whose
        threads went with a deleted channel."""
        return await self._store.reads.tickets.unclosed_threads(guild_id)

    async def live_threads(
        self, *, after_id: int = 0, limit: int = 500, guild_ids: Collection[int] | None = None
    ) -> list[LiveThread]:
        """A page of (ticket id, thread id, mirrored up to) for unclosed tickets; of
        `guild_ids` only when given (the guilds of one shard)."""
        return await self._store.reads.tickets.live_threads(
            after_id=after_id, limit=limit, guild_ids=guild_ids
        )
