"""`python bot.py --check`'s look at the store the settings choose (storage.health):
read-only, one line each, the password never shown."""

from __future__ import annotations

from datetime import UTC, datetime

from core.settings import Settings
from storage.health import inspect_database, read_configs
from storage.postgres.migrations import MIGRATIONS_DIR
from storage.postgres.store import PostgresStore

LATEST = len(list(MIGRATIONS_DIR.glob("*.sql")))


def settings(**values: str) -> Settings:
    return Settings(DISCORD_TOKEN="t", **values)  # type: ignore[arg-type]


async def test_postgres_current_schema_and_saved_setup(postgres_url):
    store = await PostgresStore.open(postgres_url)
    try:
        await store.write(lambda uow: uow.guilds.update_settings(5, _now(), max_open_tickets=7))
    finally:
        await store.close()
    chosen = settings(DATABASE_URL=postgres_url)
    health = await inspect_database(chosen)
    assert health.ok and health.readable
    assert health.line.endswith(f"is reachable and its schema is current ({LATEST})")
    configs = await read_configs(chosen, [5, 6])
    assert (configs[5].max_open_tickets, configs[6].max_open_tickets) == (7, 3)


async def test_postgres_not_migrated_yet_is_fine(postgres_server):
    async with postgres_server.schema(migrated=False) as url:
        health = await inspect_database(settings(DATABASE_URL=url))
    assert health.ok and not health.readable and not health.exists
    assert f"migrations 1-{LATEST} are applied at the next start" in health.line


async def test_postgres_unreachable_is_named_without_its_password():
    health = await inspect_database(
        settings(DATABASE_URL="postgresql://desk:hunter2@127.0.0.1:1/tickets")
    )
    assert not health.ok and "hunter2" not in health.line
    assert health.line.startswith("PostgreSQL at DATABASE_URL=postgresql://desk:***@127.0.0.1:1")


async def test_without_database_url_the_sqlite_file_is_looked_at(tmp_path):
    health = await inspect_database(
        settings(DATABASE_PATH=str(tmp_path / "desk.db"), DATABASE_URL="")
    )
    assert health.ok and not health.exists
    assert health.line.endswith("does not exist yet; the bot creates it at start")


def _now() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)
