"""The ticket lifecycle on SQLite: inactivity sweeps and feedback (core.ports.upkeep)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.models import Ticket
from storage.sqlite.held_guilds import held_guilds
from storage.sqlite.rows import Repository, fetch_all, fetch_one, to_db_time
from storage.sqlite.tickets import ticket_from_row

# Each guild's own hours decide what is due, in SQL, so a server with many long-waiting
# tickets can never crowd the others out of a sweep. Defaults match guild_settings'.
# A server that switched ticketing off is left alone: its desk is paused, so nobody is
# told "reply or this closes" and nothing closes for want of a reply the desk can't take.
_TICKETING_ON = (
    "NOT EXISTS (SELECT 1 FROM feature_flags AS f WHERE f.guild_id = t.guild_id"
    " AND f.name = 'ticketing' AND f.enabled = 0)"
)
_DUE = (
    """
    SELECT t.* FROM tickets AS t
    LEFT JOIN guild_settings AS g ON g.guild_id = t.guild_id
    WHERE t.status = 'pending' AND {condition} AND {held} AND """
    + _TICKETING_ON
    + """
    ORDER BY t.id LIMIT :limit
"""
)
_REMINDER_DUE = (
    "t.reminded_at IS NULL AND julianday(t.status_changed_at)"
    " <= julianday(:now) - COALESCE(g.reminder_hours, 48) / 24.0"
)
_CLOSE_DUE = (
    "t.reminded_at IS NOT NULL AND julianday(t.reminded_at)"
    " <= julianday(:now) - COALESCE(g.autoclose_hours, 24) / 24.0"
)


class SqliteInactivity(Repository):
    """core.ports.InactivityRepository (and InactivityReads, on the read connection)."""

    async def due_for_reminder(
        self, now: datetime, limit: int = 500, *, guild_ids: Collection[int] | None = None
    ) -> list[Ticket]:
        return await self._due(_REMINDER_DUE, now, limit, guild_ids)

    async def due_for_close(
        self, now: datetime, limit: int = 500, *, guild_ids: Collection[int] | None = None
    ) -> list[Ticket]:
        return await self._due(_CLOSE_DUE, now, limit, guild_ids)

    async def _due(
        self, condition: str, now: datetime, limit: int, guild_ids: Collection[int] | None
    ) -> list[Ticket]:
        held, params = held_guilds("t.guild_id", guild_ids)
        rows = await fetch_all(
            self._conn,
            _DUE.format(condition=condition, held=held),
            {"now": to_db_time(now), "limit": limit, **params},
        )
        return [ticket_from_row(row) for row in rows]

    async def mark_reminded(self, ticket: Ticket, now: datetime) -> bool:
        cursor = await self._conn.execute(
            "UPDATE tickets SET reminded_at = ? WHERE id = ? AND status = 'pending'"
            " AND reminded_at IS NULL AND status_changed_at = ?",
            (to_db_time(now), ticket.id, to_db_time(ticket.status_changed_at)),
        )
        return cursor.rowcount == 1

    async def close_if_due(self, ticket_id: int, now: datetime, reason: str) -> Ticket | None:
        """Auto-close in one statement, only if the ticket is still due at this very moment.

        A reply that came in after the sweep picked the ticket (pending -> open, or a staff
        answer that started a new wait) leaves it as it is. Pending -> closed is allowed by
        core.lifecycle's table.
        """
        row = await fetch_one(
            self._conn,
            "UPDATE tickets AS t SET status = 'closed', status_changed_at = :now,"
            " updated_at = :now, closed_at = :now, closed_by = 0, close_reason = :reason,"
            " ai_active = 0"
            " WHERE t.id = :id AND t.status = 'pending' AND t.reminded_at IS NOT NULL"
            " AND julianday(t.reminded_at) <= julianday(:now) - COALESCE((SELECT"
            " g.autoclose_hours FROM guild_settings AS g WHERE g.guild_id = t.guild_id), 24)"
            " / 24.0 AND " + _TICKETING_ON + " RETURNING *",
            {"id": ticket_id, "now": to_db_time(now), "reason": reason},
        )
        return None if row is None else ticket_from_row(row)


class SqliteFeedback(Repository):
    """core.ports.FeedbackRepository (and FeedbackReads, on the read connection)."""

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
        if rating is not None:
            await self._conn.execute(
                "INSERT INTO feedback (ticket_id, guild_id, user_id, rating, comment,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET"
                " rating = excluded.rating, comment = COALESCE(excluded.comment,"
                " feedback.comment)",
                (ticket_id, guild_id, user_id, rating, comment, to_db_time(now)),
            )
        else:
            await self._conn.execute(
                "UPDATE feedback SET comment = ? WHERE ticket_id = ?", (comment, ticket_id)
            )

    async def of(self, ticket_id: int) -> tuple[int, str | None] | None:
        row = await fetch_one(
            self._conn, "SELECT rating, comment FROM feedback WHERE ticket_id = ?", (ticket_id,)
        )
        return None if row is None else (row[0], row[1])

    async def rating_summary(self, guild_id: int) -> tuple[int, float | None]:
        # Kept by triggers (migration 0005), so a guild with 30,000 ratings is one row read.
        row = await fetch_one(
            self._conn,
            "SELECT n, CAST(total AS REAL) / n FROM rating_counts WHERE guild_id = ?",
            (guild_id,),
        )
        return (row[0], row[1]) if row and row[0] else (0, None)
