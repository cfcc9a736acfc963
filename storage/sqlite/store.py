"""The SQLite store: core.ports.Store over one database file (database.py).

Reads go to the read connections: under WAL they see committed data only and never wait
for the writer; small ones run on the event loop (read_connection.py). A unit of work is the repositories bound to the write connection, run by
the single writer task inside its own SAVEPOINT of a group-committed transaction.

The guarantee of core.ports.store holds because there is exactly one writer: units of
work run one after another on one connection, so nothing commits between a check inside
`work` (a count, a status) and the write that depends on it. No locks are needed; the
cost is that `work` must be quick (it only talks to the database).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

from core.ports.store import Work
from storage.sqlite.ai import SqliteAIUsage
from storage.sqlite.closing import SqliteCloseWork
from storage.sqlite.database import Database
from storage.sqlite.desk_tools import SqliteCloseRequests, SqliteParticipants, SqliteSupportHours
from storage.sqlite.forms import SqliteForms, SqliteSubmissions
from storage.sqlite.guilds import SqliteGuilds
from storage.sqlite.integrations import SqliteApiKeys, SqliteDiscordJobs, SqliteRateLimits
from storage.sqlite.lifecycle import SqliteFeedback, SqliteInactivity
from storage.sqlite.migrations import MIGRATIONS_DIR
from storage.sqlite.rows import Connection
from storage.sqlite.staff import SqliteBlocks, SqliteNotes, SqliteTags
from storage.sqlite.tickets import SqliteReplies, SqliteTickets
from storage.sqlite.webhooks import SqliteWebhookDeliveries, SqliteWebhooks

T = TypeVar("T")


class SqliteRepositories:
    """Every repository bound to one connection: core.ports.UnitOfWork on the write
    connection, core.ports.Reads on the read connection."""

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

    def __init__(self, connection: Connection) -> None:
        self.tickets = SqliteTickets(connection)
        self.replies = SqliteReplies(connection)
        self.guilds = SqliteGuilds(connection)
        self.forms = SqliteForms(connection)
        self.submissions = SqliteSubmissions(connection)
        self.inactivity = SqliteInactivity(connection)
        self.close_work = SqliteCloseWork(connection)
        self.feedback = SqliteFeedback(connection)
        self.ai_usage = SqliteAIUsage(connection)
        self.api_keys = SqliteApiKeys(connection)
        self.rate_limits = SqliteRateLimits(connection)
        self.discord_jobs = SqliteDiscordJobs(connection)
        self.webhooks = SqliteWebhooks(connection)
        self.webhook_deliveries = SqliteWebhookDeliveries(connection)
        self.participants = SqliteParticipants(connection)
        self.close_requests = SqliteCloseRequests(connection)
        self.support_hours = SqliteSupportHours(connection)
        self.tags = SqliteTags(connection)
        self.notes = SqliteNotes(connection)
        self.blocks = SqliteBlocks(connection)


class SqliteStore:
    """core.ports.Store on SQLite; `open` applies pending migrations first."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._reads = SqliteRepositories(database.reads)

    @classmethod
    async def open(cls, path: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR) -> SqliteStore:
        """Raises core.ports.MigrationError when a migration fails (it is rolled back)."""
        return cls(await Database.open(path, migrations_dir=migrations_dir))

    async def close(self) -> None:
        """Lets queued writes finish, then closes both connections."""
        await self.database.close()

    @property
    def reads(self) -> SqliteRepositories:
        return self._reads

    @contextlib.asynccontextmanager
    async def shared_lock(self, key: int) -> AsyncIterator[None]:
        """core.ports.SharedLock: a no-op. One process owns a SQLite file (its single
        writer), so there is no other process to coordinate with."""
        yield

    async def write(self, work: Work[T]) -> T:
        # The write connection is handed over only inside the writer's SAVEPOINT, so the
        # repositories are bound to it there (a handful of small objects per write).
        return await self.database.write(lambda connection: work(SqliteRepositories(connection)))
