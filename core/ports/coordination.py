"""Coordination between processes that share one store (SPEC §10: several shard processes).

`SharedLock`: `async with shared_lock(key):` holds a lock, named by a number, that every
process using the same store sees; it is released when the block ends or the process
dies. The desk uses it to space the gateway's session starts across processes (the
Discord front end's identify gate, cogs/runtime/identify.py), and only there: it is not
part of `Store`, because no service rule may depend on it (units of work carry their own
guarantee, core/ports/store.py).

A store provides it as its `shared_lock` method, chosen in wiring.py:
- SQLite serves one process (its single writer owns the file), so there is nothing to
  share and its lock is a no-op (storage/sqlite/store.py).
- PostgreSQL: a session-level `pg_advisory_lock(key)` on a connection taken from the pool
  and kept until release (`pg_advisory_unlock`, then the connection goes back); a dead
  process's connection closes and PostgreSQL lets go of its locks.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

# Keys are 64-bit (PostgreSQL's advisory lock space); each use takes its own range.
IDENTIFY_LOCK_KEYS = 0x7469636B_00000000  # "tick": + the identify bucket


class SharedLock(Protocol):
    def __call__(self, key: int, /) -> AbstractAsyncContextManager[None]: ...
