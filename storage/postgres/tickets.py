"""Tickets and replies on PostgreSQL (core.ports.tickets): SQL in, frozen models out.

Race-freedom, rule by rule (each kept by PostgreSQL itself, so it holds across processes):
- a member's open-ticket cap and cooldown, and double-clicked creates: `owner_activity`
  inside a unit of work first takes pg_advisory_xact_lock on (guild, member); a second
  create of the same member waits there until the first commits, then counts its ticket.
- a ticket read for a decision inside a unit of work (a transition, the AI's per-ticket
  count, a withdrawn reply) is locked with SELECT ... FOR NO KEY UPDATE until commit, so
  two units changing one ticket run one after the other and neither update is lost.
- one stored reply per Discord message: the unique partial index replies_message and
  INSERT ... ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Unpack

from core.models import Attachment, AuthorKind, Department, Priority, Reply, Status, Ticket
from core.ports.tickets import LiveThread, TicketChanges
from storage.histogram import middle_of
from storage.postgres.held_guilds import guild_list, held_guilds
from storage.postgres.rows import Repository
from storage.postgres.thread_waits import PgThreadWaits
from storage.postgres.ticket_rows import ticket_from_row

UPDATABLE = TicketChanges.__optional_keys__


def reply_from_row(row: Any) -> Reply:
    return Reply(
        id=row["id"],
        ticket_id=row["ticket_id"],
        author_id=row["author_id"],
        author_kind=AuthorKind(row["author_kind"]),
        body=row["body"],
        attachments=tuple(Attachment(**item) for item in json.loads(row["attachments"])),
        message_id=row["message_id"],
        created_at=row["created_at"],
        edited_at=row["edited_at"],
    )


class PgTickets(PgThreadWaits):
    """core.ports.TicketRepository (and TicketReads, on the pool)."""

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
        row = await self._db.fetchrow(
            "INSERT INTO tickets (guild_id, owner_id, subject, message, status, priority,"
            " department, ai_active, created_at, updated_at, status_changed_at,"
            " thread_attempts, thread_retry_at)"
            " VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $8, $8, $9, $10) RETURNING *",
            guild_id,
            owner_id,
            subject,
            message,
            priority,
            department,
            ai_active,
            now,
            thread_attempts,
            thread_retry_at or now,
        )
        return ticket_from_row(row)

    async def update(self, ticket_id: int, **changes: Unpack[TicketChanges]) -> Ticket:
        unknown = set(changes) - UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        assignments = ", ".join(f"{column} = ${n}" for n, column in enumerate(changes, 2))
        row = await self._db.fetchrow(
            f"UPDATE tickets SET {assignments} WHERE id = $1 RETURNING *",
            ticket_id,
            *changes.values(),
        )
        if row is None:
            raise LookupError(f"ticket {ticket_id} vanished")
        return ticket_from_row(row)

    async def delete(self, ticket_id: int) -> None:
        await self._db.execute("DELETE FROM tickets WHERE id = $1", ticket_id)

    async def get(self, ticket_id: int) -> Ticket | None:
        row = await self._db.fetchrow(
            "SELECT * FROM tickets WHERE id = $1" + self._locking("FOR NO KEY UPDATE"), ticket_id
        )
        return None if row is None else ticket_from_row(row)

    async def by_thread(self, thread_id: int) -> Ticket | None:
        row = await self._db.fetchrow(
            "SELECT * FROM tickets WHERE thread_id = $1" + self._locking("FOR NO KEY UPDATE"),
            thread_id,
        )
        return None if row is None else ticket_from_row(row)

    async def owner_activity(self, guild_id: int, owner_id: int) -> tuple[int, Ticket | None]:
        # The lock is its own statement: a READ COMMITTED statement sees what committed
        # before it began, so the count must start after the lock is held.
        await self._advisory_lock("ticket-owner:%s:%s", guild_id, owner_id)
        row = await self._db.fetchrow(
            "SELECT counted.unclosed, latest.* FROM (SELECT COUNT(*) AS unclosed FROM tickets"
            " WHERE guild_id = $1 AND owner_id = $2 AND status <> 'closed') AS counted"
            " LEFT JOIN LATERAL (SELECT * FROM tickets WHERE guild_id = $1 AND owner_id = $2"
            " ORDER BY id DESC LIMIT 1) AS latest ON true",
            guild_id,
            owner_id,
        )
        latest = None if row["id"] is None else ticket_from_row(row)
        return row["unclosed"], latest

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
        where, params = ["guild_id = $1"], [guild_id]
        for column, value in (
            ("owner_id", owner_id),
            ("status", status),
            ("department", department),
            ("priority", priority),
        ):
            if value is not None:
                params.append(value)
                where.append(f"{column} = ${len(params)}")
        clause = " AND ".join(where)
        n = len(params)
        if owner_id is None:
            # Every filter left is a column of ticket_counts, kept exact by triggers.
            counted = f"SELECT COALESCE(SUM(n), 0) AS page_total FROM ticket_counts WHERE {clause}"
        else:
            counted = f"SELECT COUNT(*) AS page_total FROM tickets WHERE {clause}"
        # The count and the page in one round trip (and one snapshot); a page past the end
        # is the one row of the count, its ticket columns NULL.
        rows = await self._db.fetch(
            f"SELECT counted.page_total, page.* FROM ({counted}) AS counted LEFT JOIN LATERAL"
            f" (SELECT * FROM tickets WHERE {clause} ORDER BY id DESC"
            f" LIMIT ${n + 1} OFFSET ${n + 2}) AS page ON true ORDER BY page.id DESC",
            *params,
            limit,
            offset,
        )
        tickets = [ticket_from_row(row) for row in rows if row["id"] is not None]
        return tickets, int(rows[0]["page_total"])

    async def status_counts(self, guild_id: int) -> list[tuple[Status, Department, Priority, int]]:
        rows = await self._db.fetch(
            "SELECT status, department, priority, n FROM ticket_counts"
            " WHERE guild_id = $1 AND n > 0",
            guild_id,
        )
        return [(Status(row[0]), Department(row[1]), Priority(row[2]), row[3]) for row in rows]

    async def median_first_response(self, guild_id: int) -> float | None:
        # The histogram of migration 0014, kept by a trigger (storage/histogram.py).
        buckets = await self._db.fetch(
            "SELECT lo, n FROM response_histogram WHERE guild_id = $1 AND n > 0 ORDER BY lo",
            guild_id,
        )
        middle = middle_of([(row[0], row[1]) for row in buckets])
        if middle is None:
            return None
        rows = await self._db.fetch(
            "SELECT first_response_seconds FROM tickets"
            " WHERE guild_id = $1 AND first_response_seconds IS NOT NULL"
            " AND first_response_seconds >= $2"
            " ORDER BY first_response_seconds LIMIT $3 OFFSET $4",
            guild_id,
            middle.lo,
            middle.limit,
            middle.offset,
        )
        values = [row[0] for row in rows]
        return sum(values) / len(values)

    async def live_threads(
        self, *, after_id: int, limit: int, guild_ids: Collection[int] | None = None
    ) -> list[LiveThread]:
        """(ticket id, thread id, mirrored up to) of unclosed tickets with a thread, paged
        by id along the partial index tickets_live."""
        rows = await self._db.fetch(
            "SELECT id, thread_id, COALESCE(mirrored_to,"
            " (SELECT MAX(message_id) FROM replies WHERE ticket_id = tickets.id))"
            " FROM tickets WHERE status <> 'closed' AND thread_id IS NOT NULL AND id > $1"
            f" AND {held_guilds('guild_id', 3)} ORDER BY id LIMIT $2",
            after_id,
            limit,
            guild_list(guild_ids),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def first_responses(self, guild_id: int, since: datetime) -> list[tuple[datetime, float]]:
        # The partial index of migration 0011 holds exactly these rows, by opening time.
        rows = await self._db.fetch(
            "SELECT created_at, first_response_seconds FROM tickets"
            " WHERE guild_id = $1 AND first_response_seconds IS NOT NULL AND created_at >= $2"
            " ORDER BY created_at",
            guild_id,
            since,
        )
        return [(row[0], float(row[1])) for row in rows]

    async def unclosed_threads(self, guild_id: int) -> list[tuple[int, int]]:
        rows = await self._db.fetch(
            "SELECT id, thread_id FROM tickets WHERE guild_id = $1 AND status <> 'closed'"
            " AND thread_id IS NOT NULL ORDER BY id",
            guild_id,
        )
        return [(row[0], row[1]) for row in rows]

    async def advance_mirror(self, thread_id: int, message_id: int) -> None:
        # One conditional UPDATE: the row lock it takes makes "never moves back" hold
        # between racing units (the condition is checked again on the newest row).
        await self._db.execute(
            "UPDATE tickets SET mirrored_to = $2 WHERE thread_id = $1"
            " AND (mirrored_to IS NULL OR mirrored_to < $2)",
            thread_id,
            message_id,
        )


class PgReplies(Repository):
    """core.ports.ReplyRepository (and ReplyReads, on the pool)."""

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
        row = await self._db.fetchrow(
            "INSERT INTO replies (ticket_id, author_id, author_kind, body, attachments,"
            " message_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " ON CONFLICT (message_id) WHERE message_id IS NOT NULL DO NOTHING RETURNING *",
            ticket_id,
            author_id,
            author_kind,
            body,
            json.dumps([a.model_dump() for a in attachments]),
            message_id,
            now,
        )
        return None if row is None else reply_from_row(row)

    async def set_message(self, reply_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE replies SET message_id = $2 WHERE id = $1", reply_id, message_id
        )

    async def delete(self, reply_id: int) -> None:
        await self._db.execute("DELETE FROM replies WHERE id = $1", reply_id)

    async def edit(self, message_id: int, body: str, now: datetime) -> Reply | None:
        row = await self._db.fetchrow(
            "UPDATE replies SET body = $2, edited_at = $3 WHERE message_id = $1 AND NOT EXISTS"
            " (SELECT 1 FROM tickets WHERE tickets.id = replies.ticket_id"
            " AND tickets.status = 'closed') RETURNING *",
            message_id,
            body,
            now,
        )
        return None if row is None else reply_from_row(row)

    async def page(
        self, ticket_id: int, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[Reply], int]:
        rows = await self._db.fetch(
            "SELECT * FROM replies WHERE ticket_id = $1 ORDER BY id LIMIT $2 OFFSET $3",
            ticket_id,
            limit,  # NULL: no limit
            offset,
        )
        total = await self._db.fetchval(
            "SELECT COUNT(*) FROM replies WHERE ticket_id = $1", ticket_id
        )
        return [reply_from_row(row) for row in rows], int(total)
