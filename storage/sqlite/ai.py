"""AI usage counters on SQLite (core.ports.AIUsageRepository): SQL in, plain values out."""

from __future__ import annotations

from storage.sqlite.rows import Repository, fetch_one


class SqliteAIUsage(Repository):
    async def reserve_daily_answer(self, guild_id: int, day: str, cap: int) -> bool:
        """One statement, so two tickets racing for the last answer of the day can't both
        get it."""
        if cap <= 0:
            return False
        row = await fetch_one(
            self._conn,
            "INSERT INTO ai_daily_usage (guild_id, day, answers) VALUES (?, ?, 1)"
            " ON CONFLICT (guild_id, day) DO UPDATE SET answers = answers + 1"
            " WHERE answers < ? RETURNING answers",
            (guild_id, day, cap),
        )
        return row is not None
