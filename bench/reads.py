"""Reads at scale: the four reads staff and members do most, through the service layer.

Each figure is paired with a baseline: the very SQL statements the service issued for the
same request (captured with a trace callback), replayed on a plain sqlite3 connection with
the bot's pragmas. The gap is the cost of the service layer: thread hops, models, rules.
Requests are drawn by ticket, so busy guilds are asked about as often as they are busy:
the 200,000-ticket guild of the dataset (bench/dataset.py) gets a fifth of every sampled
figure. Two more rows ask only that guild, its staff list and its stats, where counting
or ordering a whole guild would show most.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Awaitable, Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.dataset import BIG_GUILD, STAFF_ID, big_guild_tickets, long_ticket_ids
from bench.desk import ticket_service
from bench.schema import bot_pragmas, connect_raw
from bench.sizes import LONG_REPLIES, Sizes
from bench.stats import percentile
from core.models import Actor, Department, Status
from core.tickets import TicketService
from storage.sqlite.database import Database
from storage.sqlite.store import SqliteStore

# /ticket view shows five replies a page (cogs/tickets/pages.py, the embed limit); not imported so
# that the benchmark of the domain does not load discord.py.
VIEW_PAGE_SIZE = 5
WARM_UP = 50

Call = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class ReadFigure:
    name: str
    p50: float
    p99: float
    raw_p50: float
    raw_p99: float

    @classmethod
    def of(cls, name: str, latencies: list[float], raw: list[float]) -> ReadFigure:
        """The bot's latencies and the baseline's, as p50 and p99."""
        return cls(
            name,
            percentile(latencies, 50),
            percentile(latencies, 99),
            percentile(raw, 50),
            percentile(raw, 99),
        )


def _random_tickets(path: Path, count: int, total: int, rng: random.Random) -> list[tuple]:
    ids = [rng.randint(1, total) for _ in range(count)]
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return [
            connection.execute(
                "SELECT guild_id, owner_id FROM tickets WHERE id = ?", (ticket_id,)
            ).fetchone()
            for ticket_id in ids
        ]


def read_requests(tickets: TicketService, path: Path, sizes: Sizes) -> dict[str, list[Call]]:
    rng = random.Random(99)
    count = sizes.read_samples + WARM_UP
    statuses, departments = list(Status), list(Department)

    def member_list(guild: int, owner: int) -> Call:
        return lambda: tickets.list(Actor(user_id=owner, guild_id=guild))

    def staff_list(guild: int, status: Status, department: Department) -> Call:
        actor = Actor(user_id=STAFF_ID, guild_id=guild, is_staff=True)
        return lambda: tickets.list(actor, status=status, department=department)

    def view(ticket_id: int, guild: int, owner: int, page: int) -> Call:
        actor = Actor(user_id=owner, guild_id=guild)
        return lambda: tickets.view(actor, ticket_id, page=page, page_size=VIEW_PAGE_SIZE)

    def stats(guild: int) -> Call:
        return lambda: tickets.stats(Actor(user_id=STAFF_ID, guild_id=guild, is_staff=True))

    long_ids = long_ticket_ids(sizes)
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        owners = {
            i: connection.execute(
                "SELECT guild_id, owner_id FROM tickets WHERE id = ?", (i,)
            ).fetchone()
            for i in long_ids
        }
    pages = LONG_REPLIES // VIEW_PAGE_SIZE
    big = f"{big_guild_tickets(sizes) // 1000}k-ticket"
    views = []
    for _ in range(count):
        ticket_id = rng.choice(long_ids)
        views.append(view(ticket_id, *owners[ticket_id], rng.randrange(pages)))
    return {
        "member's list page": [
            member_list(g, o) for g, o in _random_tickets(path, count, sizes.tickets, rng)
        ],
        "staff list by status+dept": [
            staff_list(g, rng.choice(statuses), rng.choice(departments))
            for g, _ in _random_tickets(path, count, sizes.tickets, rng)
        ],
        f"view ({LONG_REPLIES} replies)": views,
        "guild stats": [stats(g) for g, _ in _random_tickets(path, count, sizes.tickets, rng)],
        f"staff list, {big} guild": [
            staff_list(BIG_GUILD, rng.choice(statuses), rng.choice(departments))
            for _ in range(count)
        ],
        f"guild stats, {big} guild": [stats(BIG_GUILD) for _ in range(count)],
    }


async def time_calls(calls: list[Call]) -> list[float]:
    """Each call's latency, one after another."""
    latencies = []
    for call in calls:
        begun = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - begun)
    return latencies


async def _statements(database: Database, calls: list[Call]) -> list[list[str]]:
    """The SQL each call runs on the read connection, parameters bound."""
    captured: list[list[str]] = []
    current: list[str] = []
    await database.reads.set_trace_callback(current.append)
    try:
        for call in calls:
            await call()
            captured.append(list(current))
            current.clear()
    finally:
        await database.reads.set_trace_callback(None)
    return captured


def _replay(path: Path, pragmas: dict[str, int], batches: list[list[str]]) -> list[float]:
    latencies = []
    with closing(connect_raw(path, pragmas)) as connection:
        for batch in batches:
            begun = time.perf_counter()
            for sql in batch:
                connection.execute(sql).fetchall()
            latencies.append(time.perf_counter() - begun)
    return latencies


async def measure_reads(path: Path, sizes: Sizes) -> list[ReadFigure]:
    store = await SqliteStore.open(path)
    database = store.database
    try:
        tickets = ticket_service(store)
        pragmas = await bot_pragmas(database)
        figures = []
        for name, calls in read_requests(tickets, path, sizes).items():
            await time_calls(calls[:WARM_UP])
            # Capturing the SQL runs every call once: both sides are then timed on the
            # same warm pages, as a running bot has its hot pages cached. (Timing the bot
            # first gave it the cold reads of a freshly booted machine: p99 1.4 vs 0.7 ms.)
            batches = await _statements(database, calls[WARM_UP:])
            latencies = await time_calls(calls[WARM_UP:])
            raw = _replay(path, pragmas, batches)
            figures.append(ReadFigure.of(name, latencies, raw))
        return figures
    finally:
        await store.close()
