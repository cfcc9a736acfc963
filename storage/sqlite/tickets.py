"""Tickets and replies on SQLite (core.ports.tickets): SQL in, frozen models out."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Unpack

from core.models import (
    Attachment,
    AuthorKind,
    Department,
    Priority,
    Reply,
    Status,
    Ticket,
)
from core.ports.tickets import LiveThread, TicketChanges
from storage.histogram import middle_of
from storage.sqlite.held_guilds import held_guilds
from storage.sqlite.rows import (
    Repository,
    fetch_all,
    fetch_one,
    fetch_value,
    from_db_time,
    to_db_time,
)
from storage.sqlite.thread_waits import SqliteThreadWaits
from storage.sqlite.ticket_rows import (
    DEPARTMENT_BY_VALUE,
    PRIORITY_BY_VALUE,
    STATUS_BY_VALUE,
    ticket_from_row,
)
from storage.sqlite.trusted import check_trusted, trusted

# Columns a service may change with `update`: the port names them.
UPDATABLE = TicketChanges.__optional_keys__


def reply_from_row(row: Any) -> Reply:
    # Built without validating again, as tickets are (ticket_rows.py, trusted.py).
    return trusted(
        Reply,
        {
            "id": row["id"],
            "ticket_id": row["ticket_id"],
            "author_id": row["author_id"],
            "author_kind": AuthorKind(row["author_kind"]),
            "body": row["body"],
            "attachments": tuple(Attachment(**item) for item in json.loads(row["attachments"])),
            "message_id": row["message_id"],
            "created_at": from_db_time(row["created_at"]),
            "edited_at": from_db_time(row["edited_at"]),
        },
    )


check_trusted(Reply)


class SqliteTickets(SqliteThreadWaits):
    """core.ports.TicketRepository (and TicketReads, on the read connection)."""

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
        stamp = to_db_time(now)
        row = await fetch_one(
            self._conn,
            "INSERT INTO tickets (guild_id, owner_id, subject, message, status, priority,"
            " department, ai_active, created_at, updated_at, status_changed_at,"
            " thread_attempts, thread_retry_at)"
            " VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (
                guild_id,
                owner_id,
                subject,
                message,
                priority,
                department,
                int(ai_active),
                stamp,
                stamp,
                stamp,
                thread_attempts,
                to_db_time(thread_retry_at or now),
            ),
        )
        return ticket_from_row(row)

    async def update(self, ticket_id: int, **changes: Unpack[TicketChanges]) -> Ticket:
        unknown = set(changes) - UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        values = [to_db_time(v) if isinstance(v, datetime) else v for v in changes.values()]
        assignments = ", ".join(f"{column} = ?" for column in changes)
        row = await fetch_one(
            self._conn,
            f"UPDATE tickets SET {assignments} WHERE id = ? RETURNING *",
            (*values, ticket_id),
        )
        if row is None:
            raise LookupError(f"ticket {ticket_id} vanished")
        return ticket_from_row(row)

    async def delete(self, ticket_id: int) -> None:
        await self._conn.execute("DELETE FROM tickets WHERE id = ?", (ticket_id,))

    async def get(self, ticket_id: int) -> Ticket | None:
        row = await fetch_one(self._conn, "SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return None if row is None else ticket_from_row(row)

    async def by_thread(self, thread_id: int) -> Ticket | None:
        row = await fetch_one(self._conn, "SELECT * FROM tickets WHERE thread_id = ?", (thread_id,))
        return None if row is None else ticket_from_row(row)

    async def owner_activity(self, guild_id: int, owner_id: int) -> tuple[int, Ticket | None]:
        """A member's unclosed-ticket count and latest ticket, in one statement (one thread
        hop)."""
        row = await fetch_one(
            self._conn,
            "SELECT (SELECT COUNT(*) FROM tickets WHERE guild_id = :guild AND owner_id = :owner"
            " AND status != 'closed') AS unclosed, latest.* FROM (SELECT 1)"
            " LEFT JOIN (SELECT * FROM tickets WHERE guild_id = :guild AND owner_id = :owner"
            " ORDER BY id DESC LIMIT 1) AS latest",
            {"guild": guild_id, "owner": owner_id},
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
        where, params = ["guild_id = ?"], [guild_id]
        for column, value in (
            ("owner_id", owner_id),
            ("status", status),
            ("department", department),
            ("priority", priority),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = " AND ".join(where)
        rows = await fetch_all(
            self._conn,
            f"SELECT * FROM tickets WHERE {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        if owner_id is None:
            # Without an owner the filters are all columns of ticket_counts, kept exact by
            # triggers: summing at most 64 counters beats counting 40,000 index entries.
            total = await fetch_value(
                self._conn, f"SELECT COALESCE(SUM(n), 0) FROM ticket_counts WHERE {clause}", params
            )
        else:
            total = await fetch_value(
                self._conn, f"SELECT COUNT(*) FROM tickets WHERE {clause}", params
            )
        return [ticket_from_row(row) for row in rows], total

    async def status_counts(self, guild_id: int) -> list[tuple[Status, Department, Priority, int]]:
        rows = await fetch_all(
            self._conn,
            "SELECT status, department, priority, n FROM ticket_counts"
            " WHERE guild_id = ? AND n > 0",
            (guild_id,),
        )
        return [
            (
                STATUS_BY_VALUE[row[0]],
                DEPARTMENT_BY_VALUE[row[1]],
                PRIORITY_BY_VALUE[row[2]],
                row[3],
            )
            for row in rows
        ]

    async def median_first_response(self, guild_id: int) -> float | None:
        # The histogram of migration 0013, kept by triggers (storage/histogram.py).
        # (Summing the counters in SQL with window functions measured 4x slower.)
        buckets = await fetch_all(
            self._conn,
            "SELECT lo, n FROM response_histogram WHERE guild_id = ? AND n > 0 ORDER BY lo",
            (guild_id,),
        )
        middle = middle_of([(row[0], row[1]) for row in buckets])
        if middle is None:
            return None
        rows = await fetch_all(
            self._conn,
            "SELECT first_response_seconds FROM tickets"
            " WHERE guild_id = ? AND first_response_seconds IS NOT NULL"
            " AND first_response_seconds >= ?"
            " ORDER BY first_response_seconds LIMIT ? OFFSET ?",
            (guild_id, middle.lo, middle.limit, middle.offset),
        )
        values = [row[0] for row in rows]
        return sum(values) / len(values)

    async def first_responses(self, guild_id: int, since: datetime) -> list[tuple[datetime, float]]:
        # The partial index of migration 0011 holds exactly these rows, by opening time.
        rows = await fetch_all(
            self._conn,
            "SELECT created_at, first_response_seconds FROM tickets"
            " WHERE guild_id = ? AND first_response_seconds IS NOT NULL AND created_at >= ?"
            " ORDER BY created_at",
            (guild_id, to_db_time(since)),
        )
        return [(from_db_time(row[0]), float(row[1])) for row in rows]

    async def live_threads(
        self, *, after_id: int, limit: int, guild_ids: Collection[int] | None = None
    ) -> list[LiveThread]:
        """(ticket id, thread id, mirrored up to) of unclosed tickets with a thread.

        "Mirrored up to" is `mirrored_to`, or for tickets older than it the newest stored
        message. Paged by ticket id and kept to three columns: catching up after a restart
        walks every live ticket, and 50,000 full ticket models at once would cost ~150 MB.
        """
        held, params = held_guilds("guild_id", guild_ids)
        rows = await fetch_all(
            self._conn,
            "SELECT id, thread_id, COALESCE(mirrored_to,"
            " (SELECT MAX(message_id) FROM replies WHERE ticket_id = tickets.id))"
            " FROM tickets WHERE status != 'closed' AND thread_id IS NOT NULL AND id > :after"
            f" AND {held} ORDER BY id LIMIT :limit",
            {"after": after_id, "limit": limit, **params},
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def unclosed_threads(self, guild_id: int) -> list[tuple[int, int]]:
        rows = await fetch_all(
            self._conn,
            "SELECT id, thread_id FROM tickets WHERE guild_id = ? AND status != 'closed'"
            " AND thread_id IS NOT NULL ORDER BY id",
            (guild_id,),
        )
        return [(row[0], row[1]) for row in rows]

    async def advance_mirror(self, thread_id: int, message_id: int) -> None:
        await self._conn.execute(
            "UPDATE tickets SET mirrored_to = ? WHERE thread_id = ?"
            " AND (mirrored_to IS NULL OR mirrored_to < ?)",
            (message_id, thread_id, message_id),
        )


class SqliteReplies(Repository):
    """core.ports.ReplyRepository (and ReplyReads, on the read connection)."""

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
        row = await fetch_one(
            self._conn,
            "INSERT INTO replies (ticket_id, author_id, author_kind, body, attachments,"
            " message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (message_id) DO NOTHING RETURNING *",
            (
                ticket_id,
                author_id,
                author_kind,
                body,
                json.dumps([a.model_dump() for a in attachments]),
                message_id,
                to_db_time(now),
            ),
        )
        return None if row is None else reply_from_row(row)

    async def set_message(self, reply_id: int, message_id: int) -> None:
        await self._conn.execute(
            "UPDATE replies SET message_id = ? WHERE id = ?", (message_id, reply_id)
        )

    async def delete(self, reply_id: int) -> None:
        await self._conn.execute("DELETE FROM replies WHERE id = ?", (reply_id,))

    async def edit(self, message_id: int, body: str, now: datetime) -> Reply | None:
        row = await fetch_one(
            self._conn,
            "UPDATE replies SET body = ?, edited_at = ? WHERE message_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM tickets WHERE tickets.id = replies.ticket_id"
            " AND tickets.status = 'closed') RETURNING *",
            (body, to_db_time(now), message_id),
        )
        return None if row is None else reply_from_row(row)

    async def page(
        self, ticket_id: int, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[Reply], int]:
        rows = await fetch_all(
            self._conn,
            "SELECT * FROM replies WHERE ticket_id = ? ORDER BY id LIMIT ? OFFSET ?",
            (ticket_id, -1 if limit is None else limit, offset),  # SQLite: -1 is no limit
        )
        total = await fetch_value(
            self._conn, "SELECT COUNT(*) FROM replies WHERE ticket_id = ?", (ticket_id,)
        )
        return [reply_from_row(row) for row in rows], total
