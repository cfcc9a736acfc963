"""Ports for the integrations (SPEC §8): API keys, the rate-limit counters, the Discord work
queued by other front ends, webhooks and their deliveries."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from core.integration_models import (
    ApiKey,
    DiscordJob,
    DiscordJobKind,
    EventName,
    Webhook,
    WebhookDelivery,
)


class ApiKeyReads(Protocol):
    async def by_prefix(self, prefix: str) -> ApiKey | None:
        """The key (revoked or not) whose public part is `prefix`."""
        ...

    async def of_guild(self, guild_id: int) -> list[ApiKey]:
        """The guild's keys not revoked, oldest first."""
        ...


class ApiKeyRepository(ApiKeyReads, Protocol):
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
        """A new key; None if the guild already has a key of that name not revoked."""
        ...

    async def revoke(self, guild_id: int, name: str, now: datetime) -> ApiKey | None:
        """Revoke the guild's key of that name; None if there is none (or it is revoked)."""
        ...


class RateLimitRepository(Protocol):
    async def hit(self, bucket: str, window_start: int) -> int:
        """Count one request in `bucket`'s window starting at `window_start` (seconds since
        the epoch) and return the window's count so far; older windows are forgotten."""
        ...


class DiscordJobReads(Protocol):
    async def any_due(self, guild_ids: Collection[int], now: datetime) -> bool: ...


class DiscordJobRepository(DiscordJobReads, Protocol):
    async def add(
        self, *, guild_id: int, kind: DiscordJobKind, payload: dict[str, Any], now: datetime
    ) -> None: ...

    async def claim_due(
        self,
        guild_ids: Collection[int],
        *,
        now: datetime,
        lease_until: datetime,
        limit: int,
        due_only: bool = True,
    ) -> list[DiscordJob]:
        """Up to `limit` due jobs of these guilds (any, when not `due_only`: at start-up, a
        lease of the process's previous life means nothing), by id, each not due again
        until `lease_until` (attempts + 1): two callers never take the same job at once."""
        ...

    async def finish(self, job_id: int) -> None:
        """Done (or given up): the job is removed."""
        ...

    async def retry_later(self, job_id: int, due_at: datetime, error: str) -> None: ...


class WebhookReads(Protocol):
    async def of_guild(self, guild_id: int) -> list[Webhook]:
        """The guild's webhooks, oldest first."""
        ...

    async def get(self, webhook_id: int) -> Webhook | None: ...


class WebhookRepository(WebhookReads, Protocol):
    async def insert(
        self,
        *,
        guild_id: int,
        url: str,
        events: Collection[EventName],
        secret: str,
        created_by: int,
        now: datetime,
    ) -> Webhook: ...

    async def delete(self, guild_id: int, webhook_id: int) -> bool:
        """Remove the guild's webhook and its undelivered deliveries; False if none."""
        ...

    async def record_result(self, webhook_id: int, *, ok: bool) -> Webhook | None:
        """A delivery attempt's outcome: failures in a row + 1, or back to 0 (and not
        reported) on success. None if the webhook is gone."""
        ...

    async def mark_reported(self, webhook_id: int) -> None: ...


class WebhookDeliveryReads(Protocol):
    async def next_due(self, guild_ids: Collection[int]) -> datetime | None:
        """When the earliest pending delivery of these guilds is due (None: none pending)."""
        ...

    async def pending_count(self, webhook_id: int) -> int: ...


class WebhookDeliveryRepository(WebhookDeliveryReads, Protocol):
    async def add(
        self,
        *,
        webhook_id: int,
        guild_id: int,
        key: str,
        event: EventName,
        body: str,
        now: datetime,
    ) -> None: ...

    async def claim_due(
        self,
        guild_ids: Collection[int],
        *,
        now: datetime,
        lease_until: datetime,
        limit: int,
        due_only: bool = True,
    ) -> list[WebhookDelivery]:
        """Due pending deliveries of these guilds (any, when not `due_only`), by id, taking
        only the oldest pending one of each (webhook, key), so one ticket's events go out
        in order; each is not due again until `lease_until` (attempts + 1)."""
        ...

    async def delivered(self, delivery_id: int) -> None:
        """Delivered: removed."""
        ...

    async def retry_later(self, delivery_id: int, due_at: datetime, error: str) -> None: ...

    async def give_up(self, delivery_id: int, error: str) -> None:
        """No more attempts; the delivery is kept, failed, and no longer holds up its key."""
        ...

    async def cancel_key(self, key: str) -> None:
        """Drop the pending deliveries of `key` (a ticket that was taken back unseen)."""
        ...
