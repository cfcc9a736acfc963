"""core.ports.SharedLock on PostgreSQL: a session-level advisory lock.

For the PostgreSQL store's `shared_lock` method (wiring.shared_lock hands it to the
shards' identify gate, cogs/runtime/identify.py):

    def shared_lock(self, key: int) -> AbstractAsyncContextManager[None]:
        return advisory_lock(self.pool, key)

One pooled connection is held from `pg_advisory_lock(key)` (which waits while another
session, in any process, holds the key) to `pg_advisory_unlock(key)`. A process that dies
takes its connection along, and PostgreSQL releases the lock with it, so a crash never
leaves a key locked.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any


@contextlib.asynccontextmanager
async def advisory_lock(pool: Any, key: int) -> AsyncIterator[None]:
    """`pool`: the store's asyncpg.Pool; `key`: a signed 64-bit number."""
    async with pool.acquire() as connection:
        await connection.execute("SELECT pg_advisory_lock($1)", key)
        try:
            yield
        finally:
            # The pool does not reset a connection on release (store.py): one that may
            # still hold the lock (the unlock failed or was cancelled) is closed instead.
            try:
                if not connection.is_closed():
                    await connection.execute("SELECT pg_advisory_unlock($1)", key)
            except BaseException:
                connection.terminate()
                raise
