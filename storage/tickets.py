"""Tickets and replies: SQL in, frozen models out."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from core.models import (
    Attachment,
    AuthorKind,
    Department,
    Priority,
    Reply,
    Status,
    Ticket,
)
from storage.rows import fetch_all, fetch_one, fetch_value, from_db_time, to_db_time

# Columns a service may change with `update_ticket`; anything else is a programming error.
UPDATABLE = frozenset(
    {
        "status",
        "priority",
        "department",
        "thread_id",
        "claimed_by",
        "ai_active",
        "ai_replies",
        "first_response_seconds",
        "updated_at",
        "status_changed_at",
        "reminded_at",
        "closed_at",
        "closed_by",
        "close_reason",
        "thread_attempts",
        "thread_retry_at",
        "thread_error",
    }
)


def ticket_from_row(row: Any) -> Ticket:
    return Ticket(
        id=row["id"],
        guild_id=row["guild_id"],
        owner_id=row["owner_id"],
        subject=row["subject"],
        message=row["message"],
        status=Status(row["status"]),
        priority=Priority(row["priority"]),
        department=Department(row["department"]),
        thread_id=row["thread_id"],
        claimed_by=row["claimed_by"],
        ai_active=bool(row["ai_active"]),
        ai_replies=row["ai_replies"],
        first_response_seconds=row["first_response_seconds"],
        created_at=from_db_time(row["created_at"]),
        updated_at=from_db_time(row["updated_at"]),
        status_changed_at=from_db_time(row["status_changed_at"]),
        reminded_at=from_db_time(row["reminded_at"]),
        closed_at=from_db_time(row["closed_at"]),
        closed_by=row["closed_by"],
        close_reason=row["close_reason"],
        thread_attempts=row["thread_attempts"],
        thread_retry_at=from_db_time(row["thread_retry_at"]),
        thread_error=row["thread_error"],
    )


def reply_from_row(row: Any) -> Reply:
    return Reply(
        id=row["id"],
        ticket_id=row["ticket_id"],
        author_id=row["author_id"],
        author_kind=AuthorKind(row["author_kind"]),
        body=row["body"],
        attachments=tuple(Attachment(**item) for item in json.loads(row["attachments"])),
        message_id=row["message_id"],
        created_at=from_db_time(row["created_at"]),
        edited_at=from_db_time(row["edited_at"]),
    )


async def insert_ticket(
    conn: aiosqlite.Connection,
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
    """A new ticket, waiting for its thread: due at `thread_retry_at` (default: now)."""
    stamp = to_db_time(now)
    row = await fetch_one(
        conn,
        "INSERT INTO tickets (guild_id, owner_id, subject, message, status, priority, department,"
        " ai_active, created_at, updated_at, status_changed_at, thread_attempts, thread_retry_at)"
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


async def update_ticket(conn: aiosqlite.Connection, ticket_id: int, **changes: Any) -> Ticket:
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    values = [to_db_time(v) if isinstance(v, datetime) else v for v in changes.values()]
    assignments = ", ".join(f"{column} = ?" for column in changes)
    row = await fetch_one(
        conn, f"UPDATE tickets SET {assignments} WHERE id = ? RETURNING *", (*values, ticket_id)
    )
    if row is None:
        raise LookupError(f"ticket {ticket_id} vanished")
    return ticket_from_row(row)


async def delete_ticket(conn: aiosqlite.Connection, ticket_id: int) -> None:
    await conn.execute("DELETE FROM tickets WHERE id = ?", (ticket_id,))


async def delete_waiting(conn: aiosqlite.Connection, ticket_id: int) -> None:
    """Remove a ticket that never got its thread; one with a thread is never touched."""
    await conn.execute("DELETE FROM tickets WHERE id = ? AND thread_id IS NULL", (ticket_id,))


async def get_ticket(conn: aiosqlite.Connection, ticket_id: int) -> Ticket | None:
    row = await fetch_one(conn, "SELECT * FROM tickets WHERE id = ?", (ticket_id,))
    return None if row is None else ticket_from_row(row)


async def get_ticket_by_thread(conn: aiosqlite.Connection, thread_id: int) -> Ticket | None:
    row = await fetch_one(conn, "SELECT * FROM tickets WHERE thread_id = ?", (thread_id,))
    return None if row is None else ticket_from_row(row)


async def owner_activity(
    conn: aiosqlite.Connection, guild_id: int, owner_id: int
) -> tuple[int, Ticket | None]:
    """A member's unclosed-ticket count and latest ticket, in one statement (one thread hop)."""
    row = await fetch_one(
        conn,
        "SELECT (SELECT COUNT(*) FROM tickets WHERE guild_id = :guild AND owner_id = :owner"
        " AND status != 'closed') AS unclosed, latest.* FROM (SELECT 1)"
        " LEFT JOIN (SELECT * FROM tickets WHERE guild_id = :guild AND owner_id = :owner"
        " ORDER BY id DESC LIMIT 1) AS latest",
        {"guild": guild_id, "owner": owner_id},
    )
    latest = None if row["id"] is None else ticket_from_row(row)
    return row["unclosed"], latest


