"""Tickets and replies in memory (core.ports.tickets)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from core.models import (
    Attachment,
    AuthorKind,
    Department,
    Priority,
    Reply,
    Status,
    Ticket,
)
from core.ports import LiveThread, TicketChanges
from tests.fakes.store.data import MemoryRepository
from tests.fakes.store.thread_waits import MemoryThreadWaits


class MemoryTickets(MemoryThreadWaits):
    async def get(self, ticket_id: int) -> Ticket | None:
        return self._data.tickets.get(ticket_id)

    async def by_thread(self, thread_id: int) -> Ticket | None:
        return next((t for t in self._data.tickets.values() if t.thread_id == thread_id), None)

    async def owner_activity(self, guild_id: int, owner_id: int) -> tuple[int, Ticket | None]:
        mine = [
            t
            for t in self._data.tickets.values()
            if (t.guild_id, t.owner_id) == (guild_id, owner_id)
        ]
        unclosed = sum(t.status is not Status.CLOSED for t in mine)
        return unclosed, max(mine, key=lambda t: t.id, default=None)

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
        wanted = {"owner_id": owner_id, "status": status, "department": department}
        wanted["priority"] = priority
        found = [
            t
            for t in self._data.tickets.values()
            if t.guild_id == guild_id
            and all(v is None or getattr(t, k) == v for k, v in wanted.items())
        ]
        found.sort(key=lambda t: -t.id)
        return found[offset : offset + limit], len(found)

    async def status_counts(self, guild_id: int) -> list[tuple[Status, Department, Priority, int]]:
        counts = Counter(
            (t.status, t.department, t.priority)
            for t in self._data.tickets.values()
            if t.guild_id == guild_id
        )
        return [(*key, n) for key, n in counts.items()]

    async def median_first_response(self, guild_id: int) -> float | None:
        values = [
            t.first_response_seconds
            for t in self._data.tickets.values()
            if t.guild_id == guild_id and t.first_response_seconds is not None
        ]
        return statistics.median(values) if values else None

    async def first_responses(self, guild_id: int, since: datetime) -> list[tuple[datetime, float]]:
        return sorted(
            (t.created_at, t.first_response_seconds)
            for t in self._data.tickets.values()
            if t.guild_id == guild_id
            and t.first_response_seconds is not None
            and t.created_at >= since
        )

    async def live_threads(
        self, *, after_id: int, limit: int, guild_ids: Collection[int] | None = None
    ) -> list[LiveThread]:
        live = sorted(
            (
                t
                for t in self._data.tickets.values()
                if self._live(t)
                and t.id > after_id
                and (guild_ids is None or t.guild_id in guild_ids)
            ),
            key=lambda t: t.id,
        )[:limit]
        return [(t.id, t.thread_id or 0, self._mirrored_to(t.id)) for t in live]

    def _mirrored_to(self, ticket_id: int) -> int | None:
        if ticket_id in self._data.mirrored_to:
            return self._data.mirrored_to[ticket_id]
        ids = [
            r.message_id
            for r in self._data.replies.values()
            if r.ticket_id == ticket_id and r.message_id is not None
        ]
        return max(ids, default=None)

    @staticmethod
    def _live(ticket: Ticket) -> bool:
        return ticket.status is not Status.CLOSED and ticket.thread_id is not None

    async def unclosed_threads(self, guild_id: int) -> list[tuple[int, int]]:
        return [
            (t.id, t.thread_id or 0)
            for t in sorted(self._data.tickets.values(), key=lambda t: t.id)
            if t.guild_id == guild_id and self._live(t)
        ]

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
        ticket = Ticket(
            id=self._data.new_id("tickets"),
            guild_id=guild_id,
            owner_id=owner_id,
            subject=subject,
            message=message,
            status=Status.OPEN,
            priority=priority,
            department=department,
            thread_id=None,
            claimed_by=None,
            ai_active=ai_active,
            ai_replies=0,
            first_response_seconds=None,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
            reminded_at=None,
            closed_at=None,
            closed_by=None,
            close_reason=None,
            thread_attempts=thread_attempts,
            thread_retry_at=thread_retry_at or now,
        )
        self._data.tickets[ticket.id] = ticket
        return ticket

    async def update(self, ticket_id: int, **changes: Any) -> Ticket:
        unknown = set(changes) - TicketChanges.__optional_keys__
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        current = self._data.tickets.get(ticket_id)
        if current is None:
            raise LookupError(f"ticket {ticket_id} vanished")
        thread_id = changes.get("thread_id")
        if thread_id is not None and any(
            t.thread_id == thread_id and t.id != ticket_id for t in self._data.tickets.values()
        ):
            raise ValueError(f"thread {thread_id} already belongs to a ticket")  # UNIQUE
        updated = current.model_copy(update=changes)
        self._data.tickets[ticket_id] = updated
        return updated

    async def delete(self, ticket_id: int) -> None:
        self._data.delete_ticket(ticket_id)

    async def advance_mirror(self, thread_id: int, message_id: int) -> None:
        ticket = await self.by_thread(thread_id)
        if ticket is not None and self._data.mirrored_to.get(ticket.id, -1) < message_id:
            self._data.mirrored_to[ticket.id] = message_id


class MemoryReplies(MemoryRepository):
    async def page(
        self, ticket_id: int, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[Reply], int]:
        found = sorted(
            (r for r in self._data.replies.values() if r.ticket_id == ticket_id),
            key=lambda r: r.id,
        )
        end = None if limit is None else offset + limit
        return found[offset:end], len(found)

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
        if ticket_id not in self._data.tickets:
            raise LookupError(f"ticket {ticket_id} does not exist")  # the foreign key
        if message_id is not None and self._by_message(message_id) is not None:
            return None
        reply = Reply(
            id=self._data.new_id("replies"),
            ticket_id=ticket_id,
            author_id=author_id,
            author_kind=author_kind,
            body=body,
            attachments=tuple(attachments),
            message_id=message_id,
            created_at=now,
            edited_at=None,
        )
        self._data.replies[reply.id] = reply
        return reply

    def _by_message(self, message_id: int) -> Reply | None:
        return next((r for r in self._data.replies.values() if r.message_id == message_id), None)

    async def set_message(self, reply_id: int, message_id: int) -> None:
        if reply_id in self._data.replies:
            reply = self._data.replies[reply_id]
            self._data.replies[reply_id] = reply.model_copy(update={"message_id": message_id})

    async def delete(self, reply_id: int) -> None:
        self._data.replies.pop(reply_id, None)

    async def edit(self, message_id: int, body: str, now: datetime) -> Reply | None:
        reply = self._by_message(message_id)
        if reply is None or self._data.tickets[reply.ticket_id].status is Status.CLOSED:
            return None
        edited = reply.model_copy(update={"body": body, "edited_at": now})
        self._data.replies[reply.id] = edited
        return edited
