"""A webhook receiver for the tests: an HTTP server that checks each delivery's signature
the way a real receiver should, and can be made to fail or go away."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class Delivery:
    event: str
    delivery_id: str
    body: dict[str, Any]
    signed: bool  # the signature matched the secret


class WebhookReceiver:
    def __init__(self) -> None:
        self.secret = ""
        self.failing = False  # answer 503 (the receiver is having trouble)
        self.attempts = 0  # every POST, failed or not
        self.deliveries: list[Delivery] = []
        self._runner: web.AppRunner | None = None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.changed = asyncio.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/desk"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hooks/desk", self._receive)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        """Gone: connections are refused until `start` again."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def events(self) -> list[str]:
        return [d.event for d in self.deliveries]

    async def _receive(self, request: web.Request) -> web.Response:
        self.attempts += 1
        self.changed.set()
        if self.failing:
            return web.Response(status=503, text="busy")
        raw = await request.read()
        expected = "sha256=" + hmac.new(self.secret.encode(), raw, hashlib.sha256).hexdigest()
        signed = hmac.compare_digest(request.headers.get("X-TicketDesk-Signature", ""), expected)
        if not signed:
            return web.Response(status=401, text="bad signature")
        body = json.loads(raw)
        self.deliveries.append(
            Delivery(
                event=request.headers.get("X-TicketDesk-Event", ""),
                delivery_id=request.headers.get("X-TicketDesk-Delivery", ""),
                body=body,
                signed=signed,
            )
        )
        return web.Response(status=204)
