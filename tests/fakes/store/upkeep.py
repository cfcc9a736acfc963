"""Inactivity, close work, feedback and AI usage in memory (core.ports.upkeep)."""

from __future__ import annotations

import statistics
from collections.abc import Collection
from datetime import datetime, timedelta

from core.models import (
    ClosePart,
    CloseWork,
    Feature,
    Status,
    Ticket,
)
from tests.fakes.store.data import MemoryRepository
from tests.fakes.store.tickets import MemoryTickets


def _held(guild_id: int, guild_ids: Collection[int] | None) -> bool:
    return guild_ids is None or guild_id in guild_ids


class MemoryInactivity(MemoryRepository):
    def _due(
        self,
        now: datetime,
        limit: int,
        *,
        reminded: bool,
        guild_ids: Collection[int] | None = None,
    ) -> list[Ticket]:
        data = self._data
        due = []
        for ticket in sorted(data.tickets.values(), key=lambda t: t.id):
            if ticket.status is not Status.PENDING or not data.flag(
                ticket.guild_id, Feature.TICKETING
            ):
                continue
            if not _held(ticket.guild_id, guild_ids):
                continue
            if reminded and ticket.reminded_at is not None:
                hours = data.setting(ticket.guild_id, "autoclose_hours")
                if ticket.reminded_at <= now - timedelta(hours=hours):
                    due.append(ticket)
            elif not reminded and ticket.reminded_at is None:
                hours = data.setting(ticket.guild_id, "reminder_hours")
                if ticket.status_changed_at <= now - timedelta(hours=hours):
                    due.append(ticket)
        return due[:limit]

    async def due_for_reminder(
        self, now: datetime, limit: int = 500, *, guild_ids: Collection[int] | None = None
    ) -> list[Ticket]:
        return self._due(now, limit, reminded=False, guild_ids=guild_ids)

    async def due_for_close(
        self, now: datetime, limit: int = 500, *, guild_ids: Collection[int] | None = None
    ) -> list[Ticket]:
        return self._due(now, limit, reminded=True, guild_ids=guild_ids)

    async def mark_reminded(self, ticket: Ticket, now: datetime) -> bool:
        current = self._data.tickets.get(ticket.id)
        if (
            current is None
            or current.status is not Status.PENDING
            or current.reminded_at is not None
            or current.status_changed_at != ticket.status_changed_at
        ):
            return False
        self._data.tickets[ticket.id] = current.model_copy(update={"reminded_at": now})
        return True

    async def close_if_due(self, ticket_id: int, now: datetime, reason: str) -> Ticket | None:
        if not any(
            t.id == ticket_id for t in self._due(now, len(self._data.tickets), reminded=True)
        ):
            return None
        return await MemoryTickets(self._box).update(
            ticket_id,
            status=Status.CLOSED,
            status_changed_at=now,
            updated_at=now,
            closed_at=now,
            closed_by=0,
            close_reason=reason,
            ai_active=False,
        )


class MemoryCloseWork(MemoryRepository):
    async def get(self, ticket_id: int) -> CloseWork | None:
        entry = self._data.close_work.get(ticket_id)
        return None if entry is None else entry[0]

    def _of_held(self, work: CloseWork, guild_ids: Collection[int] | None) -> bool:
        ticket = self._data.tickets.get(work.ticket_id)
        return guild_ids is None or (ticket is not None and ticket.guild_id in guild_ids)

    async def any_due(self, now: datetime, *, guild_ids: Collection[int] | None = None) -> bool:
        return any(
            work.due_at <= now and self._of_held(work, guild_ids)
            for work, _ in self._data.close_work.values()
        )

    async def add(self, ticket_id: int, due_at: datetime) -> None:
        work = CloseWork(ticket_id=ticket_id, done=ClosePart(0), attempts=1, due_at=due_at)
        self._data.close_work[ticket_id] = (work, None)

    async def cancel(self, ticket_id: int) -> None:
        self._data.close_work.pop(ticket_id, None)

    async def claim_due(
        self,
        now: datetime,
        lease_until: datetime,
        limit: int,
        *,
        guild_ids: Collection[int] | None = None,
    ) -> list[CloseWork]:
        due = sorted(
            (
                w
                for w, _ in self._data.close_work.values()
                if w.due_at <= now and self._of_held(w, guild_ids)
            ),
            key=lambda w: w.due_at,
        )[:limit]
        claimed = []
        for work in due:
            taken = work.model_copy(update={"due_at": lease_until, "attempts": work.attempts + 1})
            self._data.close_work[work.ticket_id] = (
                taken,
                self._data.close_work[work.ticket_id][1],
            )
            claimed.append(taken)
        return sorted(claimed, key=lambda w: w.ticket_id)

    async def mark_done(self, ticket_id: int, part: int, every: int) -> bool:
        entry = self._data.close_work.get(ticket_id)
        if entry is None:
            return False
        done = ClosePart(entry[0].done | part)
        if done & every == every:
            await self.cancel(ticket_id)
        else:
            self._data.close_work[ticket_id] = (
                entry[0].model_copy(update={"done": done}),
                entry[1],
            )
        return True

    async def retry_at(self, ticket_id: int, due_at: datetime, error: str) -> None:
        entry = self._data.close_work.get(ticket_id)
        if entry is not None:
            self._data.close_work[ticket_id] = (
                entry[0].model_copy(update={"due_at": due_at}),
                error[:500],
            )


class MemoryFeedback(MemoryRepository):
    async def of(self, ticket_id: int) -> tuple[int, str | None] | None:
        entry = self._data.feedback.get(ticket_id)
        return None if entry is None else (entry[2], entry[3])

    async def rating_summary(self, guild_id: int) -> tuple[int, float | None]:
        ratings = [rating for g, _, rating, _ in self._data.feedback.values() if g == guild_id]
        return (len(ratings), statistics.fmean(ratings)) if ratings else (0, None)

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
        entry = self._data.feedback.get(ticket_id)
        if rating is not None:
            kept = comment if comment is not None else (entry[3] if entry else None)
            owner = (entry[0], entry[1]) if entry else (guild_id, user_id)
            self._data.feedback[ticket_id] = (*owner, rating, kept)
        elif entry is not None:
            self._data.feedback[ticket_id] = (entry[0], entry[1], entry[2], comment)


class MemoryAIUsage(MemoryRepository):
    async def reserve_daily_answer(self, guild_id: int, day: str, cap: int) -> bool:
        used = self._data.ai_usage.get((guild_id, day), 0)
        if cap <= 0 or used >= cap:
            return False
        self._data.ai_usage[(guild_id, day)] = used + 1
        return True