async def list_tickets(
    conn: aiosqlite.Connection,
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
        conn,
        f"SELECT * FROM tickets WHERE {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    if owner_id is None:
        # Without an owner the filters are all columns of ticket_counts, kept exact by
        # triggers: summing at most 64 counters beats counting 40,000 index entries.
        total = await fetch_value(
            conn, f"SELECT COALESCE(SUM(n), 0) FROM ticket_counts WHERE {clause}", params
        )
    else:
        total = await fetch_value(conn, f"SELECT COUNT(*) FROM tickets WHERE {clause}", params)
    return [ticket_from_row(row) for row in rows], total


async def insert_reply(
    conn: aiosqlite.Connection,
    *,
    ticket_id: int,
    author_id: int,
    author_kind: AuthorKind,
    body: str,
    attachments: Sequence[Attachment] = (),
    message_id: int | None,
    now: datetime,
) -> Reply | None:
    """Store a reply; None when its Discord message is already stored (idempotent mirror)."""
    row = await fetch_one(
        conn,
        "INSERT INTO replies (ticket_id, author_id, author_kind, body, attachments, message_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
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


async def set_reply_message(conn: aiosqlite.Connection, reply_id: int, message_id: int) -> None:
    await conn.execute("UPDATE replies SET message_id = ? WHERE id = ?", (message_id, reply_id))


async def delete_reply(conn: aiosqlite.Connection, reply_id: int) -> None:
    await conn.execute("DELETE FROM replies WHERE id = ?", (reply_id,))


async def edit_reply(
    conn: aiosqlite.Connection, message_id: int, body: str, now: datetime
) -> Reply | None:
    """Follow an edit, unless its ticket is closed: a closed ticket's record is final (its
    transcript went to the log channel and the member), whatever is edited on Discord."""
    row = await fetch_one(
        conn,
        "UPDATE replies SET body = ?, edited_at = ? WHERE message_id = ? AND NOT EXISTS"
        " (SELECT 1 FROM tickets WHERE tickets.id = replies.ticket_id"
        " AND tickets.status = 'closed') RETURNING *",
        (body, to_db_time(now), message_id),
    )
    return None if row is None else reply_from_row(row)


async def list_replies(
    conn: aiosqlite.Connection, ticket_id: int, *, offset: int = 0, limit: int = -1
) -> tuple[list[Reply], int]:
    rows = await fetch_all(
        conn,
        "SELECT * FROM replies WHERE ticket_id = ? ORDER BY id LIMIT ? OFFSET ?",
        (ticket_id, limit, offset),
    )
    total = await fetch_value(
        conn, "SELECT COUNT(*) FROM replies WHERE ticket_id = ?", (ticket_id,)
    )
    return [reply_from_row(row) for row in rows], total


async def status_counts(
    conn: aiosqlite.Connection, guild_id: int
) -> list[tuple[str, str, str, int]]:
    rows = await fetch_all(
        conn,
        "SELECT status, department, priority, n FROM ticket_counts WHERE guild_id = ? AND n > 0",
        (guild_id,),
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


async def median_first_response(conn: aiosqlite.Connection, guild_id: int) -> float | None:
    # Kept by triggers (migration 0005): counting the index would read every entry.
    count = await fetch_value(conn, "SELECT n FROM response_counts WHERE guild_id = ?", (guild_id,))
    if not count:
        return None
    # Lower and upper middle via the partial index; average them for an even count.
    rows = await fetch_all(
        conn,
        "SELECT first_response_seconds FROM tickets"
        " WHERE guild_id = ? AND first_response_seconds IS NOT NULL"
        " ORDER BY first_response_seconds LIMIT ? OFFSET ?",
        (guild_id, 2 - count % 2, (count - 1) // 2),
    )
    values = [row[0] for row in rows]
    return sum(values) / len(values)


async def live_threads(
    conn: aiosqlite.Connection, *, after_id: int, limit: int
) -> list[tuple[int, int, int | None]]:
    """(ticket id, thread id, mirrored up to) of unclosed tickets with a thread.

    "Mirrored up to" is `mirrored_to`, or for tickets older than it the newest stored
    message. Paged by ticket id and kept to three columns: catching up after a restart
    walks every live ticket, and 50,000 full ticket models at once would cost ~150 MB.
    """
    rows = await fetch_all(
        conn,
        "SELECT id, thread_id, COALESCE(mirrored_to,"
        " (SELECT MAX(message_id) FROM replies WHERE ticket_id = tickets.id))"
        " FROM tickets WHERE status != 'closed' AND thread_id IS NOT NULL AND id > ?"
        " ORDER BY id LIMIT ?",
        (after_id, limit),
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def unclosed_threads(conn: aiosqlite.Connection, guild_id: int) -> list[tuple[int, int]]:
    """(ticket id, thread id) of a guild's unclosed tickets that have a thread."""
    rows = await fetch_all(
        conn,
        "SELECT id, thread_id FROM tickets WHERE guild_id = ? AND status != 'closed'"
        " AND thread_id IS NOT NULL ORDER BY id",
        (guild_id,),
    )
    return [(row[0], row[1]) for row in rows]


async def advance_mirror(conn: aiosqlite.Connection, thread_id: int, message_id: int) -> None:
    """Every message of this ticket thread up to `message_id` is handled; never moves back."""
    await conn.execute(
        "UPDATE tickets SET mirrored_to = ? WHERE thread_id = ?"
        " AND (mirrored_to IS NULL OR mirrored_to < ?)",
        (message_id, thread_id, message_id),
    )


# -- waiting for a thread (migration 0007) ----------------------------------------------
# The guilds come as one JSON array parameter, so any number of them is one statement.
_WAITING = "thread_id IS NULL AND status != 'closed'"
_IN_GUILDS = "guild_id IN (SELECT value FROM json_each(:guilds))"


async def any_waiting_due(
    conn: aiosqlite.Connection, guild_ids: Collection[int], now: datetime
) -> bool:
    row = await fetch_one(
        conn,
        f"SELECT 1 FROM tickets WHERE {_WAITING} AND thread_retry_at <= :now AND {_IN_GUILDS}"
        " LIMIT 1",
        {"now": to_db_time(now), "guilds": json.dumps(list(guild_ids))},
    )
    return row is not None


async def claim_waiting(
    conn: aiosqlite.Connection,
    guild_ids: Collection[int],
    *,
    now: datetime,
    lease_until: datetime,
    limit: int,
    due_only: bool = True,
) -> list[Ticket]:
    """Take waiting tickets of these guilds for one attempt each: counted, and not due
    again until `lease_until`. `due_only=False` takes them whatever their schedule."""
    due = "thread_retry_at <= :now" if due_only else "1"
    rows = await fetch_all(
        conn,
        "UPDATE tickets SET thread_attempts = thread_attempts + 1, thread_retry_at = :lease"
        f" WHERE id IN (SELECT id FROM tickets WHERE {_WAITING} AND {due} AND {_IN_GUILDS}"
        " ORDER BY thread_retry_at LIMIT :limit) RETURNING *",
        {
            "now": to_db_time(now),
            "lease": to_db_time(lease_until),
            "guilds": json.dumps(list(guild_ids)),
            "limit": limit,
        },
    )
    return sorted((ticket_from_row(row) for row in rows), key=lambda ticket: ticket.id)


async def attach_thread(
    conn: aiosqlite.Connection, ticket_id: int, thread_id: int
) -> Ticket | None:
    """Attach the thread if the ticket still waits for one; None otherwise (closed, or
    another attempt attached its own thread first)."""
    row = await fetch_one(
        conn,
        "UPDATE tickets SET thread_id = ?, thread_retry_at = NULL, thread_error = NULL"
        f" WHERE id = ? AND {_WAITING} RETURNING *",
        (thread_id, ticket_id),
    )
    return None if row is None else ticket_from_row(row)


async def thread_failed(
    conn: aiosqlite.Connection, ticket_id: int, retry_at: datetime, error: str
) -> Ticket | None:
    row = await fetch_one(
        conn,
        f"UPDATE tickets SET thread_retry_at = ?, thread_error = ? WHERE id = ? AND {_WAITING}"
        " RETURNING *",
        (to_db_time(retry_at), error[:500], ticket_id),
    )
    return None if row is None else ticket_from_row(row)
