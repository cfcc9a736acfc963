"""The median first response read from the trigger-kept histogram (SQLite 0013,
PostgreSQL 0014) equals the median of the rows, through inserts, answers moving between
buckets, answers taken back and deletions, on both engines."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime

from core.ports import Store
from storage.postgres.store import PostgresStore
from storage.sqlite.store import SqliteStore
from tests.storage.made import insert_ticket

NOW = datetime(2026, 1, 1, tzinfo=UTC)
GUILD, OTHER = 1, 2


async def _check(store: Store) -> None:
    rng = random.Random(7)
    tickets = []
    for n in range(120):
        tickets.append(
            await store.write(
                lambda uow, n=n: insert_ticket(
                    uow, guild_id=GUILD if n % 4 else OTHER, owner_id=10 + n, now=NOW
                )
            )
        )
    answered: dict[int, float] = {}

    async def answer(ticket_id: int, seconds: float | None) -> None:
        await store.write(lambda uow: uow.tickets.update(ticket_id, first_response_seconds=seconds))
        if seconds is None:
            answered.pop(ticket_id, None)
        else:
            answered[ticket_id] = seconds

    async def median_is_right() -> None:
        for guild in (GUILD, OTHER):
            values = [s for t, s in answered.items() if tickets[t - 1].guild_id == guild]
            expected = statistics.median(values) if values else None
            assert await store.reads.tickets.median_first_response(guild) == expected

    await median_is_right()  # nobody answered yet
    for ticket in tickets:
        # From sub-second to days, ties included: many buckets, some shared.
        await answer(
            ticket.id,
            rng.choice([0.0, 0.5, 3.0, 42.0, 600.0, 86_400.0 * 3])
            if rng.random() < 0.3
            else round(rng.uniform(0, 10_000), 1),
        )
        if ticket.id % 17 == 0:
            await median_is_right()
    await median_is_right()
    for ticket in tickets[::5]:  # answers move to other buckets, or are taken back
        await answer(ticket.id, None if ticket.id % 2 else rng.uniform(0, 100_000))
    await median_is_right()
    for ticket in tickets[::7]:
        await store.write(lambda uow, t=ticket: uow.tickets.delete(t.id))
        answered.pop(ticket.id, None)
    await median_is_right()
    await answer(tickets[1].id, 5.0)  # odd and even counts both come up above
    await median_is_right()


async def test_sqlite(tmp_path):
    store = await SqliteStore.open(tmp_path / "desk.db")
    try:
        await _check(store)
    finally:
        await store.close()


async def test_postgres(postgres_url):
    store = await PostgresStore.open(postgres_url)
    try:
        await _check(store)
    finally:
        await store.close()
