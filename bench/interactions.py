"""Interaction latency: the real bot (`python bot.py`) against the tests' fake Discord.

For /ticket create sent by 1, 20 and 100 members at once: from INTERACTION_CREATE leaving the
fake to the bot's first callback (the deferral the member sees as "thinking..."), and to the
followup that links the ready thread (ticket stored, thread made, member added, opening
posted). Timed with spec validation off: validating costs the fake ~10 ms a request on the
same two cores, which would be charged to the bot. A last small burst runs with validation
on to show the bot's requests are still all valid.

The baseline is a floor run: the same bot and fake, with /ticket create stubbed to answer
at once (bench/ack_floor). Whatever latency that leaves belongs to discord.py, the fake and
the machine, not to the bot's own work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bench.stats import percentile
from bench.timed_fake import TimedFake
from tests.e2e.bot_process import REPO_ROOT, BotProcess
from tests.e2e.helpers import set_up
from tests.fakes.discord import interactions as build
from tests.fakes.discord.driver import Desk, Person
from tests.fakes.discord.validation import get_validator

ANSWER_TIMEOUT = 60.0
FLOOR_HOOK = Path(__file__).resolve().parent / "ack_floor"
CHECKED_BURST = 5
FIELDS = {
    "subject": "Printer on fire",
    "message": "It really is on fire, and the extinguisher is out of stock.",
}


@dataclass
class Burst:
    members: int
    acks: list[float] = field(default_factory=list)
    ready: list[float] = field(default_factory=list)
    failed: int = 0

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


@dataclass
class InteractionResult:
    bursts: list[Burst]
    floor: list[Burst]  # the same bursts against the bot with its ticket work stubbed out
    checked_requests: int
    violations: list[str]


async def _burst(fake: TimedFake, desk: Desk, people: list[Person], result: Burst) -> None:
    """Everyone sends /ticket create at the same moment; wait until every answer is in.

    Payloads are registered directly and watched by one waiter: a `Person.slash` per member
    would run a polling loop each in the fake's process and slow the fake, not the bot.
    """
    state = fake.state
    records = []
    for person in people:
        channel = desk.channel_payload("general")
        data = build.command_data(state, desk.guild, person.id, channel, "ticket create", FIELDS)
        payload = build.base_payload(state, desk.guild, person.id, channel, 2, data)
        records.append(build.register(state, payload))
    await desk.wait_for(
        lambda: all(r.token in fake.followup_at or r.errors for r in records),
        ANSWER_TIMEOUT,
        "every member's answer",
    )
    for record in records:
        acked = fake.callback_at.get(record.id)
        ready = fake.followup_at.get(record.token)
        if acked is None or ready is None or record.errors:
            result.failed += 1
            continue
        result.acks.append(acked - record.sent_at)
        result.ready.append(ready - record.sent_at)


async def _run(
    workdir: Path,
    name: str,
    bursts: tuple[tuple[int, int], ...],
    env: dict[str, str],
    *,
    check_spec: bool,
) -> tuple[list[Burst], int, list[str]]:
    fake = TimedFake(validate=False)
    crowd = max(members for members, _ in bursts)
    for n in range(crowd):
        fake.state.add_member(fake.guild, fake.state.add_user(f"member{n}"), [])
    await fake.start()
    db_path = workdir / f"{name}.db"
    bot = BotProcess(fake, db_path, workdir / f"{name}-bot.log", env)
    try:
        await bot.start()
        desk = Desk(fake, bot, db_path)
        rounds = sum(r for _, r in bursts) + 1
        await set_up(desk, cooldown=0, max_open_tickets=min(50, rounds))
        people = [desk.member(f"member{n}") for n in range(crowd)]
        results = []
        for members, count in bursts:
            burst = Burst(members)
            for _ in range(count):
                await _burst(fake, desk, people[:members], burst)
            results.append(burst)
        if not check_spec:
            return results, 0, []
        # Same bot, validation on: the timed requests' shape, checked against the spec.
        fake.validator = get_validator()
        checked_from = len(fake.state.request_log)
        await _burst(fake, desk, people[:CHECKED_BURST], Burst(CHECKED_BURST))
        checked = len(fake.state.request_log) - checked_from
        return results, checked, list(fake.state.violations)
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
