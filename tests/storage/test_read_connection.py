"""The read side's loop connection, the stats counters of migration 0013, trusted rows."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime

from core.models import Priority, Ticket
from storage.sqlite import read_connection
from storage.sqlite.rows import fetch_all, fetch_value
from storage.sqlite.store import SqliteStore
from tests.storage.made import insert_ticket

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def _tickets(store: SqliteStore, guild: int, count: int) -> list[Ticket]:
    async def work(uow):
        return [
            await insert_ticket(uow, guild_id=guild, owner_id=7, now=NOW, priority=Priority.LOW)
            for _ in range(count)
        ]

    return await store.write(work)


async def test_median_and_outside_hours_follow_every_change(tmp_path):
    store = await SqliteStore.open(tmp_path / "desk.db")
    try:
        rng = random.Random(5)
        made = await _tickets(store, 1, 120)
        for ticket in made[:100]:  # clustered values, ties, fractions, zero
            seconds = rng.choice([0.0, 0.5, 3.0, 3.0, 59.9, 60.0, rng.uniform(0, 90_000)])
            await store.write(
                lambda uow, t=ticket, s=seconds: uow.tickets.update(t.id, first_response_seconds=s)
            )
        for ticket in made[:30]:
            await store.write(lambda uow, t=ticket: uow.support_hours.mark_opened_outside(t.id))
        await store.write(lambda uow: uow.tickets.update(made[1].id, first_response_seconds=None))
        await store.write(lambda uow: uow.tickets.delete(made[2].id))
        await store.write(lambda uow: uow.tickets.delete(made[3].id))
        reads, conn = store.reads, store.database.reader
        for _ in range(2):  # an odd count, then an even one
            values = [
                row[0]
                for row in await fetch_all(
                    conn,
                    "SELECT first_response_seconds FROM tickets WHERE guild_id = 1"
                    " AND first_response_seconds IS NOT NULL",
                )
            ]
            assert await reads.tickets.median_first_response(1) == statistics.median(values)
            await store.write(lambda uow: uow.tickets.delete(made[5].id))
            del made[5]
        outside = await fetch_value(
            conn, "SELECT COUNT(*) FROM tickets WHERE guild_id = 1 AND opened_outside_hours = 1"
        )
        assert await reads.support_hours.opened_outside(1) == outside
        assert await reads.tickets.median_first_response(2) is None
        assert await reads.support_hours.opened_outside(2) == 0
    finally:
        await store.close()


async def guild_page(store: SqliteStore) -> tuple[list[Ticket], int]:
    return await store.reads.tickets.page(
        guild_id=1, owner_id=None, status=None, department=None, priority=None, offset=0, limit=100
    )


async def test_reads_over_budget_go_to_the_thread_with_the_same_answer(tmp_path, monkeypatch):
    store = await SqliteStore.open(tmp_path / "desk.db")
    try:
        made = await _tickets(store, 1, 50)
        reads = store.database.reads
        page, total = await guild_page(store)
        # (the first read of a fresh connection may go over, parsing the schema)
        assert total == 50
        before = reads.fallbacks
        monkeypatch.setattr(read_connection, "INLINE_BUDGET_S", -1.0)  # every step is late
        monkeypatch.setattr(read_connection, "PROGRESS_STEPS", 1)
        reads._loop.set_progress_handler(reads._over_budget, 1)
        again, _ = await guild_page(store)
        assert reads.fallbacks > before
        assert again == page and [t.id for t in page] == sorted((t.id for t in made), reverse=True)
    finally:
        await store.close()


async def test_rows_build_the_same_models_as_validation(tmp_path):
    store = await SqliteStore.open(tmp_path / "desk.db")
    try:
        (ticket,) = await _tickets(store, 1, 1)
        read = await store.reads.tickets.get(ticket.id)
        assert read == Ticket.model_validate(read.model_dump()) == ticket
        assert read.model_fields_set == set(Ticket.model_fields)
    finally:
        await store.close()
