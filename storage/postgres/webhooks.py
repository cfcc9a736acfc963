"""Outgoing webhooks and their deliveries on PostgreSQL (core.ports.integrations).

Race-freedom, kept by PostgreSQL across processes: deliveries are claimed with
`FOR UPDATE SKIP LOCKED` and leased in the same UPDATE, so one process sends each; only
the oldest pending delivery of its (webhook, key) may be claimed, and a claimed one stays
pending (leased) until delivered, so a key's next event waits for it whichever process
looks; a webhook's failure count is one UPDATE (failures = failures + 1).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from core.integration_models import EventName, Webhook, WebhookDelivery
from storage.postgres.integrations import FOREVER
from storage.postgres.rows import Repository, affected


def _webhook(row: Any) -> Webhook:
    return Webhook(
        id=row["id"],
        guild_id=row["guild_id"],
        url=row["url"],
        events=tuple(EventName(name) for name in json.loads(row["events"])),
        secret=row["secret"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        failures=row["failures"],
        reported=row["reported"],
    )


class PgWebhooks(Repository):
    async def of_guild(self, guild_id: int) -> list[Webhook]:
        rows = await self._db.fetch(
            "SELECT * FROM webhooks WHERE guild_id = $1 ORDER BY id", guild_id
        )
        return [_webhook(row) for row in rows]

    async def get(self, webhook_id: int) -> Webhook | None:
        row = await self._db.fetchrow("SELECT * FROM webhooks WHERE id = $1", webhook_id)
        return None if row is None else _webhook(row)

    async def insert(
        self,
        *,
        guild_id: int,
        url: str,
        events: Collection[EventName],
        secret: str,
        created_by: int,
        now: datetime,
    ) -> Webhook:
        row = await self._db.fetchrow(
            "INSERT INTO webhooks (guild_id, url, events, secret, created_by, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
            guild_id,
            url,
            json.dumps([event.value for event in events]),
            secret,
            created_by,
            now,
        )
        return _webhook(row)

    async def delete(self, guild_id: int, webhook_id: int) -> bool:
        status = await self._db.execute(
            "DELETE FROM webhooks WHERE id = $1 AND guild_id = $2", webhook_id, guild_id
        )
        return affected(status) == 1

    async def record_result(self, webhook_id: int, *, ok: bool) -> Webhook | None:
        change = "failures = 0, reported = false" if ok else "failures = failures + 1"
        row = await self._db.fetchrow(
            f"UPDATE webhooks SET {change} WHERE id = $1 RETURNING *", webhook_id
        )
        return None if row is None else _webhook(row)

    async def mark_reported(self, webhook_id: int) -> None:
        await self._db.execute("UPDATE webhooks SET reported = true WHERE id = $1", webhook_id)


def _delivery(row: Any) -> WebhookDelivery:
    return WebhookDelivery(
        id=row["id"],
        webhook_id=row["webhook_id"],
        guild_id=row["guild_id"],
        key=row["key"],
        event=EventName(row["event"]),
        body=row["body"],
        attempts=row["attempts"],
        created_at=row["created_at"],
        due_at=row["due_at"],
    )


# The oldest pending delivery of its (webhook, key): only it may go out.
_HEAD_OF_KEY = (
    "d.id = (SELECT MIN(e.id) FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id"
    " AND e.key = d.key AND e.state = 'pending')"
)


class PgWebhookDeliveries(Repository):
    async def next_due(self, guild_ids: Collection[int]) -> datetime | None:
        return await self._db.fetchval(
            "SELECT MIN(due_at) FROM webhook_deliveries WHERE guild_id = ANY($1::bigint[])"
            " AND state = 'pending'",
            list(guild_ids),
        )

    async def pending_count(self, webhook_id: int) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $1"
                " AND state = 'pending'",
                webhook_id,
            )
        )

    async def add(
        self,
        *,
        webhook_id: int,
        guild_id: int,
        key: str,
        event: EventName,
        body: str,
        now: datetime,
    ) -> None:
        await self._db.execute(
            "INSERT INTO webhook_deliveries (webhook_id, guild_id, key, event, body,"
            " created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
            webhook_id,
            guild_id,
            key,
            event.value,
            body,
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
    ) -> list[WebhookDelivery]:
        rows = await self._db.fetch(
            "UPDATE webhook_deliveries SET due_at = $3, attempts = attempts + 1"
            " WHERE id IN (SELECT d.id FROM webhook_deliveries d"
            " WHERE d.guild_id = ANY($1::bigint[]) AND d.state = 'pending' AND d.due_at <= $2"
            f" AND {_HEAD_OF_KEY} ORDER BY d.id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING *",
            list(guild_ids),
            now if due_only else FOREVER,
            lease_until,
            limit,
        )
        return sorted((_delivery(row) for row in rows), key=lambda d: d.id)

    async def delivered(self, delivery_id: int) -> None:
        await self._db.execute("DELETE FROM webhook_deliveries WHERE id = $1", delivery_id)

    async def retry_later(self, delivery_id: int, due_at: datetime, error: str) -> None:
        await self._db.execute(
            "UPDATE webhook_deliveries SET due_at = $2, last_error = $3 WHERE id = $1",
            delivery_id,
            due_at,
            error[:500],
        )

    async def give_up(self, delivery_id: int, error: str) -> None:
        await self._db.execute(
            "UPDATE webhook_deliveries SET state = 'failed', last_error = $2 WHERE id = $1",
            delivery_id,
            error[:500],
        )

    async def cancel_key(self, key: str) -> None:
        await self._db.execute(
            "DELETE FROM webhook_deliveries WHERE key = $1 AND state = 'pending'", key
        )
