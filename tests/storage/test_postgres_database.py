"""The PostgreSQL store's own layer: migrations, and the counters its read paths use."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import asyncpg
import pytest

from core.models import Department, Priority, Status
from core.ports import MigrationError
from storage.postgres.migrations import apply_migrations, discover, schema_version
from storage.postgres.store import PostgresStore
from tests.storage.made import insert_ticket

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def test_migrations_apply_once_and_mirror_sqlite(postgres_server):
    from storage.sqlite.migrations import discover as sqlite_migrations

    async with postgres_server.schema(migrated=False) as url:
        store = await PostgresStore.open(url)
        await store.close()
        connection = await asyncpg.connect(url)
        try:
            assert await schema_version(connection) == len(discover())
            assert await apply_migrations(connection) == 0
        finally:
            await connection.close()
    # The same numbered steps as SQLite's, each the same change in meaning.
    assert [p.name for _, p in discover()] == [p.name for _, p in sqlite_migrations()]


async def test_failing_migration_rolls_back_and_stops(postgres_server, tmp_path):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_good.sql").write_text("CREATE TABLE a (x integer);")
    (migrations / "0002_bad.sql").write_text(
        "CREATE TABLE b (x integer);\nINSERT INTO missing VALUES (1);"
    )
    async with postgres_server.schema(migrated=False) as url:
        with pytest.raises(MigrationError, match=r"0002_bad\.sql failed and was rolled back"):
            await PostgresStore.open(url, migrations_dir=migrations)
        connection = await asyncpg.connect(url)
        try:
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
            assert {row[0] for row in tables} == {"a", "schema_migrations"}  # no b
            assert await schema_version(connection) == 1
        finally:
            await connection.close()


async def test_a_newer_schema_stops_start_up(postgres_url):
    connection = await asyncpg.connect(postgres_url)
    try:
        await connection.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'x')")
    finally:
        await connection.close()
    with pytest.raises(MigrationError, match="newer than this code knows"):
        await PostgresStore.open(postgres_url)


async def _ticket(store: PostgresStore, guild: int, owner: int, priority, department):
    return await store.write(
        lambda uow: insert_ticket(
            uow, guild_id=guild, owner_id=owner, now=NOW, priority=priority, department=department
        )
    )


async def test_list_totals_median_and_ratings_follow_every_change(postgres_url):
    store = await PostgresStore.open(postgres_url)
    try:
        made = []
        for n, (priority, department) in enumerate(
            itertools.product(list(Priority), list(Department))
        ):
            made.append(await _ticket(store, 1 + n % 2, 10 + n % 3, priority, department))
        for ticket in made[::3]:
            await store.write(
                lambda uow, t=ticket: uow.tickets.update(t.id, first_response_seconds=60.0)
            )
        await store.write(lambda uow: uow.tickets.update(made[0].id, status=Status.CLOSED))
        await store.write(lambda uow: uow.tickets.update(made[1].id, department=Department.SALES))
        await store.write(lambda uow: uow.tickets.update(made[3].id, first_response_seconds=None))
        await store.write(lambda uow: uow.tickets.delete(made[6].id))
        for ticket, rating in ((made[0], 5), (made[2], 2), (made[4], 4), (made[5], 1)):
            await store.write(
                lambda uow, t=ticket, r=rating: uow.feedback.upsert(
                    ticket_id=t.id,
                    guild_id=t.guild_id,
                    user_id=t.owner_id,
                    rating=r,
                    comment=None,
                    now=NOW,
                )
            )
        await store.write(
            lambda uow: uow.feedback.upsert(
                ticket_id=made[2].id, guild_id=1, user_id=1, rating=3, comment=None, now=NOW
            )
        )
        await store.write(lambda uow: uow.tickets.delete(made[5].id))

        reads, pool = store.reads, store.pool
        for guild, status, department, owner in itertools.product(
            (1, 2), (None, Status.OPEN, Status.CLOSED), (None, Department.SALES), (None, 10)
        ):
            _, total = await reads.tickets.page(
                guild_id=guild,
                owner_id=owner,
                status=status,
                department=department,
                priority=None,
                offset=0,
                limit=5,
            )
            counted = await pool.fetchval(
                "SELECT COUNT(*) FROM tickets WHERE guild_id = $1 AND status = COALESCE($2, status)"
                " AND department = COALESCE($3, department) AND owner_id = COALESCE($4, owner_id)",
                guild,
                status,
                department,
                owner,
            )
            assert total == counted
        for guild in (1, 2):
            answered = await pool.fetch(
                "SELECT first_response_seconds FROM tickets WHERE guild_id = $1"
                " AND first_response_seconds IS NOT NULL",
                guild,
            )
            kept = await pool.fetchval("SELECT n FROM response_counts WHERE guild_id = $1", guild)
            assert kept == len(answered)
            histogram = await pool.fetchval(
                "SELECT COALESCE(SUM(n), 0) FROM response_histogram WHERE guild_id = $1", guild
            )
            assert histogram == len(answered)
            assert await reads.tickets.median_first_response(guild) == (60.0 if answered else None)
            row = await pool.fetchrow(
                "SELECT COUNT(*), AVG(rating)::float8 FROM feedback WHERE guild_id = $1", guild
            )
            assert await reads.feedback.rating_summary(guild) == (
                (row[0], row[1]) if row[0] else (0, None)
            )

        removed = await store.write(lambda uow: uow.guilds.forget(1))
        assert removed["tickets"] > 0 and removed["response_counts"] == 1
        assert await pool.fetchval("SELECT COUNT(*) FROM ticket_counts WHERE guild_id = 1") == 0
        left = "SELECT COUNT(*) FROM response_histogram WHERE guild_id = 1"
        assert await pool.fetchval(left) == 0
    finally:
        await store.close()


async def test_a_thread_belongs_to_one_ticket(postgres_url):
    store = await PostgresStore.open(postgres_url)
    try:
        first = await _ticket(store, 1, 1, Priority.LOW, Department.SALES)
        second = await _ticket(store, 1, 2, Priority.LOW, Department.SALES)
        await store.write(lambda uow: uow.tickets.update(first.id, thread_id=77))
        with pytest.raises(asyncpg.UniqueViolationError):
            await store.write(lambda uow: uow.tickets.update(second.id, thread_id=77))
        assert (await store.reads.tickets.by_thread(77)).id == first.id
    finally:
        await store.close()
