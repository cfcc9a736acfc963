"""The ticket lifecycle on PostgreSQL: inactivity sweeps and feedback (core.ports.upkeep).

Each sweep step is one conditional UPDATE: PostgreSQL checks its WHERE again on the newest
version of a row it had to wait for, so a reply that lands while the sweep runs (and moves
the ticket) makes the reminder or the auto-close a no-op, on any process.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.models import Ticket
from storage.postgres.held_guilds import guild_list, held_guilds
from storage.postgres.rows import Repository, affected
from storage.postgres.ticket_rows import ticket_from_row

# Each guild's own hours decide what is due, in SQL, so a server with many long-waiting
# tickets can never crowd the others out of a sweep. Defaults match guild_settings'.
# A server that switched ticketing off is left alone: its desk is paused.
_TICKETING_ON = (
    "NOT EXISTS (SELECT 1 FROM feature_flags AS f WHERE f.guild_id = t.guild_id"
    " AND f.name = 'ticketing' AND NOT f.enabled)"
)
_DUE = (
    "SELECT t.* FROM tickets AS t LEFT JOIN guild_settings AS g ON g.guild_id = t.guild_id"
    " WHERE t.status = 'pending' AND {condition} AND "
    + held_guilds("t.guild_id", 3)
    + " AND "
    + _TICKETING_ON
    + " ORDER BY t.id LIMIT $2"
)
_REMINDER_DUE = (
    "t.reminded_at IS NULL AND t.status_changed_at"
    " <= $1::timestamptz - make_interval(hours => COALESCE(g.reminder_hours, 48))"
)
_CLOSE_DUE = (
    "t.reminded_at IS NOT NULL AND t.reminded_at"
    " <= $1::timestamptz - make_interval(hours => COALESCE(g.autoclose_hours, 24))"
)


class PgInactivity(Repository):
    """core.ports.InactivityRepository (and InactivityReads, on the pool)."""

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
        rows = await self._db.fetch(
            _DUE.format(condition=condition), now, limit, guild_list(guild_ids)
        )
        return [ticket_from_row(row) for row in rows]

    async def mark_reminded(self, ticket: Ticket, now: datetime) -> bool:
        status = await self._db.execute(
            "UPDATE tickets SET reminded_at = $2 WHERE id = $1 AND status = 'pending'"
            " AND reminded_at IS NULL AND status_changed_at = $3",
            ticket.id,
            now,
            ticket.status_changed_at,
        )
        return affected(status) == 1

    async def close_if_due(self, ticket_id: int, now: datetime, reason: str) -> Ticket | None:
        """Auto-close in one statement, only if the ticket is still due at this very moment
        (pending -> closed is allowed by core.lifecycle's table)."""
        row = await self._db.fetchrow(
            "UPDATE tickets AS t SET status = 'closed', status_changed_at = $2,"
            " updated_at = $2, closed_at = $2, closed_by = 0, close_reason = $3,"
            " ai_active = false"
            " WHERE t.id = $1 AND t.status = 'pending' AND t.reminded_at IS NOT NULL"
            " AND t.reminded_at <= $2::timestamptz - make_interval(hours => COALESCE((SELECT"
            " g.autoclose_hours FROM guild_settings AS g WHERE g.guild_id = t.guild_id), 24))"
            " AND " + _TICKETING_ON + " RETURNING *",
            ticket_id,
            now,
            reason,
        )
        return None if row is None else ticket_from_row(row)


class PgFeedback(Repository):
    """core.ports.FeedbackRepository (and FeedbackReads, on the pool)."""

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
            await self._db.execute(
                "INSERT INTO feedback (ticket_id, guild_id, user_id, rating, comment,"
                " created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id) DO UPDATE"
                " SET rating = excluded.rating, comment = COALESCE(excluded.comment,"
                " feedback.comment)",
                ticket_id,
                guild_id,
                user_id,
                rating,
                comment,
                now,
            )
        else:
            await self._db.execute(
                "UPDATE feedback SET comment = $2 WHERE ticket_id = $1", ticket_id, comment
            )

    async def of(self, ticket_id: int) -> tuple[int, str | None] | None:
        row = await self._db.fetchrow(
            "SELECT rating, comment FROM feedback WHERE ticket_id = $1", ticket_id
        )
        return None if row is None else (row[0], row[1])

    async def rating_summary(self, guild_id: int) -> tuple[int, float | None]:
        # Kept by triggers (migration 0005), so a guild with 30,000 ratings is one row read.
        row = await self._db.fetchrow(
            "SELECT n, CASE WHEN n > 0 THEN total::float8 / n END FROM rating_counts"
            " WHERE guild_id = $1",
            guild_id,
        )
        return (row[0], row[1]) if row and row[0] else (0, None)
