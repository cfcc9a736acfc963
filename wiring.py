"""The one place that chooses implementations: which store, which clock.

bot.py calls this; nothing in core/ or cogs/ knows which database the store uses.
DATABASE_URL=postgresql://… chooses PostgreSQL (SPEC §10); otherwise the SQLite file at
DATABASE_PATH, the default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from core.clock import Clock, OffsetFileClock, SystemClock
from core.ports import MigrationError, SharedLock, StorageUnavailable, Store
from core.services import Services, build_services
from core.settings import Settings
from storage.sqlite.store import SqliteStore

if TYPE_CHECKING:
    # Imported when DATABASE_URL asks for it: asyncpg costs a SQLite desk ~3 MB for nothing.
    from storage.postgres.store import PostgresStore

__all__ = [
    "MigrationError",
    "OpenStore",
    "StorageUnavailable",
    "build",
    "make_clock",
    "open_store",
    "shared_lock",
    "store_is_shared",
]

OpenStore: TypeAlias = "SqliteStore | PostgresStore"


async def open_store(settings: Settings) -> OpenStore:
    """Open the database, applying pending migrations. Raises MigrationError (a migration
    failed and was rolled back) or StorageUnavailable (PostgreSQL can't be reached or
    refused the login: its message is the one line to print, password masked)."""
    if settings.DATABASE_URL is not None:
        from storage.postgres.store import PostgresStore

        return await PostgresStore.open(settings.DATABASE_URL.get_secret_value())
    return await SqliteStore.open(settings.DATABASE_PATH)


def store_is_shared(settings: Settings) -> bool:
    """Whether several processes may write the chosen database at once: PostgreSQL (each
    rule kept by PostgreSQL itself), not SQLite (one writer, so the HTTP API must then run
    inside the bot process: `python -m api` refuses)."""
    return settings.DATABASE_URL is not None


def shared_lock(store: OpenStore) -> SharedLock:
    """The lock every process sharing `store` sees (core/ports/coordination.py), for the
    shards' identify gate: SQLite's is a no-op (one process per file); a PostgreSQL store
    gives its advisory lock here."""
    return store.shared_lock


def make_clock(settings: Settings) -> Clock:
    # End-to-end tests move the bot's time through a file; production uses the system clock.
    if settings.TEST_CLOCK_OFFSET_FILE is not None:
        return OffsetFileClock(settings.TEST_CLOCK_OFFSET_FILE)
    return SystemClock()


def build(store: Store, settings: Settings) -> Services:
    return build_services(store, settings, make_clock(settings))
