"""The tests' fake Discord, noting when the bot's answers arrive, before the fake's own work."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.gateway import Session
from tests.fakes.discord.keys import JSON
from tests.fakes.discord.server import Handler
from tests.fakes.discord.state import Payload

API = "/api/v10"


class TimedFake(FakeDiscord):
    """Records arrival times of interaction callbacks and of the followups linking a thread.

    Stamped as the request reaches the middleware, before the fake parses it, checks it
    against the OpenAPI spec (~10 ms of the fake's CPU each) or answers: that time is the
    fake's, not the bot's. The fake and the bot still share this machine's cores. A
    followup counts once it is answered and its text links a channel (`<#id>`, the
    thread): a ticket held back past THREAD_PATIENCE first gets a "still opening" followup.
    """

    def __init__(self, *, validate: bool) -> None:
        super().__init__(validate=validate)
        self.callback_at: dict[int, float] = {}  # interaction id -> first callback
        self.followup_at: dict[str, float] = {}  # interaction token -> followup with a link
        self.followed_up = asyncio.Event()  # set at each followup, for a waiting burst
        # When each thread was made (answered 2xx): under a burst, Discord's bucket for
        # thread creation in one channel sets when the last ones can exist at all.
        self.threads_made_at: list[float] = []

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        now = self.state.now()
        parts = request.path.removeprefix(API).split("/")
        if request.method == "POST" and len(parts) == 5 and parts[1] == "interactions":
            self.callback_at.setdefault(int(parts[2]), now)  # /interactions/{id}/{token}/callback
        response = await super()._middleware(request, handler)
        made = request.method == "POST" and response.status < 300
        if made and parts[1:2] == ["channels"] and parts[3:] == ["threads"]:  # a new thread
            self.threads_made_at.append(self.state.now())
        if request.method == "POST" and len(parts) == 4 and parts[1] == "webhooks":
            body = request.get(JSON) or {}  # /webhooks/{app}/{token}
            if response.status < 300 and "<#" in str(body.get("content") or ""):
                self.followup_at.setdefault(parts[3], now)
                self.followed_up.set()
        return response


def stamp_interactions_as_sent(fake: FakeDiscord) -> None:
    """Time each INTERACTION_CREATE from when its frame is sent on the bot's socket.

    A burst queues all its frames at once and one writer per socket sends them in order,
    between the fake's other work (answering the bot): the queueing is the fake's time,
    not the bot's. Only the benchmark's own fake process (bench.fake_process) does this.
    """
    interactions = fake.state.interactions

    async def write(ws: web.WebSocketResponse, outbox: asyncio.Queue[Payload]) -> None:
        while not ws.closed:
            frame = await outbox.get()
            if frame.get("t") == "INTERACTION_CREATE":
                record = interactions.get(int(frame["d"]["id"]))
                if record is not None:  # stamped as it goes: no answer can come before
                    record.sent_at = fake.state.now()
            with contextlib.suppress(ConnectionResetError):
                await ws.send_json(frame)

    Session._write = staticmethod(write)  # type: ignore[method-assign]
