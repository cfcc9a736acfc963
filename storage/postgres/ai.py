"""AI usage counters on PostgreSQL (core.ports.AIUsageRepository)."""

from __future__ import annotations

from datetime import date

from storage.postgres.rows import Repository


class PgAIUsage(Repository):
    async def reserve_daily_answer(self, guild_id: int, day: str, cap: int) -> bool:
        """The daily cap holds by INSERT ... ON CONFLICT DO UPDATE ... WHERE: the day's row
        is locked by whoever counts first, the next waits and checks `answers < cap`
        again on the newest count, so two tickets racing for the last answer of the day
        (on any process) can't both get it."""
        if cap <= 0:
            return False
        counted = await self._db.fetchval(
            "INSERT INTO ai_daily_usage (guild_id, day, answers) VALUES ($1, $2, 1)"
            " ON CONFLICT (guild_id, day) DO UPDATE SET answers = ai_daily_usage.answers + 1"
            " WHERE ai_daily_usage.answers < $3 RETURNING answers",
            guild_id,
            date.fromisoformat(day),
            cap,
        )
        return counted is not None
