"""Small helpers shared by the repositories: the base class, affected-row counts, locks."""

from __future__ import annotations

from storage.postgres.connection import Executor


def affected(status: str) -> int:
    """Rows touched, from asyncpg's command status ("UPDATE 3", "DELETE 0", "INSERT 0 1")."""
    return int(status.rsplit(" ", 1)[-1])


# Advisory lock keys are 64-bit hashes of a readable name, taken with
# pg_advisory_xact_lock: held until the unit of work's transaction ends, by every process
# sharing the database (a process-local lock would not hold across shards). Two names
# hashing alike only make two unrelated units wait for each other.
ADVISORY_LOCK = (
    "SELECT pg_advisory_xact_lock(hashtextextended(format($1::text, $2::bigint, $3::bigint), 0))"
)


class Repository:
    """A repository bound to the connection of a unit of work (`in_unit`: inside its
    transaction, so reads made for a decision take their locks), or to the pool's reader
    for `store.reads` (committed data, never waiting)."""

    __slots__ = ("_db", "_in_unit")

    def __init__(self, db: Executor, *, in_unit: bool) -> None:
        self._db = db
        self._in_unit = in_unit

    def _locking(self, clause: str) -> str:
        """`clause` (FOR NO KEY UPDATE, ...) inside a unit of work, nothing outside one."""
        return f" {clause}" if self._in_unit else ""

    async def _advisory_lock(self, name: str, first: int, second: int) -> None:
        """Inside a unit of work, wait for any other holding `name % (first, second)`."""
        if self._in_unit:
            await self._db.execute(ADVISORY_LOCK, name, first, second)
