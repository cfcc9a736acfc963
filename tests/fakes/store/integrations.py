"""API keys, rate limits, queued Discord work, webhooks and deliveries in memory
(core.ports.integrations)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from core.integration_models import (
    ApiKey,
    DiscordJob,
    DiscordJobKind,
    EventName,
    Webhook,
    WebhookDelivery,
)
from tests.fakes.store.data import MemoryRepository


class MemoryApiKeys(MemoryRepository):
    async def by_prefix(self, prefix: str) -> ApiKey | None:
        return next((k for k in self._data.api_keys.values() if k.prefix == prefix), None)

    async def of_guild(self, guild_id: int) -> list[ApiKey]:
        keys = self._data.api_keys.values()
        return sorted(
            (k for k in keys if k.guild_id == guild_id and k.revoked_at is None),
            key=lambda k: k.id,
        )

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
        if any(k.name == name for k in await self.of_guild(guild_id)):
            return None
        key = ApiKey(
            id=self._data.new_id("api_keys"),
            guild_id=guild_id,
            name=name,
            prefix=prefix,
            key_hash=key_hash,
            created_by=created_by,
            created_at=now,
        )
        self._data.api_keys[key.id] = key
        return key

    async def revoke(self, guild_id: int, name: str, now: datetime) -> ApiKey | None:
        for key in await self.of_guild(guild_id):
            if key.name == name:
                revoked = key.model_copy(update={"revoked_at": now})
                self._data.api_keys[key.id] = revoked
                return revoked
        return None


class MemoryRateLimits(MemoryRepository):
    async def hit(self, bucket: str, window_start: int) -> int:
        counters = self._data.rate_limits
        for old in [k for k in counters if k[0] == bucket and k[1] < window_start]:
            del counters[old]
        counters[(bucket, window_start)] = counters.get((bucket, window_start), 0) + 1
        return counters[(bucket, window_start)]


class MemoryDiscordJobs(MemoryRepository):
    def _due(self, guild_ids: Collection[int], now: datetime) -> list[DiscordJob]:
        jobs = self._data.discord_jobs.values()
        return sorted(
            (j for j in jobs if j.guild_id in set(guild_ids) and j.due_at <= now),
            key=lambda j: j.id,
        )

    async def any_due(self, guild_ids: Collection[int], now: datetime) -> bool:
        return bool(self._due(guild_ids, now))

    async def add(
        self, *, guild_id: int, kind: DiscordJobKind, payload: dict[str, Any], now: datetime
    ) -> None:
        job = DiscordJob(
            id=self._data.new_id("discord_jobs"),
            guild_id=guild_id,
            kind=kind,
            payload=dict(payload),
            attempts=0,
            created_at=now,
            due_at=now,
        )
        self._data.discord_jobs[job.id] = job

    async def claim_due(
        self,
        guild_ids: Collection[int],
        *,
        now: datetime,
        lease_until: datetime,
        limit: int,
        due_only: bool = True,
    ) -> list[DiscordJob]:
        claimed = []
        for job in self._due(guild_ids, now if due_only else datetime.max.replace(tzinfo=UTC))[
            :limit
        ]:
            taken = job.model_copy(update={"due_at": lease_until, "attempts": job.attempts + 1})
            self._data.discord_jobs[job.id] = taken
            claimed.append(taken)
        return claimed

    async def finish(self, job_id: int) -> None:
        self._data.discord_jobs.pop(job_id, None)

    async def retry_later(self, job_id: int, due_at: datetime, error: str) -> None:
        job = self._data.discord_jobs.get(job_id)
        if job is not None:
            self._data.discord_jobs[job_id] = job.model_copy(
                update={"due_at": due_at, "last_error": error[:500]}
            )


class MemoryWebhooks(MemoryRepository):
    async def of_guild(self, guild_id: int) -> list[Webhook]:
        hooks = self._data.webhooks.values()
        return sorted((h for h in hooks if h.guild_id == guild_id), key=lambda h: h.id)

    async def get(self, webhook_id: int) -> Webhook | None:
        return self._data.webhooks.get(webhook_id)

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
        hook = Webhook(
            id=self._data.new_id("webhooks"),
            guild_id=guild_id,
            url=url,
            events=tuple(events),
            secret=secret,
            created_by=created_by,
            created_at=now,
        )
        self._data.webhooks[hook.id] = hook
        return hook

    async def delete(self, guild_id: int, webhook_id: int) -> bool:
        hook = self._data.webhooks.get(webhook_id)
        if hook is None or hook.guild_id != guild_id:
            return False
        del self._data.webhooks[webhook_id]
        deliveries = self._data.webhook_deliveries
        for delivery_id in [d.id for d, _ in deliveries.values() if d.webhook_id == webhook_id]:
            del deliveries[delivery_id]
        return True

    async def record_result(self, webhook_id: int, *, ok: bool) -> Webhook | None:
        hook = self._data.webhooks.get(webhook_id)
        if hook is None:
            return None
        change = {"failures": 0, "reported": False} if ok else {"failures": hook.failures + 1}
        self._data.webhooks[webhook_id] = hook = hook.model_copy(update=change)
        return hook

    async def mark_reported(self, webhook_id: int) -> None:
        hook = self._data.webhooks.get(webhook_id)
        if hook is not None:
            self._data.webhooks[webhook_id] = hook.model_copy(update={"reported": True})


class MemoryWebhookDeliveries(MemoryRepository):
    """Rows are (delivery, state): "pending" or "failed"; delivered ones are removed."""

    def _pending(self) -> list[WebhookDelivery]:
        rows = self._data.webhook_deliveries.values()
        return sorted((d for d, state in rows if state == "pending"), key=lambda d: d.id)

    async def next_due(self, guild_ids: Collection[int]) -> datetime | None:
        due = [d.due_at for d in self._pending() if d.guild_id in set(guild_ids)]
        return min(due, default=None)

    async def pending_count(self, webhook_id: int) -> int:
        return sum(1 for d in self._pending() if d.webhook_id == webhook_id)

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
        delivery = WebhookDelivery(
            id=self._data.new_id("webhook_deliveries"),
            webhook_id=webhook_id,
            guild_id=guild_id,
            key=key,
            event=event,
            body=body,
            attempts=0,
            created_at=now,
            due_at=now,
        )
        self._data.webhook_deliveries[delivery.id] = (delivery, "pending")

    async def claim_due(
        self,
        guild_ids: Collection[int],
        *,
        now: datetime,
        lease_until: datetime,
        limit: int,
        due_only: bool = True,
    ) -> list[WebhookDelivery]:
        heads: dict[tuple[int, str], WebhookDelivery] = {}
        for delivery in self._pending():
            heads.setdefault((delivery.webhook_id, delivery.key), delivery)
        due = sorted(
            (
                d
                for d in heads.values()
                if d.guild_id in set(guild_ids) and (d.due_at <= now or not due_only)
            ),
            key=lambda d: d.id,
        )
        claimed = []
        for delivery in due[:limit]:
            taken = delivery.model_copy(
                update={"due_at": lease_until, "attempts": delivery.attempts + 1}
            )
            self._data.webhook_deliveries[delivery.id] = (taken, "pending")
            claimed.append(taken)
        return claimed

    async def delivered(self, delivery_id: int) -> None:
        self._data.webhook_deliveries.pop(delivery_id, None)

    async def retry_later(self, delivery_id: int, due_at: datetime, error: str) -> None:
        row = self._data.webhook_deliveries.get(delivery_id)
        if row is not None:
            self._data.webhook_deliveries[delivery_id] = (
                row[0].model_copy(update={"due_at": due_at}),
                row[1],
            )

    async def give_up(self, delivery_id: int, error: str) -> None:
        row = self._data.webhook_deliveries.get(delivery_id)
        if row is not None:
            self._data.webhook_deliveries[delivery_id] = (row[0], "failed")

    async def cancel_key(self, key: str) -> None:
        rows = self._data.webhook_deliveries
        for delivery_id in [
            i for i, (d, state) in rows.items() if d.key == key and state == "pending"
        ]:
            del rows[delivery_id]
