"""A fixed-window rate limit per credential, counted in the database so that every process
serving the HTTP API shares it."""

from __future__ import annotations

import math

from core.clock import Clock
from core.ports import Store


class RateLimiter:
    def __init__(self, store: Store, clock: Clock, *, limit: int, window_seconds: int) -> None:
        self._store = store
        self._clock = clock
        self.limit = limit
        self.window = window_seconds

    async def hit(self, bucket: str) -> int | None:
        """Count one request of `bucket`; the seconds to wait if it is over the limit."""
        now = self._clock.now().timestamp()
        start = int(now // self.window) * self.window
        count = await self._store.write(lambda uow: uow.rate_limits.hit(bucket, start))
        if count <= self.limit:
            return None
        return max(1, math.ceil(start + self.window - now))
