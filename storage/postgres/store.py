"""The PostgreSQL store: core.ports.Store over an asyncpg connection pool.

Reads go to the pool (PoolReader): each statement on any free connection, committed data
only, never waiting for writers. A unit of work is one READ COMMITTED transaction on one
pooled connection, with every repository bound to it.

The guarantee of core.ports.store (what `work` read for a decision still holds when it
commits) is kept by PostgreSQL, not by this process, so it holds for several processes
sharing one database: the repositories lock what a unit reads for a decision (row locks,
pg_advisory_xact_lock per member, FOR KEY SHARE on the guild) and write counters with
single conditional statements or ON CONFLICT; each module says which rule uses which.

Two units that lock in opposite orders may deadlock; PostgreSQL then aborts one, and it
runs again from the start (so may a serialization failure): `work` may run more than
once, as the port allows. A connection lost before COMMIT was sent is retried too, on a
fresh connection (nothing of it committed); one lost while COMMIT is in flight is not (it
may have committed): the caller gets StorageUnavailable and the member tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import asyncpg

from core.ports.store import MigrationError, StorageUnavailable, Work
from storage.postgres.advisory_lock import advisory_lock
from storage.postgres.ai import PgAIUsage
from storage.postgres.closing import PgCloseWork
from storage.postgres.connection import (
    CONNECTION_LOST,
    Executor,
    PoolReader,
    discard_if_lost,
    is_connection_lost,
    masked,
)
from storage.postgres.desk_tools import PgCloseRequests, PgParticipants, PgSupportHours
from storage.postgres.forms import PgForms, PgSubmissions
from storage.postgres.guilds import PgGuilds
from storage.postgres.health import unreachable_line
from storage.postgres.integrations import PgApiKeys, PgDiscordJobs, PgRateLimits
from storage.postgres.lifecycle import PgFeedback, PgInactivity
from storage.postgres.migrations import MIGRATIONS_DIR, apply_migrations
from storage.postgres.staff import PgBlocks, PgNotes, PgTags
from storage.postgres.tickets import PgReplies, PgTickets
from storage.postgres.webhooks import PgWebhookDeliveries, PgWebhooks

log = logging.getLogger(__name__)

T = TypeVar("T")

# A unit of work aborted by a deadlock or a serialization failure runs again this often.
CONFLICT_ATTEMPTS = 5
# One lost connection (the pool reconnects) is retried; a second means the server is down.
LOST_ATTEMPTS = 2
CONNECT_TIMEOUT_SECONDS = 10.0
POOL_SIZE = 10

_CONFLICTS = (asyncpg.exceptions.DeadlockDetectedError, asyncpg.exceptions.SerializationError)


class PgRepositories:
    """Every repository bound to one executor: core.ports.UnitOfWork on a transaction's
    connection (`in_unit`), core.ports.Reads on the pool."""

    __slots__ = (
        "ai_usage",
        "api_keys",
        "blocks",
        "close_requests",
        "close_work",
        "discord_jobs",
        "feedback",
        "forms",
        "guilds",
        "inactivity",
        "notes",
        "participants",
        "rate_limits",
        "replies",
        "submissions",
        "support_hours",
        "tags",
        "tickets",
        "webhook_deliveries",
        "webhooks",
    )

    def __init__(self, db: Executor, *, in_unit: bool) -> None:
        self.tickets = PgTickets(db, in_unit=in_unit)
        self.replies = PgReplies(db, in_unit=in_unit)
        self.guilds = PgGuilds(db, in_unit=in_unit)
        self.forms = PgForms(db, in_unit=in_unit)
        self.submissions = PgSubmissions(db, in_unit=in_unit)
        self.inactivity = PgInactivity(db, in_unit=in_unit)
        self.close_work = PgCloseWork(db, in_unit=in_unit)
        self.feedback = PgFeedback(db, in_unit=in_unit)
        self.ai_usage = PgAIUsage(db, in_unit=in_unit)
        self.participants = PgParticipants(db, in_unit=in_unit)
        self.close_requests = PgCloseRequests(db, in_unit=in_unit)
        self.support_hours = PgSupportHours(db, in_unit=in_unit)
        self.tags = PgTags(db, in_unit=in_unit)
        self.notes = PgNotes(db, in_unit=in_unit)
        self.blocks = PgBlocks(db, in_unit=in_unit)
        self.api_keys = PgApiKeys(db, in_unit=in_unit)
        self.rate_limits = PgRateLimits(db, in_unit=in_unit)
        self.discord_jobs = PgDiscordJobs(db, in_unit=in_unit)
        self.webhooks = PgWebhooks(db, in_unit=in_unit)
        self.webhook_deliveries = PgWebhookDeliveries(db, in_unit=in_unit)


class _CommitUnknown(Exception):
    """The connection went while COMMIT was in flight: the unit may have committed."""


class PostgresStore:
    """core.ports.Store on PostgreSQL; `open` connects and applies pending migrations."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self._reads = PgRepositories(PoolReader(pool), in_unit=False)

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        migrations_dir: Path = MIGRATIONS_DIR,
        min_size: int = 1,
        max_size: int = POOL_SIZE,
    ) -> PostgresStore:
        """Raises StorageUnavailable (its message the one start-up line, password masked)
        when the server can't be reached or refuses the login, MigrationError when a
        migration fails (it is rolled back)."""
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=min_size,
                max_size=max_size,
                timeout=CONNECT_TIMEOUT_SECONDS,
                reset=_nothing_left_to_reset,
            )
        except (asyncpg.PostgresError, ValueError, *CONNECTION_LOST) as error:
            # (ValueError: a URL asyncpg can't read, e.g. a port that is no number.)
            raise StorageUnavailable(unreachable_line(url, error)) from None
        try:
            async with pool.acquire() as connection:
                await apply_migrations(connection, migrations_dir)
        except RuntimeError as error:
            await pool.close()
            raise MigrationError(str(error)) from error
        except BaseException as error:
            pool.terminate()
            if isinstance(error, Exception) and is_connection_lost(error):
                raise StorageUnavailable(unreachable_line(url, error)) from None
            if isinstance(error, asyncpg.PostgresError):  # e.g. no right to read the schema
                raise MigrationError(f"the schema could not be checked: {error}") from error
            raise
        log.info("store: PostgreSQL at %s", masked(url))
        return cls(pool)

    async def close(self) -> None:
        """Waits for units of work in flight, then closes every connection."""
        await self.pool.close()

    @contextlib.asynccontextmanager
    async def shared_lock(self, key: int) -> AsyncIterator[None]:
        """core.ports.SharedLock: a session-level pg_advisory_lock on a pooled connection
        held until the block ends (storage/postgres/advisory_lock.py); every process on
        this database sees it, and a dead process's connection takes its locks along."""
        async with advisory_lock(self.pool, key):
            yield

    @property
    def reads(self) -> PgRepositories:
        return self._reads

    async def write(self, work: Work[T]) -> T:
        conflicts = lost = 0
        while True:
            try:
                return await self._run_once(work)
            except _CONFLICTS as error:
                conflicts += 1
                if conflicts >= CONFLICT_ATTEMPTS:
                    log.warning("a unit of work kept conflicting; gave up: %s", error)
                    raise StorageUnavailable() from error
                # Jittered, growing pauses so the units that collided don't collide again.
                await asyncio.sleep(random.uniform(0, 0.01 * 2**conflicts))
            except _CommitUnknown as unknown:
                raise StorageUnavailable() from unknown.__cause__
            except Exception as error:
                if not is_connection_lost(error):
                    raise
                lost += 1
                if lost >= LOST_ATTEMPTS:
                    log.warning("a unit of work failed on a lost connection: %s", error)
                    raise StorageUnavailable() from error
                await asyncio.sleep(0.1)

    async def _run_once(self, work: Work[T]) -> T:
        async with self.pool.acquire() as connection:
            transaction = connection.transaction()
            try:
                await transaction.start()
                result = await work(PgRepositories(connection, in_unit=True))
            except BaseException as error:
                discard_if_lost(connection, error)
                if not connection.is_closed():
                    await _roll_back(transaction)
                raise
            try:
                await transaction.commit()
            except Exception as error:
                discard_if_lost(connection, error)
                if is_connection_lost(error):
                    raise _CommitUnknown() from error
                raise  # e.g. a deferred constraint: rolled back, the caller's own error
            return result


async def _nothing_left_to_reset(connection: asyncpg.Connection) -> None:
    """The pool's reset on release, in place of asyncpg's default RESET ALL / CLOSE ALL /
    UNLISTEN * / pg_advisory_unlock_all(), a round trip on every release: every read
    statement and every unit of work. asyncpg still rolls back a transaction left open
    (Connection._reset runs before this). Nothing else is ever left on a connection:
    the store sends no SET, no LISTEN, opens cursors only inside transactions, and the
    one session-level advisory lock is unlocked or its connection terminated
    (advisory_lock.py)."""


async def _roll_back(transaction: Any) -> None:
    try:
        await transaction.rollback()
    except Exception as error:  # the connection is gone: so is the transaction
        log.debug("rollback after a failed unit of work did not reach the server: %s", error)
