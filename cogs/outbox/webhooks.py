"""Sending webhook deliveries (core/webhooks.py) for the guilds this process holds.

Each POST carries the event's JSON exactly as stored, signed with HMAC-SHA256 of that raw
body (`X-TicketDesk-Signature: sha256=<hex>`). A 2xx answer is delivered; anything else
(an error status, a timeout, a refused connection) is tried again with exponential
backoff for a day. One ticket's (or submission's) events go out one at a time, in order.
A webhook that keeps failing is reported once in the server's log channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiohttp
from discord.ext import commands

from cogs.lifecycle.upkeep import sweep_interval
from cogs.shared.desk import TicketDesk
from core.integration_models import Webhook, WebhookDelivery
from core.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    is_private_host,
    sign,
)

log = logging.getLogger(__name__)

POLL_SECONDS = 10.0  # deliveries queued by another process are looked for this often
TIMEOUT = aiohttp.ClientTimeout(total=10)
AT_ONCE = 5  # deliveries in flight at the same time


class NotDelivered(Exception):
    pass


class WebhookSender(commands.Cog):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.bot = desk.bot
        self.webhooks = desk.services.webhooks
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    async def cog_load(self) -> None:
        self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        self._task = asyncio.create_task(self._run(), name="webhook-sender")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._session is not None:
            await self._session.close()

    def wake(self) -> None:
        self._wake.set()

    def _guild_ids(self) -> list[int]:
        return [
            guild.id
            for guild in self.bot.guilds
            if not guild.unavailable and self.desk.holds(guild.id)
        ]

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        poll = min(POLL_SECONDS, sweep_interval(self.bot.settings.SWEEP_INTERVAL_SECONDS))
        due_only = False  # the first pass takes every pending delivery (see claim_due)
        while not self.bot.is_closed():
            self._wake.clear()
            try:
                while await self.run_once(due_only=due_only):
                    due_only = True
                due_only = True
            except Exception:
                log.exception("sending webhook deliveries failed; trying again")
            wait = poll
            due = await self.webhooks.next_due(self._guild_ids())
            if due is not None:
                now = self.desk.services.clock.now()
                wait = min(poll, max((due - now).total_seconds(), 0.0) + 0.05)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    async def run_once(self, *, due_only: bool = True) -> int:
        """Send what is due now; how many were tried."""
        claimed = await self.webhooks.claim_due(self._guild_ids(), due_only=due_only)
        limit = asyncio.Semaphore(AT_ONCE)

        async def one(delivery: WebhookDelivery, hook: Webhook) -> None:
            async with limit:
                await self._deliver(delivery, hook)

        await asyncio.gather(*(one(d, h) for d, h in claimed))
        return len(claimed)

    async def _deliver(self, delivery: WebhookDelivery, hook: Webhook) -> None:
        try:
            await self._post(delivery, hook)
        except Exception as error:
            reason = str(error) if isinstance(error, NotDelivered) else type(error).__name__
            log.info("webhook %s: delivery %s failed (%s)", hook.id, delivery.id, reason)
            failing = await self.webhooks.failed(delivery, reason)
            if failing is not None:
                await self._report(failing, reason)
            return
        await self.webhooks.delivered(delivery)

    async def _post(self, delivery: WebhookDelivery, hook: Webhook) -> None:
        assert self._session is not None
        host = urlsplit(hook.url).hostname or ""
        if not self.webhooks.allow_private and await _resolves_privately(host):
            raise NotDelivered("its address is private or local")
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "TicketDesk-Webhooks/1.0",
            SIGNATURE_HEADER: sign(hook.secret, body),
            EVENT_HEADER: delivery.event.value,
            DELIVERY_HEADER: str(json.loads(delivery.body).get("id", delivery.id)),
        }
        async with self._session.post(
            hook.url, data=body, headers=headers, allow_redirects=False
        ) as answer:
            if not 200 <= answer.status < 300:
                raise NotDelivered(f"the receiver answered {answer.status}")

    async def _report(self, hook: Webhook, reason: str) -> None:
        config = await self.desk.services.guilds.config(hook.guild_id)
        server = self.desk.server_speech(config)
        # `reason` is the desk's own English note (an HTTP status, an error's name).
        await self.desk.log_event(
            config,
            server._(
                "⚠️ Webhook #{webhook_id} ({url}) keeps failing ({reason}; last at {when}). "
                "Its deliveries are kept and retried for a day; check the receiver, or remove "
                "it with `/admin webhook remove`.",
                webhook_id=hook.id,
                url=hook.url,
                reason=reason,
                when=server.moment(datetime.now(UTC)),
            ),
        )


async def _resolves_privately(host: str) -> bool:
    """Whether the host is, or resolves to, a private or local address."""
    if is_private_host(host):
        return True
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False  # the POST fails on its own and is retried
    return any(is_private_host(str(info[4][0])) for info in found)
