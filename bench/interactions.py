"""Interaction latency: the real bot (`python bot.py`) against the tests' fake Discord.

For /ticket create sent by 1, 20 and 100 members at once: from INTERACTION_CREATE leaving the
fake to the bot's first callback (the deferral the member sees as "thinking..."), and to the
followup that links the ready thread (ticket stored, thread made, member added, opening
posted). The fake runs in a process of its own (bench.fake_process), driven over a control
channel, so the benchmark's own work shares no event loop with it. Timed with spec
validation off: validating costs the fake ~10 ms a request on the same two cores, which
would be charged to the bot. A last small burst runs with validation on to show the bot's
requests are still all valid. Discord requests per ticket are counted over the timed bursts.

The baseline is a floor run: the same bot and fake, with /ticket create stubbed to answer
at once (bench/ack_floor). Whatever latency that leaves belongs to discord.py, the fake and
the machine, not to the bot's own work.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from bench.remote_fake import RemoteFake
from bench.stats import percentile
from tests.e2e.bot_process import REPO_ROOT, BotProcess
from tests.fakes.discord import FakeDiscord

FLOOR_HOOK = Path(__file__).resolve().parent / "ack_floor"
CHECKED_BURST = 5


@dataclass
class Burst:
    members: int
    acks: list[float] = field(default_factory=list)
    ready: list[float] = field(default_factory=list)
    threads: list[float] = field(default_factory=list)  # when Discord made each thread
    failed: int = 0
    requests: int = 0  # Discord requests the bot sent while the burst ran
    rate_limited: int = 0  # of those, answered 429 (the fake's per-route buckets)
    routes: Counter[str] = field(default_factory=Counter)  # of those, by method and route

    @property
    def tickets(self) -> int:
        return len(self.acks) + self.failed

    @property
    def requests_per_ticket(self) -> float:
        return self.requests / self.tickets if self.tickets else 0.0

    @property
    def ack_p50(self) -> float:
        return percentile(self.acks, 50)

    @property
    def ack_p99(self) -> float:
        return percentile(self.acks, 99)

    @property
    def ready_p50(self) -> float:
        return percentile(self.ready, 50)

    @property
    def ready_p99(self) -> float:
        return percentile(self.ready, 99)

    @property
    def threads_p99(self) -> float:
        return percentile(self.threads, 99) if self.threads else 0.0


@dataclass
class InteractionResult:
    bursts: list[Burst]
    floor: list[Burst]  # the same bursts against the bot with its ticket work stubbed out
    checked_requests: int
    violations: list[str]


async def _burst(fake: RemoteFake, members: int, result: Burst) -> list[str]:
    """One burst of /ticket create, sent and timed in the fake's process; its violations."""
    answer = await fake.call("POST", "/burst", {"members": members})
    result.acks.extend(answer["acks"])
    result.ready.extend(answer["ready"])
    result.threads.extend(answer["threads"])
    result.failed += answer["failed"]
    result.requests += answer["requests"]
    result.rate_limited += answer["rate_limited"]
    result.routes.update(answer["routes"])
    return list(answer["violations"])


async def _run(
    workdir: Path,
    name: str,
    bursts: tuple[tuple[int, int], ...],
    env: dict[str, str],
    *,
    check_spec: bool,
) -> tuple[list[Burst], int, list[str]]:
    crowd = max(members for members, _ in bursts)
    fake = RemoteFake(workdir / f"{name}-fake.log")
    await fake.start(crowd)
    db_path = workdir / f"{name}.db"
    # BotProcess reads only where the fake listens and whether the bot is in (RemoteFake).
    bot = BotProcess(cast(FakeDiscord, fake), db_path, workdir / f"{name}-bot.log", env)
    try:
        await bot.start()
        rounds = sum(r for _, r in bursts) + 1
        await fake.call("POST", "/setup", {"max_open_tickets": min(50, rounds)})
        results = []
        for members, count in bursts:
            burst = Burst(members)
            for _ in range(count):
                await _burst(fake, members, burst)
            results.append(burst)
        if not check_spec:
            return results, 0, []
        # Same bot, validation on: the timed requests' shape, checked against the spec.
        await fake.call("POST", "/validate")
        checked = Burst(CHECKED_BURST)
        violations = await _burst(fake, CHECKED_BURST, checked)
        return results, checked.requests, violations
    finally:
        await bot.stop()
        await fake.stop()


async def measure_interactions(
    workdir: Path, bursts: tuple[tuple[int, int], ...]
) -> InteractionResult:
    floor_env = {"BENCH_ACK_FLOOR": "1", "PYTHONPATH": f"{FLOOR_HOOK}{os.pathsep}{REPO_ROOT}"}
    floor, _, _ = await _run(workdir, "floor", bursts, floor_env, check_spec=False)
    results, checked, violations = await _run(workdir, "interactions", bursts, {}, check_spec=True)
    return InteractionResult(results, floor, checked, violations)
