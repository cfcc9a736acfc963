"""Queries for the ticket lifecycle: inactivity sweeps and feedback."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.models import Ticket
from storage.rows import fetch_all, fetch_one, to_db_time
from storage.tickets import ticket_from_row


async def pending_since_before(
    conn: aiosqlite.Connection, cutoff: datetime, limit: int = 500
) -> list[Ticket]:
    """Pending tickets waiting on the member since before `cutoff` (guild rules applied later)."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM tickets WHERE status = 'pending' AND status_changed_at < ?"
        " ORDER BY status_changed_at LIMIT ?",
        (to_db_time(cutoff), limit),
    )
    return [ticket_from_row(row) for row in rows]


async def mark_reminded(conn: aiosqlite.Connection, ticket_id: int, now: datetime) -> bool:
    """Set reminded_at once; False when another sweep or a reply got there first."""
    cursor = await conn.execute(
        "UPDATE tickets SET reminded_at = ? WHERE id = ? AND status = 'pending'"
        " AND reminded_at IS NULL",
        (to_db_time(now), ticket_id),
    )
    return cursor.rowcount == 1


async def upsert_feedback(
    conn: aiosqlite.Connection,
    *,
    ticket_id: int,
    guild_id: int,
    user_id: int,
    rating: int | None,
    comment: str | None,
    now: datetime,
) -> None:
    if rating is not None:
        await conn.execute(
            "INSERT INTO feedback (ticket_id, guild_id, user_id, rating, comment, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET rating ="
            " excluded.rating, comment = COALESCE(excluded.comment, feedback.comment)",
            (ticket_id, guild_id, user_id, rating, comment, to_db_time(now)),
        )
    else:
        await conn.execute(
            "UPDATE feedback SET comment = ? WHERE ticket_id = ?", (comment, ticket_id)
        )


async def feedback_of(conn: aiosqlite.Connection, ticket_id: int) -> tuple[int, str | None] | None:
    row = await fetch_one(
        conn, "SELECT rating, comment FROM feedback WHERE ticket_id = ?", (ticket_id,)
    )
    return None if row is None else (row[0], row[1])


async def rating_summary(conn: aiosqlite.Connection, guild_id: int) -> tuple[int, float | None]:
    # Kept by triggers (migration 0005), so a guild with 30,000 ratings is one row read.
    row = await fetch_one(
        conn, "SELECT n, CAST(total AS REAL) / n FROM rating_counts WHERE guild_id = ?", (guild_id,)
    )
    return (row[0], row[1]) if row and row[0] else (0, None)
