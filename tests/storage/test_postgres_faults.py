"""PostgreSQL failing: down at start-up, a connection lost mid-run. The pool reconnects
by itself, and a unit of work that meets a lost connection ends in core's "try again"
(StorageUnavailable), never in asyncpg's own exception."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from core.ports import StorageUnavailable
from storage.postgres.connection import is_connection_lost, masked
from storage.postgres.store import PostgresStore
from tests.postgres_server import other_database

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 1, tzinfo=UTC)
NOWHERE = "postgresql://desk:hunter2@127.0.0.1:1/tickets"


def test_passwords_are_masked():
    assert masked(NOWHERE) == "postgresql://desk:***@127.0.0.1:1/tickets"
    assert masked("postgresql://desk@db/t?password=pw&sslmode=require") == (
        "postgresql://desk@db/t?password=***&sslmode=require"
    )
    assert masked("postgresql:///t?host=/run/pg") == "postgresql:///t?host=/run/pg"


async def test_down_at_start_up_is_one_line_naming_the_url():
    with pytest.raises(StorageUnavailable) as raised:
        await PostgresStore.open(NOWHERE)
    line = str(raised.value)
    assert line.startswith(
        "PostgreSQL at DATABASE_URL=postgresql://desk:***@127.0.0.1:1/tickets could not be "
        "reached (connection refused)"
    )
    assert "hunter2" not in line


async def test_an_unreadable_url_is_named():
    with pytest.raises(StorageUnavailable) as raised:
        await PostgresStore.open("postgresql://desk:hunter2@db:port/tickets")
    assert str(raised.value).startswith(
        "DATABASE_URL=postgresql://desk:***@db:port/tickets is not a PostgreSQL URL"
    )


async def test_a_missing_database_is_named(postgres_server):
    url = other_database(postgres_server.url, "no_such_desk")
    with pytest.raises(StorageUnavailable, match=r'has no such database .*"no_such_desk"'):
        await PostgresStore.open(url)


def test_the_bot_stops_with_that_line_and_exit_code_3(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_PATH"}}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": "t", "DATABASE_URL": NOWHERE},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Database error: PostgreSQL at DATABASE_URL=postgresql://desk:***@")
    assert "hunter2" not in result.stderr + result.stdout


async def _kill_connections_of(store: PostgresStore, admin: asyncpg.Connection) -> int:
    pids = [holder._con.get_server_pid() for holder in store.pool._holders if holder._con]
    for pid in pids:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    return len(pids)


async def _insert_ticket(uow, owner: int = 1):
    return await uow.tickets.insert(
        guild_id=1,
        owner_id=owner,
        subject="s",
        message="m",
        priority="low",
        department="Sales",
        ai_active=False,
        now=NOW,
    )


@pytest.fixture
async def store_and_admin(postgres_url):
    store = await PostgresStore.open(postgres_url, min_size=2, max_size=2)
    admin = await asyncpg.connect(postgres_url)
    yield store, admin
    await admin.close()
    await store.close()


async def test_the_pool_reconnects_after_its_connections_are_killed(store_and_admin):
    store, admin = store_and_admin
    first = await store.write(_insert_ticket)
    assert await _kill_connections_of(store, admin) == 2
    second = await store.write(lambda uow: _insert_ticket(uow, owner=2))
    assert await store.reads.tickets.get(first.id) == first
    assert await store.reads.tickets.get(second.id) == second
    await _kill_connections_of(store, admin)
    assert (await store.reads.tickets.get(second.id)).id == second.id  # reads retry too


async def test_a_unit_cut_off_once_runs_again_whole(store_and_admin):
    store, admin = store_and_admin
    attempts = []

    async def work(uow):
        ticket = await _insert_ticket(uow)
        attempts.append(ticket.id)
        if len(attempts) == 1:  # the server goes away mid-unit, before COMMIT
            await admin.execute("SELECT pg_terminate_backend($1)", uow.tickets._db.get_server_pid())
        await uow.replies.insert(
            ticket_id=ticket.id,
            author_id=1,
            author_kind="member",
            body="b",
            message_id=None,
            now=NOW,
        )
        return ticket

    ticket = await store.write(work)
    assert len(attempts) == 2
    assert await store.reads.tickets.get(attempts[0]) is None  # the cut-off try left nothing
    assert (await store.reads.replies.page(ticket.id))[1] == 1


async def test_a_unit_that_keeps_losing_its_connection_says_try_again(store_and_admin):
    store, admin = store_and_admin

    async def work(uow):
        ticket = await _insert_ticket(uow)
        await admin.execute("SELECT pg_terminate_backend($1)", uow.tickets._db.get_server_pid())
        await uow.tickets.get(ticket.id)
        return ticket

    with pytest.raises(StorageUnavailable, match="try again in a moment") as raised:
        await store.write(work)
    assert is_connection_lost(raised.value.__cause__)  # asyncpg's own error stays underneath
    _, total = await store.reads.tickets.page(
        guild_id=1, owner_id=None, status=None, department=None, priority=None, offset=0, limit=5
    )
    assert total == 0  # nothing half-done was committed
    assert (await store.write(_insert_ticket)).id > 0  # and the store still works
