"""API keys, rate-limit counters and queued Discord work on PostgreSQL
(core.ports.integrations; migration 0010).

Race-freedom, kept by PostgreSQL across processes:
- one live key per (guild, name): the partial unique index api_keys_live_name, written
  with INSERT … ON CONFLICT DO NOTHING; a revoke is one conditional UPDATE;
- a rate-limit window's count is one INSERT … ON CONFLICT DO UPDATE … RETURNING, so
  every process's hits land in one row and each reads the count its own hit made;
- queued Discord work is claimed `FOR UPDATE SKIP LOCKED` with its lease in the same
  UPDATE: one process per job, the others pass it by.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from core.integration_models import ApiKey, DiscordJob, DiscordJobKind
from storage.postgres.rows import Repository

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
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


class PgApiKeys(Repository):
    async def by_prefix(self, prefix: str) -> ApiKey | None:
        row = await self._db.fetchrow("SELECT * FROM api_keys WHERE prefix = $1", prefix)
        return None if row is None else _key(row)

    async def of_guild(self, guild_id: int) -> list[ApiKey]:
        rows = await self._db.fetch(
            "SELECT * FROM api_keys WHERE guild_id = $1 AND revoked_at IS NULL ORDER BY id",
            guild_id,
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
        row = await self._db.fetchrow(
            "INSERT INTO api_keys (guild_id, name, prefix, key_hash, created_by, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (guild_id, name) WHERE revoked_at IS NULL DO NOTHING RETURNING *",
            guild_id,
            name,
            prefix,
            key_hash,
            created_by,
            now,
        )
        return None if row is None else _key(row)

    async def revoke(self, guild_id: int, name: str, now: datetime) -> ApiKey | None:
        row = await self._db.fetchrow(
            "UPDATE api_keys SET revoked_at = $1"
            " WHERE guild_id = $2 AND name = $3 AND revoked_at IS NULL RETURNING *",
            now,
            guild_id,
            name,
        )
        return None if row is None else _key(row)


class PgRateLimits(Repository):
    async def hit(self, bucket: str, window_start: int) -> int:
        await self._db.execute(
            "DELETE FROM rate_limits WHERE bucket = $1 AND window_start < $2",
            bucket,
            window_start,
        )
        return int(
            await self._db.fetchval(
                "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)"
                " ON CONFLICT (bucket, window_start) DO UPDATE"
                " SET hits = rate_limits.hits + 1 RETURNING hits",
                bucket,
                window_start,
            )
        )


def _job(row: Any) -> DiscordJob:
    return DiscordJob(
        id=row["id"],
        guild_id=row["guild_id"],
        kind=DiscordJobKind(row["kind"]),
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
        created_at=row["created_at"],
        due_at=row["due_at"],
        last_error=row["last_error"],
    )


class PgDiscordJobs(Repository):
    async def any_due(self, guild_ids: Collection[int], now: datetime) -> bool:
        return bool(
            await self._db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM discord_jobs WHERE guild_id = ANY($1::bigint[])"
                " AND due_at <= $2)",
                list(guild_ids),
                now,
            )
        )

    async def add(
        self, *, guild_id: int, kind: DiscordJobKind, payload: dict[str, Any], now: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO discord_jobs (guild_id, kind, payload, created_at, due_at)"
            " VALUES ($1, $2, $3, $4, $4)",
            guild_id,
            kind.value,
            json.dumps(payload),
            now,
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
        rows = await self._db.fetch(
            "UPDATE discord_jobs SET due_at = $3, attempts = attempts + 1 WHERE id IN"
            " (SELECT id FROM discord_jobs WHERE guild_id = ANY($1::bigint[]) AND due_at <= $2"
            " ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING *",
            list(guild_ids),
            now if due_only else FOREVER,
            lease_until,
            limit,
        )
        return sorted((_job(row) for row in rows), key=lambda job: job.id)

    async def finish(self, job_id: int) -> None:
        await self._db.execute("DELETE FROM discord_jobs WHERE id = $1", job_id)

    async def retry_later(self, job_id: int, due_at: datetime, error: str) -> None:
        await self._db.execute(
            "UPDATE discord_jobs SET due_at = $2, last_error = $3 WHERE id = $1",
            job_id,
            due_at,
            error[:500],
        )
