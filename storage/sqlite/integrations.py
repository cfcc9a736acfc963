"""API keys, rate-limit counters and queued Discord work in SQLite (core.ports.integrations)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from core.integration_models import ApiKey, DiscordJob, DiscordJobKind
from storage.sqlite.rows import Repository, fetch_all, fetch_one, from_db_time, to_db_time

IN_GUILDS = "guild_id IN (SELECT value FROM json_each(:guilds))"
# "Due by the end of time": every row, when a claim is not for due rows only.
FOREVER = datetime(9999, 1, 1, tzinfo=UTC)


def _key(row: Any) -> ApiKey:
    return ApiKey(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        prefix=row["prefix"],
        key_hash=row["key_hash"],
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
        revoked_at=from_db_time(row["revoked_at"]),
    )


class SqliteApiKeys(Repository):
    async def by_prefix(self, prefix: str) -> ApiKey | None:
        row = await fetch_one(self._conn, "SELECT * FROM api_keys WHERE prefix = ?", (prefix,))
        return None if row is None else _key(row)

    async def of_guild(self, guild_id: int) -> list[ApiKey]:
        rows = await fetch_all(
            self._conn,
            "SELECT * FROM api_keys WHERE guild_id = ? AND revoked_at IS NULL ORDER BY id",
            (guild_id,),
        )
        return [_key(row) for row in rows]

    async def insert(
        self,
        *,
        guild_id: int,
        name: str,
        prefix: str,
        key_hash: str,
        created_by: int,
        now: datetime,
    ) -> ApiKey | None:
        row = await fetch_one(
            self._conn,
            "INSERT INTO api_keys (guild_id, name, prefix, key_hash, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id, name) WHERE revoked_at IS NULL DO NOTHING RETURNING *",
            (guild_id, name, prefix, key_hash, created_by, to_db_time(now)),
        )
        return None if row is None else _key(row)

    async def revoke(self, guild_id: int, name: str, now: datetime) -> ApiKey | None:
        row = await fetch_one(
            self._conn,
            "UPDATE api_keys SET revoked_at = ?"
            " WHERE guild_id = ? AND name = ? AND revoked_at IS NULL RETURNING *",
            (to_db_time(now), guild_id, name),
        )
        return None if row is None else _key(row)


class SqliteRateLimits(Repository):
    async def hit(self, bucket: str, window_start: int) -> int:
        await self._conn.execute(
            "DELETE FROM rate_limits WHERE bucket = ? AND window_start < ?",
            (bucket, window_start),
        )
        row = await fetch_one(
            self._conn,
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)"
            " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits",
            (bucket, window_start),
        )
        return int(row["hits"])


def _job(row: Any) -> DiscordJob:
    return DiscordJob(
        id=row["id"],
        guild_id=row["guild_id"],
        kind=DiscordJobKind(row["kind"]),
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
        created_at=from_db_time(row["created_at"]),
        due_at=from_db_time(row["due_at"]),
        last_error=row["last_error"],
    )


class SqliteDiscordJobs(Repository):
    async def any_due(self, guild_ids: Collection[int], now: datetime) -> bool:
        row = await fetch_one(
            self._conn,
            f"SELECT 1 FROM discord_jobs WHERE {IN_GUILDS} AND due_at <= :now LIMIT 1",
            {"guilds": json.dumps(list(guild_ids)), "now": to_db_time(now)},
        )
        return row is not None

    async def add(
        self, *, guild_id: int, kind: DiscordJobKind, payload: dict[str, Any], now: datetime
    ) -> None:
        moment = to_db_time(now)
        await self._conn.execute(
            "INSERT INTO discord_jobs (guild_id, kind, payload, created_at, due_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (guild_id, kind.value, json.dumps(payload), moment, moment),
        )

    async def claim_due(
        self,
        guild_ids: Collection[int],
        *,
        now: datetime,
        lease_until: datetime,
        limit: int,
        due_only: bool = True,
    ) -> list[DiscordJob]:
        rows = await fetch_all(
            self._conn,
            "UPDATE discord_jobs SET due_at = :lease, attempts = attempts + 1 WHERE id IN"
            f" (SELECT id FROM discord_jobs WHERE {IN_GUILDS} AND due_at <= :now"
            " ORDER BY id LIMIT :limit) RETURNING *",
            {
                "guilds": json.dumps(list(guild_ids)),
                "now": to_db_time(now if due_only else FOREVER),
                "lease": to_db_time(lease_until),
                "limit": limit,
            },
        )
        return sorted((_job(row) for row in rows), key=lambda job: job.id)

    async def finish(self, job_id: int) -> None:
        await self._conn.execute("DELETE FROM discord_jobs WHERE id = ?", (job_id,))

    async def retry_later(self, job_id: int, due_at: datetime, error: str) -> None:
        await self._conn.execute(
            "UPDATE discord_jobs SET due_at = ?, last_error = ? WHERE id = ?",
            (to_db_time(due_at), error[:500], job_id),
        )
