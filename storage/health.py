"""`python bot.py --check` on either backend: the store the settings choose (DATABASE_URL
for PostgreSQL, else the SQLite file at DATABASE_PATH), looked at read-only."""

from __future__ import annotations

from core.models import GuildConfig
from core.settings import Settings
from storage.postgres import health as postgres
from storage.sqlite import health as sqlite
from storage.sqlite.health import DatabaseHealth

__all__ = ["DatabaseHealth", "inspect_database", "read_configs"]


async def inspect_database(settings: Settings) -> DatabaseHealth:
    if settings.DATABASE_URL is not None:
        return await postgres.inspect_database(settings.DATABASE_URL.get_secret_value())
    return sqlite.inspect_database(settings.DATABASE_PATH)


async def read_configs(settings: Settings, guild_ids: list[int]) -> dict[int, GuildConfig]:
    """Each server's saved setup (only when the health said `readable`)."""
    if settings.DATABASE_URL is not None:
        return await postgres.read_configs(settings.DATABASE_URL.get_secret_value(), guild_ids)
    return await sqlite.read_configs(settings.DATABASE_PATH, guild_ids)
