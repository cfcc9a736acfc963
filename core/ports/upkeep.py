"""Ports for what happens around a ticket's life: inactivity sweeps, the Discord side of
closes still to do, members' feedback, and the AI's daily usage."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from core.models import CloseWork, Ticket


class InactivityReads(Protocol):
    """The sweeps' questions. Each guild's own hours decide what is due, and a guild that
    switched ticketing off is left out (its desk is paused).

    `guild_ids` (here and in `CloseWorkReads`, `TicketReads.live_threads`): only tickets
    of these guilds, the ones this process holds when the desk runs as several shard
    processes (core/shards.py); filtered in the query, so no process ever sees, let alone
    touches, another's tickets. None: every guild (one process holds them all). An empty
    collection: none.
    """

    async def due_for_reminder(
        self, now: datetime, limit: int = 500, *, guild_ids: Collection[int] | None = None
    ) -> list[Ticket]:
        """Pending tickets whose member has been quiet for their guild's reminder hours."""
        ...

    async def due_for_close(
        self, now: datetime, limit: int = 500, *, guild_ids: Collection[int] | None = None
    ) -> list[Ticket]:
        """Reminded pending tickets still without a reply after their guild's auto-close
        hours."""
        ...


class InactivityRepository(InactivityReads, Protocol):
    async def mark_reminded(self, ticket: Ticket, now: datetime) -> bool:
        """Record the reminder just sent; False if the ticket moved since it was picked."""
        ...

    async def close_if_due(self, ticket_id: int, now: datetime, reason: str) -> Ticket | None:
        """Auto-close (closed by 0, AI off) only if still due at `now`; None if not."""
        ...


class CloseWorkReads(Protocol):
    async def get(self, ticket_id: int) -> CloseWork | None: ...

    async def any_due(self, now: datetime, *, guild_ids: Collection[int] | None = None) -> bool:
        """Whether a close of these guilds' tickets (None: any) is due by `now`."""
        ...


class CloseWorkRepository(CloseWorkReads, Protocol):
    async def add(self, ticket_id: int, due_at: datetime) -> None:
        """Everything still to do; the first attempt runs at once, so it counts as attempt 1."""
        ...

    async def cancel(self, ticket_id: int) -> None: ...

    async def claim_due(
        self,
        now: datetime,
        lease_until: datetime,
        limit: int,
        *,
        guild_ids: Collection[int] | None = None,
    ) -> list[CloseWork]:
        """Take the due rows (of these guilds' tickets; None: any) for one attempt each, by
        ticket id: they are not due again until `lease_until`."""
        ...

    async def mark_done(self, ticket_id: int, part: int, every: int) -> bool:
        """Record one part as done (the record goes once `every` part is); False if there
        is no record (the close was undone)."""
        ...

    async def retry_at(self, ticket_id: int, due_at: datetime, error: str) -> None: ...


class FeedbackReads(Protocol):
    async def of(self, ticket_id: int) -> tuple[int, str | None] | None:
        """(rating, comment) of a ticket, None if not rated."""
        ...

    async def rating_summary(self, guild_id: int) -> tuple[int, float | None]:
        """How many ratings the guild has, and their average."""
        ...


class FeedbackRepository(FeedbackReads, Protocol):
    async def upsert(
        self,
        *,
        ticket_id: int,
        guild_id: int,
        user_id: int,
        rating: int | None,
        comment: str | None,
        now: datetime,
    ) -> None:
        """A rating (keeping an earlier comment unless a new one is given), or with
        `rating` None a comment on an existing rating."""
        ...


class AIUsageRepository(Protocol):
    async def reserve_daily_answer(self, guild_id: int, day: str, cap: int) -> bool:
        """Count one AI request for the guild on `day` unless `cap` is reached; True if
        counted."""
        ...
