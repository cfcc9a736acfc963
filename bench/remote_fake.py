"""The benchmark's side of bench.fake_process: start it, drive it, stop it.

`RemoteFake` shows the few attributes `BotProcess` reads of a fake Discord (where it
listens, its guild, whether the bot has IDENTIFYed and synced its commands), read from the
fake's process over the control channel, so the tests' `BotProcess` runs the bot as ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.e2e.bot_process import REPO_ROOT

START_TIMEOUT = 30.0
STOP_TIMEOUT = 5.0
STATUS_POLL = 0.05
# A burst answers once every member has their link (the fake waits up to 60 s for that).
BURST_TIMEOUT = aiohttp.ClientTimeout(total=120.0)


@dataclass
class _Guild:
    id: int


@dataclass
class _Gateway:
    identifies: list[None] = field(default_factory=list)  # only its length is read


class _State:
    """What `BotProcess.start` waits on: each `changed()` is one status poll."""

    def __init__(self, fake: RemoteFake) -> None:
        self._fake = fake
        self.command_syncs = 0

    async def changed(self) -> None:
        await asyncio.sleep(STATUS_POLL)
        status = await self._fake.call("GET", "/status")
        self.command_syncs = int(status["command_syncs"])
        self._fake.gateway.identifies = [None] * int(status["identifies"])


class RemoteFake:
    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.api_base = ""
        self.gateway_url = ""
        self.guild = _Guild(0)
        self.gateway = _Gateway()
        self.state = _State(self)
        self._control = ""
        self._process: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None

    async def start(self, members: int) -> None:
        log = self.log_path.open("ab")
        try:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.fake_process",
                "--members",
                str(members),
                cwd=REPO_ROOT,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
            )
        finally:
            log.close()
        assert self._process.stdout is not None
        async with asyncio.timeout(START_TIMEOUT):
            line = await self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the fake Discord did not start; see {self.log_path}")
        where = json.loads(line)
        self.api_base = where["api_base"]
        self.gateway_url = where["gateway_url"]
        self.guild = _Guild(int(where["guild_id"]))
        self._control = where["control"]
        self._session = aiohttp.ClientSession(timeout=BURST_TIMEOUT)

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        assert self._session is not None, "start() first"
        async with self._session.request(method, self._control + path, json=body) as response:
            response.raise_for_status()
            return await response.json()

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        process = self._process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await process.wait()
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
