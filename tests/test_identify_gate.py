"""The identify gate: one IDENTIFY per max_concurrency bucket at a time, spaced, and the
store's shared lock held meanwhile, so other processes wait their turn too."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from cogs.runtime.identify import IdentifyGate
from core.ports.coordination import IDENTIFY_LOCK_KEYS


class Spacing:
    """Stands in for the 5 s pause: each one ends when the test says so."""

    def __init__(self) -> None:
        self.waiting: list[asyncio.Event] = []

    async def __call__(self, seconds: float) -> None:
        done = asyncio.Event()
        self.waiting.append(done)
        await done.wait()

    def end_first(self) -> None:
        self.waiting.pop(0).set()


class RecordingLock:
    """A shared lock that notes who holds which key (PostgreSQL's advisory lock, say)."""

    def __init__(self) -> None:
        self.events: list[str] = []

    @contextlib.asynccontextmanager
    async def __call__(self, key: int) -> AsyncIterator[None]:
        self.events.append(f"lock {key - IDENTIFY_LOCK_KEYS}")
        try:
            yield
        finally:
            self.events.append(f"unlock {key - IDENTIFY_LOCK_KEYS}")


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def concurrency_of(value: int) -> int:
    return value


async def test_one_bucket_waits_for_the_spacing_other_buckets_do_not() -> None:
    spacing, shared = Spacing(), RecordingLock()
    gate = IdentifyGate(shared, lambda: concurrency_of(2), pause=spacing)
    await gate.before_identify(0)  # bucket 0
    await gate.before_identify(1)  # bucket 1: at once
    third = asyncio.create_task(gate.before_identify(2))  # bucket 0 again: waits
    await settle()
    assert not third.done()
    assert shared.events == ["lock 0", "lock 1"]
    spacing.end_first()  # shard 0's 5 s are over
    await asyncio.wait_for(third, 1)
    assert shared.events == ["lock 0", "lock 1", "unlock 0", "lock 0"]
    await gate.aclose()
    assert shared.events[-2:] in (["unlock 1", "unlock 0"], ["unlock 0", "unlock 1"])


async def test_max_concurrency_is_asked_once_and_a_failure_means_one_bucket() -> None:
    asked = 0

    async def failing() -> int:
        nonlocal asked
        asked += 1
        raise OSError("no route")

    gate = IdentifyGate(RecordingLock(), failing, pause=Spacing())
    assert await gate.concurrency() == 1
    assert await gate.concurrency() == 1
    assert asked == 1
    await gate.aclose()


async def test_a_shared_lock_that_fails_lets_the_bucket_go() -> None:
    class Down:
        def __call__(self, key: int):
            return self

        async def __aenter__(self) -> None:
            raise ConnectionError("database restarting")

        async def __aexit__(self, *exc) -> None:
            return None

    gate = IdentifyGate(Down(), lambda: concurrency_of(1), pause=Spacing())
    for _ in range(2):  # not left holding the local lock: a retry may try again
        try:
            await gate.before_identify(0)
        except ConnectionError:
            pass
        else:
            raise AssertionError("the failure should reach discord.py, which retries")
    await gate.aclose()
