"""Starting gateway sessions within Discord's limit, across every shard process.

Discord lets a bot start (IDENTIFY) `max_concurrency` sessions per 5 seconds: one per
bucket `shard_id % max_concurrency`, for the whole bot, whichever process or machine the
shards run in (`GET /gateway/bot` -> `session_start_limit.max_concurrency`). Within one
process discord.py identifies one shard after another; across processes nothing does.

So before each IDENTIFY, discord.py's `before_identify_hook` waits here for its bucket:
a lock per bucket in this process, and the store's shared lock (core/ports/coordination:
a PostgreSQL advisory lock, a no-op on SQLite where only one process can run), held from
just before the IDENTIFY until 5 seconds (and a margin) after. Another shard of the same
bucket, here or in any other process, identifies only then; other buckets go at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from core.ports import SharedLock
from core.ports.coordination import IDENTIFY_LOCK_KEYS

log = logging.getLogger(__name__)

# Discord: per bucket, one IDENTIFY per 5 seconds. Counted here from before the IDENTIFY
# goes out, so half a second more: one sent a moment late must not crowd the next one.
IDENTIFY_SPACING = 5.5
FetchConcurrency = Callable[[], Awaitable[int]]
Pause = Callable[[float], Awaitable[None]]


class IdentifyGate:
    def __init__(
        self,
        shared_lock: SharedLock,
        max_concurrency: FetchConcurrency,
        *,
        spacing: float = IDENTIFY_SPACING,
        pause: Pause = asyncio.sleep,
    ) -> None:
        self._shared_lock = shared_lock
        self._fetch_concurrency = max_concurrency
        self._spacing = spacing
        self._pause = pause
        self._concurrency: int | None = None
        self._local: dict[int, asyncio.Lock] = {}
        self._releases: set[asyncio.Task[None]] = set()

    async def concurrency(self) -> int:
        """Discord's max_concurrency, asked once; 1 (the strictest) if it can't be read."""
        if self._concurrency is None:
            try:
                self._concurrency = max(1, int(await self._fetch_concurrency()))
            except Exception as error:
                log.warning("could not read max_concurrency from Discord (%s); using 1", error)
                self._concurrency = 1
        return self._concurrency

    async def before_identify(self, shard_id: int) -> None:
        """Return when shard `shard_id` may IDENTIFY; its bucket stays taken 5 s more."""
        bucket = shard_id % await self.concurrency()
        local = self._local.setdefault(bucket, asyncio.Lock())
        await local.acquire()
        shared = self._shared_lock(IDENTIFY_LOCK_KEYS + bucket)
        try:
            await shared.__aenter__()
        except BaseException:
            local.release()
            raise
        log.info("shard %s may identify (bucket %s)", shard_id, bucket)
        task = asyncio.create_task(self._release_later(local, shared), name="identify-spacing")
        self._releases.add(task)
        task.add_done_callback(self._releases.discard)

    async def _release_later(
        self, local: asyncio.Lock, shared: AbstractAsyncContextManager[None]
    ) -> None:
        try:
            await self._pause(self._spacing)
        finally:
            try:
                await shared.__aexit__(None, None, None)
            except Exception as error:  # e.g. the database connection went: so did its lock
                log.warning("could not release the identify lock: %s", error)
            finally:
                local.release()

    async def aclose(self) -> None:
        """Let go of every bucket still held (the bot is closing)."""
        for task in list(self._releases):
            task.cancel()
        for task in list(self._releases):
            with contextlib.suppress(asyncio.CancelledError):
                await task
