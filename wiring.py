"""The one place that chooses implementations: which store, which clock.

bot.py calls this; nothing in core/ or cogs/ knows that the store is SQLite. A second
backend (say PostgreSQL, chosen by a setting) is added here and in storage/, not in core/.
"""

from __future__ import annotations

from core.clock import Clock, OffsetFileClock, SystemClock
from core.ports import MigrationError, SharedLock, Store
from core.services import Services, build_services
from core.settings import Settings
from storage.sqlite.store import SqliteStore

__all__ = ["MigrationError", "build", "make_clock", "open_store", "shared_lock", "store_is_shared"]


async def open_store(settings: Settings) -> SqliteStore:
    """Open the database, applying pending migrations; raises MigrationError."""
    return await SqliteStore.open(settings.DATABASE_PATH)


def store_is_shared(settings: Settings) -> bool:
    """Whether several processes may write the chosen database at once. SQLite has one
    writer, so the HTTP API must then run inside the bot process (`python -m api` refuses)."""
    return False  # only SQLite so far; a PostgreSQL store answers True


def shared_lock(store: SqliteStore) -> SharedLock:
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
