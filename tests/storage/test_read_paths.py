"""Counters that keep reads fast at scale stay equal to what counting the rows would say."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from core.models import Department, Priority, Status
from storage.sqlite.rows import fetch_one, fetch_value
from storage.sqlite.store import SqliteStore
from tests.storage.made import insert_ticket

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def _ticket(
    store: SqliteStore, guild: int, owner: int, priority: Priority, department: Department
):
    return await store.write(
        lambda uow: insert_ticket(
            uow, guild_id=guild, owner_id=owner, now=NOW, priority=priority, department=department
        )
    )


async def test_list_totals_and_median_counts_follow_every_change(tmp_path):
    store = await SqliteStore.open(tmp_path / "desk.db")
    try:
        made = []
        for n, (priority, department) in enumerate(
            itertools.product(list(Priority), list(Department))
        ):
            made.append(await _ticket(store, 1 + n % 2, 10 + n % 3, priority, department))
        for ticket in made[::3]:  # answered, then some re-triaged, one closed, one deleted
            await store.write(
                lambda uow, t=ticket: uow.tickets.update(t.id, first_response_seconds=60.0)
            )
        await store.write(lambda uow: uow.tickets.update(made[0].id, status=Status.CLOSED))
        await store.write(lambda uow: uow.tickets.update(made[1].id, department=Department.SALES))
        await store.write(lambda uow: uow.tickets.delete(made[3].id))

        reads, conn = store.reads, store.database.reader
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
            sql = "SELECT COUNT(*) FROM tickets WHERE guild_id = ?"
            params: list[object] = [guild]
            for column, value in (
                ("status", status),
                ("department", department),
                ("owner_id", owner),
            ):
                if value is not None:
                    sql += f" AND {column} = ?"
                    params.append(value)
            assert total == await fetch_value(conn, sql, params)
        for guild in (1, 2):
            answered = await fetch_value(
                conn,
                "SELECT COUNT(*) FROM tickets WHERE guild_id = ?"
                " AND first_response_seconds IS NOT NULL",
                (guild,),
            )
            kept = await fetch_value(
                conn, "SELECT n FROM response_counts WHERE guild_id = ?", (guild,)
            )
            assert kept == answered
            assert await reads.tickets.median_first_response(guild) == (60.0 if answered else None)

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
        await store.write(  # a changed rating, a comment only, a ticket (and its rating) deleted
            lambda uow: uow.feedback.upsert(
                ticket_id=made[2].id, guild_id=1, user_id=1, rating=3, comment=None, now=NOW
            )
        )
        await store.write(
            lambda uow: uow.feedback.upsert(
                ticket_id=made[4].id, guild_id=1, user_id=1, rating=None, comment="ok", now=NOW
            )
        )
        await store.write(lambda uow: uow.tickets.delete(made[5].id))
        for guild in (1, 2):
            row = await fetch_one(
                conn, "SELECT COUNT(*), AVG(rating) FROM feedback WHERE guild_id = ?", (guild,)
            )
            expected = (row[0], row[1]) if row[0] else (0, None)
            assert await reads.feedback.rating_summary(guild) == expected

        removed = await store.write(lambda uow: uow.guilds.forget(1))
        assert removed["response_counts"] == 1
        assert removed["rating_counts"] == 1
        assert (
            await fetch_value(conn, "SELECT COUNT(*) FROM response_counts WHERE guild_id = 1") == 0
        )
    finally:
        await store.close()
