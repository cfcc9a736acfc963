"""Outgoing webhooks (SPEC §8): admins add them, events go out signed, from an outbox.

An event (core/events.py) becomes one delivery row per webhook subscribed to it, written
in the unit of work that made the event (`fan_out`). The process holding the guild sends
them (the bot: cogs/admin/webhook_delivery.py): at least once, one key (a ticket, a
submission) at a time in order, retried with exponential backoff for a day; a webhook
that keeps failing is reported once in the log channel until it works again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from core.clock import Clock
from core.errors import InvalidInput, LimitReached, NotFound
from core.events import TICKET_DISCARDED, DomainEvent
from core.guilds import GuildService
from core.integration_models import EventName, Webhook, WebhookDelivery
from core.models import Actor
from core.policy import require_admin
from core.ports import Store, UnitOfWork
from core.public import closing_view, reply_view, submission_view, ticket_view, when

log = logging.getLogger(__name__)

MAX_WEBHOOKS = 10
URL_MAX = 500
SIGNATURE_HEADER = "X-TicketDesk-Signature"
EVENT_HEADER = "X-TicketDesk-Event"
DELIVERY_HEADER = "X-TicketDesk-Delivery"
GIVE_UP_AFTER = timedelta(days=1)
LONGEST_PAUSE = timedelta(hours=1)
LEASE = timedelta(minutes=2)  # longer than one attempt's timeout
REPORT_AFTER = 5  # failed attempts in a row before the log channel hears of it


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: HMAC-SHA256 of the raw body, hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_private_host(host: str) -> bool:
    """A loopback, private, link-local or reserved address (or localhost)."""
    if host.rstrip(".").lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def pause_after(attempts: int, base_seconds: float) -> timedelta:
    """base, 2×base, 4×base … between attempts, at most an hour."""
    return min(timedelta(seconds=base_seconds * 2 ** min(max(attempts - 1, 0), 20)), LONGEST_PAUSE)


def parse_events(text: str | None) -> tuple[EventName, ...]:
    """Event names separated by commas or spaces; none given means every event."""
    if text is None or not text.strip():
        return tuple(EventName)
    chosen: list[EventName] = []
    for word in text.replace(",", " ").split():
        try:
            event = EventName(word.strip().lower())
        except ValueError:
            raise InvalidInput(
                "events", "webhook.unknown_event", event=word[:40], choices=list(EventName)
            ) from None
        if event not in chosen:
            chosen.append(event)
    return tuple(chosen)


def check_url(url: object, *, allow_private: bool) -> str:
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("url", "input.empty")
    text = url.strip()
    if len(text) > URL_MAX:
        raise InvalidInput("url", "input.max_characters", max=URL_MAX)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("url", "webhook.url")
    if parts.username or parts.password:
        raise InvalidInput("url", "webhook.url_credentials")
    if not allow_private and is_private_host(parts.hostname):
        raise InvalidInput("url", "webhook.url_private")
    return text


def event_body(event: DomainEvent, delivery_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": delivery_id,
        "event": event.name,
        "guild_id": str(event.guild_id),
        "created_at": when(event.at),
    }
    if event.ticket is not None:
        body["ticket"] = ticket_view(event.ticket)
        if event.name == EventName.TICKET_CLOSED:
            body["ticket"].update(closing_view(event.ticket))
    if event.previous_status is not None and event.ticket is not None:
        body["previous_status"] = event.previous_status.value
        body["status"] = event.ticket.status.value
    if event.reply is not None:
        body["reply"] = reply_view(event.reply)
    if event.submission is not None:
        body["submission"] = submission_view(event.submission)
    return body


async def fan_out(uow: UnitOfWork, event: DomainEvent) -> None:
    """Subscriber: one delivery per webhook of the guild that wants this event."""
    if event.name == TICKET_DISCARDED:
        await uow.webhook_deliveries.cancel_key(event.key)
        return
    hooks = [h for h in await uow.webhooks.of_guild(event.guild_id) if event.name in h.events]
    if not hooks:
        return
    # One id per event: a receiver seeing it twice (at-least-once) knows it is a repeat.
    body = json.dumps(event_body(event, str(uuid.uuid4())), separators=(",", ":"))
    for hook in hooks:
        await uow.webhook_deliveries.add(
            webhook_id=hook.id,
            guild_id=event.guild_id,
            key=event.key,
            event=EventName(event.name),
            body=body,
            now=event.at,
        )


class WebhookService:
    def __init__(
        self,
        store: Store,
        guilds: GuildService,
        clock: Clock,
        *,
        retry_base_seconds: float = 30.0,
        allow_private: bool = False,
    ) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock
        self._retry_base = retry_base_seconds
        self.allow_private = allow_private

    # -- admins ------------------------------------------------------------------------

    async def add(self, actor: Actor, url: object, events: str | None) -> Webhook:
        """A new webhook; its `secret` is shown to the admin once."""
        require_admin(actor)
        target = check_url(url, allow_private=self.allow_private)
        chosen = parse_events(events)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Webhook:
            if len(await uow.webhooks.of_guild(actor.guild_id)) >= MAX_WEBHOOKS:
                raise LimitReached("webhook.too_many", max=MAX_WEBHOOKS)
            return await uow.webhooks.insert(
                guild_id=actor.guild_id,
                url=target,
                events=chosen,
                secret=secrets.token_hex(32),
                created_by=actor.user_id,
                now=now,
            )

        hook = await self._store.write(work)
        log.info("webhook %s added in guild %s", hook.id, hook.guild_id)
        return hook

    async def list(self, actor: Actor) -> list[tuple[Webhook, int]]:
        """The guild's webhooks, each with how many deliveries are waiting."""
        require_admin(actor)
        reads = self._store.reads
        hooks = await reads.webhooks.of_guild(actor.guild_id)
        return [(hook, await reads.webhook_deliveries.pending_count(hook.id)) for hook in hooks]

    async def remove(self, actor: Actor, webhook_id: int) -> None:
        require_admin(actor)
        removed = await self._store.write(
            lambda uow: uow.webhooks.delete(actor.guild_id, webhook_id)
        )
        if not removed:
            raise NotFound("webhook.not_found", webhook_id=webhook_id)
        log.info("webhook %s removed from guild %s", webhook_id, actor.guild_id)

    # -- the sender --------------------------------------------------------------------

    async def next_due(self, guild_ids: Collection[int]) -> datetime | None:
        return await self._store.reads.webhook_deliveries.next_due(guild_ids)

    async def claim_due(
        self, guild_ids: Collection[int], *, due_only: bool = True, limit: int = 20
    ) -> list[tuple[WebhookDelivery, Webhook]]:
        """Deliveries to send now; at start-up (`due_only=False`) every pending one of these
        guilds (a lease of this process's previous life means nothing any more)."""
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> list[tuple[WebhookDelivery, Webhook]]:
            claimed = await uow.webhook_deliveries.claim_due(
                guild_ids, now=now, lease_until=now + LEASE, limit=limit, due_only=due_only
            )
            found = []
            for delivery in claimed:
                hook = await uow.webhooks.get(delivery.webhook_id)
                if hook is not None:
                    found.append((delivery, hook))
            return found

        return await self._store.write(work)

    async def delivered(self, delivery: WebhookDelivery) -> None:
        async def work(uow: UnitOfWork) -> None:
            await uow.webhook_deliveries.delivered(delivery.id)
            await uow.webhooks.record_result(delivery.webhook_id, ok=True)

        await self._store.write(work)

    async def failed(self, delivery: WebhookDelivery, error: str) -> Webhook | None:
        """Record a failed attempt: retried later, or given up after a day. Returns the
        webhook when the log channel should now hear that it keeps failing (once)."""
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Webhook | None:
            if now - delivery.created_at >= GIVE_UP_AFTER:
                await uow.webhook_deliveries.give_up(delivery.id, error)
            else:
                due = now + pause_after(delivery.attempts, self._retry_base)
                await uow.webhook_deliveries.retry_later(delivery.id, due, error)
            hook = await uow.webhooks.record_result(delivery.webhook_id, ok=False)
            if hook is None or hook.reported or hook.failures < REPORT_AFTER:
                return None
            await uow.webhooks.mark_reported(hook.id)
            return hook

        return await self._store.write(work)
