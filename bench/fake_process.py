"""`python -m bench.fake_process --members N`: the tests' fake Discord, served in a process
of its own for the interaction benchmark.

The fake (REST and gateway) answers the bot from this process's event loop; the benchmark
drives it over a second, small HTTP server (the control channel, on its own port, never
seen by the bot): set the server up, send a burst of /ticket create and get its timings
back, turn spec validation on. Timings are taken here, by the fake's middleware
(bench.timed_fake), so the benchmark's own work (starting the bot, waiting, reporting)
shares no event loop with the fake. The first line on stdout says where everything is.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections import Counter
from typing import Any

from aiohttp import web

from bench.timed_fake import TimedFake, stamp_interactions_as_sent
from tests.e2e.helpers import set_up
from tests.fakes.discord import interactions as build
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.validation import get_validator

ANSWER_TIMEOUT = 60.0
SETTLE = 0.3  # quiet this long after a burst: every request of its tickets was sent
# A refused callback sets no followup: a burst looks again at least this often.
ERROR_POLL = 0.5
FIELDS = {
    "subject": "Printer on fire",
    "message": "It really is on fire, and the extinguisher is out of stock.",
}


class Control:
    """The benchmark's handle on the fake: a few routes, each one step of the measurement."""

    def __init__(self, fake: TimedFake, crowd: int) -> None:
        self.fake = fake
        self.desk = Desk(fake)
        self.names = [f"member{n}" for n in range(crowd)]

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/status", self.status),
            web.post("/setup", self.setup),
            web.post("/burst", self.burst),
            web.post("/validate", self.validate),
        ]

    async def status(self, request: web.Request) -> web.Response:
        state = self.fake.state
        identifies = len(self.fake.gateway.identifies)
        return web.json_response({"identifies": identifies, "command_syncs": state.command_syncs})

    async def setup(self, request: web.Request) -> web.Response:
        body = await request.json()
        await set_up(self.desk, cooldown=0, max_open_tickets=int(body["max_open_tickets"]))
        return web.json_response({})

    async def validate(self, request: web.Request) -> web.Response:
        self.fake.validator = get_validator()
        return web.json_response({})

    async def burst(self, request: web.Request) -> web.Response:
        """Everyone sends /ticket create at the same moment; answer once every answer is in.

        Payloads are registered directly and watched by one polling waiter: a waiter per
        member, or one woken by every change, would slow the fake, not the bot.
        """
        body = await request.json()
        fake, state = self.fake, self.fake.state
        log_from = len(state.request_log)
        limited_from = len(fake.rate_limits.hits)
        threads_from = len(fake.threads_made_at)
        violations_from = len(state.violations)
        records = []
        for name in self.names[: int(body["members"])]:
            person = self.desk.member(name)
            channel = self.desk.channel_payload("general")
            data = build.command_data(
                state, self.desk.guild, person.id, channel, "ticket create", FIELDS
            )
            payload = build.base_payload(state, self.desk.guild, person.id, channel, 2, data)
            records.append(build.register(state, payload))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(ANSWER_TIMEOUT):
                while not all(r.token in fake.followup_at or r.errors for r in records):
                    # Woken by followups only, not by every change the bot makes.
                    fake.followed_up.clear()
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(ERROR_POLL):
                            await fake.followed_up.wait()
        acks: list[float] = []
        ready: list[float] = []
        failed = 0
        for record in records:
            acked = fake.callback_at.get(record.id)
            linked = fake.followup_at.get(record.token)
            if acked is None or linked is None or record.errors:
                failed += 1
                continue
            acks.append(acked - record.sent_at)
            ready.append(linked - record.sent_at)
        await _settled(state.request_log)  # the log channel hears of each ticket last
        began = min(record.sent_at for record in records)
        threads = [made - began for made in fake.threads_made_at[threads_from:]]
        sent = state.request_log[log_from:]
        routes = Counter(f"{entry['method']} {entry['route']}" for entry in sent)
        result: dict[str, Any] = {
            "acks": acks,
            "ready": ready,
            "threads": threads,  # since the burst's first interaction, each thread made
            "failed": failed,
            "requests": len(sent),
            "routes": dict(routes),
            "violations": state.violations[violations_from:],
            "rate_limited": len(fake.rate_limits.hits) - limited_from,  # 429s answered
        }
        return web.json_response(result)


async def _settled(log: list[Any]) -> None:
    """Wait until the bot has sent nothing for SETTLE seconds (at most ANSWER_TIMEOUT)."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(ANSWER_TIMEOUT):
            seen = -1
            while len(log) != seen:
                seen = len(log)
                await asyncio.sleep(SETTLE)


async def serve(crowd: int) -> None:
    fake = TimedFake(validate=False)
    stamp_interactions_as_sent(fake)
    for n in range(crowd):
        fake.state.add_member(fake.guild, fake.state.add_user(f"member{n}"), [])
    await fake.start()
    app = web.Application()
    app.add_routes(Control(fake, crowd).routes())
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    where = {
        "api_base": fake.api_base,
        "gateway_url": fake.gateway_url,
        "guild_id": fake.guild.id,
        "control": f"http://127.0.0.1:{port}",
    }
    print(json.dumps(where), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()
    await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fake_process", description=__doc__)
    parser.add_argument("--members", type=int, required=True, help="members to add, member0..")
    args = parser.parse_args()
    asyncio.run(serve(args.members))
    sys.exit(0)


if __name__ == "__main__":
    main()
