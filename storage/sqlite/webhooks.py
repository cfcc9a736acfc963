"""Outgoing webhooks and their deliveries in SQLite (core.ports.integrations)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from core.integration_models import EventName, Webhook, WebhookDelivery
from storage.sqlite.integrations import FOREVER, IN_GUILDS
from storage.sqlite.rows import Repository, fetch_all, fetch_one, from_db_time, to_db_time


def _webhook(row: Any) -> Webhook:
    return Webhook(
        id=row["id"],
        guild_id=row["guild_id"],
        url=row["url"],
        events=tuple(EventName(name) for name in json.loads(row["events"])),
        secret=row["secret"],
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
        failures=row["failures"],
        reported=bool(row["reported"]),
    )


class SqliteWebhooks(Repository):
    async def of_guild(self, guild_id: int) -> list[Webhook]:
        rows = await fetch_all(
            self._conn, "SELECT * FROM webhooks WHERE guild_id = ? ORDER BY id", (guild_id,)
        )
        return [_webhook(row) for row in rows]

    async def get(self, webhook_id: int) -> Webhook | None:
        row = await fetch_one(self._conn, "SELECT * FROM webhooks WHERE id = ?", (webhook_id,))
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
        row = await fetch_one(
            self._conn,
            "INSERT INTO webhooks (guild_id, url, events, secret, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
            (
                guild_id,
                url,
                json.dumps([event.value for event in events]),
                secret,
                created_by,
                to_db_time(now),
            ),
        )
        return _webhook(row)

    async def delete(self, guild_id: int, webhook_id: int) -> bool:
        row = await fetch_one(
            self._conn,
            "DELETE FROM webhooks WHERE id = ? AND guild_id = ? RETURNING id",
            (webhook_id, guild_id),
        )
        return row is not None

    async def record_result(self, webhook_id: int, *, ok: bool) -> Webhook | None:
        change = "failures = 0, reported = 0" if ok else "failures = failures + 1"
        row = await fetch_one(
            self._conn, f"UPDATE webhooks SET {change} WHERE id = ? RETURNING *", (webhook_id,)
        )
        return None if row is None else _webhook(row)

    async def mark_reported(self, webhook_id: int) -> None:
        await self._conn.execute("UPDATE webhooks SET reported = 1 WHERE id = ?", (webhook_id,))


def _delivery(row: Any) -> WebhookDelivery:
    return WebhookDelivery(
        id=row["id"],
        webhook_id=row["webhook_id"],
        guild_id=row["guild_id"],
        key=row["key"],
        event=EventName(row["event"]),
        body=row["body"],
        attempts=row["attempts"],
        created_at=from_db_time(row["created_at"]),
        due_at=from_db_time(row["due_at"]),
    )


# The oldest pending delivery of its (webhook, key): only it may go out.
_HEAD_OF_KEY = (
    "id = (SELECT MIN(e.id) FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id"
    " AND e.key = d.key AND e.state = 'pending')"
)


class SqliteWebhookDeliveries(Repository):
    async def next_due(self, guild_ids: Collection[int]) -> datetime | None:
        row = await fetch_one(
            self._conn,
            f"SELECT MIN(due_at) AS due FROM webhook_deliveries WHERE {IN_GUILDS}"
            " AND state = 'pending'",
            {"guilds": json.dumps(list(guild_ids))},
        )
        return None if row is None else from_db_time(row["due"])

    async def pending_count(self, webhook_id: int) -> int:
        row = await fetch_one(
            self._conn,
            "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ?"
            " AND state = 'pending'",
            (webhook_id,),
        )
        return int(row["n"])

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
        moment = to_db_time(now)
        await self._conn.execute(
            "INSERT INTO webhook_deliveries (webhook_id, guild_id, key, event, body,"
            " created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (webhook_id, guild_id, key, event.value, body, moment, moment),
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
        rows = await fetch_all(
            self._conn,
            "UPDATE webhook_deliveries SET due_at = :lease, attempts = attempts + 1"
            " WHERE id IN (SELECT d.id FROM webhook_deliveries d"
            f" WHERE d.{IN_GUILDS} AND d.state = 'pending' AND d.due_at <= :now"
            f" AND d.{_HEAD_OF_KEY} ORDER BY d.id LIMIT :limit) RETURNING *",
            {
                "guilds": json.dumps(list(guild_ids)),
                "now": to_db_time(now if due_only else FOREVER),
                "lease": to_db_time(lease_until),
                "limit": limit,
            },
        )
        return sorted((_delivery(row) for row in rows), key=lambda d: d.id)

    async def delivered(self, delivery_id: int) -> None:
        await self._conn.execute("DELETE FROM webhook_deliveries WHERE id = ?", (delivery_id,))

    async def retry_later(self, delivery_id: int, due_at: datetime, error: str) -> None:
        await self._conn.execute(
            "UPDATE webhook_deliveries SET due_at = ?, last_error = ? WHERE id = ?",
            (to_db_time(due_at), error[:500], delivery_id),
        )

    async def give_up(self, delivery_id: int, error: str) -> None:
        await self._conn.execute(
            "UPDATE webhook_deliveries SET state = 'failed', last_error = ? WHERE id = ?",
            (error[:500], delivery_id),
        )

    async def cancel_key(self, key: str) -> None:
        await self._conn.execute(
            "DELETE FROM webhook_deliveries WHERE key = ? AND state = 'pending'", (key,)
        )
