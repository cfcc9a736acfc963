"""AI usage counters: SQL in, plain values out."""

from __future__ import annotations

import aiosqlite

from storage.rows import fetch_one


async def reserve_daily_answer(
    conn: aiosqlite.Connection, guild_id: int, day: str, cap: int
) -> bool:
    """Count one AI request for `guild_id` on `day` unless `cap` is reached; True if counted.

    One statement, so two tickets racing for the last answer of the day can't both get it.
    """
    if cap <= 0:
        return False
    row = await fetch_one(
        conn,
        "INSERT INTO ai_daily_usage (guild_id, day, answers) VALUES (?, ?, 1)"
        " ON CONFLICT (guild_id, day) DO UPDATE SET answers = answers + 1"
        " WHERE answers < ? RETURNING answers",
        (guild_id, day, cap),
    )
    return row is not None
