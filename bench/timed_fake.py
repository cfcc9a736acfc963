"""The tests' fake Discord, noting when the bot's answers arrive, before the fake's own work."""

from __future__ import annotations

import asyncio

from aiohttp import web

from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.server import Handler

API = "/api/v10"


class TimedFake(FakeDiscord):
    """Records arrival times of interaction callbacks and followups.

    Stamped as the request reaches the middleware, before the fake parses it, checks it
    against the OpenAPI spec (~10 ms of the fake's CPU each) or answers: that time is the
    fake's, not the bot's. The fake and the bot still share this machine's cores.
    """

    def __init__(self, *, validate: bool) -> None:
        super().__init__(validate=validate)
        self.callback_at: dict[int, float] = {}  # interaction id -> first callback
        self.followup_at: dict[str, float] = {}  # interaction token -> first followup
        self.followed_up = asyncio.Event()  # set at each followup, for a waiting burst

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        now = self.state.now()
        parts = request.path.removeprefix(API).split("/")
        if request.method == "POST" and len(parts) == 5 and parts[1] == "interactions":
            self.callback_at.setdefault(int(parts[2]), now)  # /interactions/{id}/{token}/callback
        elif request.method == "POST" and len(parts) == 4 and parts[1] == "webhooks":
            self.followup_at.setdefault(parts[3], now)  # /webhooks/{app}/{token}
            self.followed_up.set()
        return await super()._middleware(request, handler)
