"""A million-ticket database, generated fast with plain sqlite3 and cached under bench-data/.

Indexes and triggers of the real schema are dropped for the bulk load and recreated after
(sorting once beats a million random B-tree inserts); the counter tables (`ticket_counts`,
`response_counts`, `response_histogram`, `rating_counts`) are then filled with the GROUP BY their triggers would
have produced row by row. Guild sizes follow a power law, as real communities do, so the
biggest guilds hold tens of thousands of tickets: uniform thousand-ticket guilds would
flatter every query. On top of the power law, one guild (`BIG_GUILD`) holds a fifth of all
tickets (200,000 of the full run's million) at random times, the size a very large
community reaches; the other guilds share the rest by the power law.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.schema import create_schema, schema_fingerprint, seed_guilds
from bench.sizes import LONG_REPLIES, Sizes
from bench.writes import remove_database

log = logging.getLogger(__name__)

GENERATOR_VERSION = 2  # bump when the generated rows change
GUILD_BASE = 10**17
OWNER_BASE = 10**16
THREAD_BASE = 10**15
STAFF_ID = 42
ZIPF_EXPONENT = 0.7  # the biggest of the other 999 guilds gets ~4% of their tickets
BIG_GUILD = GUILD_BASE  # holds BIG_GUILD_SHARE of all tickets
BIG_GUILD_SHARE = 5  # one ticket in five
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)

STATUSES = (("closed", 85), ("resolved", 4), ("pending", 5), ("open", 6))
DEPARTMENTS = (("Technical Support", 55), ("Billing", 25), ("Sales", 12), ("Security", 8))
PRIORITIES = (("medium", 55), ("low", 20), ("high", 20), ("urgent", 5))
FILLER = (
    "Thanks, I tried restarting it twice and cleared the cache but the error is still there. "
    "Could you check the logs on your side? Here is the order number and a screenshot. "
)


def dataset_path(root: Path, sizes: Sizes) -> Path:
    key = f"{schema_fingerprint()}-v{GENERATOR_VERSION}-{sizes.tickets}-{sizes.replies}"
    return root / f"reads-{key}-{sizes.guilds}g.db"


def guild_ids(sizes: Sizes) -> list[int]:
    return [GUILD_BASE + n for n in range(sizes.guilds)]


def big_guild_tickets(sizes: Sizes) -> int:
    return sizes.tickets // BIG_GUILD_SHARE


def long_ticket_ids(sizes: Sizes) -> list[int]:
    """Tickets with LONG_REPLIES replies, evenly spread over time (and so over guilds)."""
    step = sizes.tickets // sizes.long_tickets
    return [1 + k * step for k in range(sizes.long_tickets)]


async def ensure_dataset(root: Path, sizes: Sizes) -> tuple[Path, float | None]:
    """The cached database for these sizes; builds it first if missing (returns build time)."""
    path = dataset_path(root, sizes)
    partial = path.with_suffix(".partial")
    if await asyncio.to_thread(_cached, path, partial):
        return path, None
    started = time.perf_counter()
    await create_schema(partial)
    await asyncio.to_thread(_fill, partial, sizes)
    await asyncio.to_thread(partial.rename, path)
    return path, time.perf_counter() - started


def _cached(path: Path, partial: Path) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_database(partial)  # a build interrupted earlier
    # Databases of an older schema or generator are never read again; they are 1.5 GB each.
    current = f"reads-{schema_fingerprint()}-v{GENERATOR_VERSION}-"
    for stale in path.parent.glob("reads-*"):
        if not stale.name.startswith(current):
            stale.unlink()
    return path.exists()


def _pick(rng: random.Random, choices: tuple[tuple[str, int], ...], count: int) -> list[str]:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices], k=count)


def _reply_counts(rng: random.Random, sizes: Sizes, long_ids: set[int]) -> list[int]:
    """Replies per ticket: LONG_REPLIES for the long ones, 1..2m-1 (mean m) for the rest."""
    short = sizes.tickets - len(long_ids)
    budget = sizes.replies - LONG_REPLIES * len(long_ids)
    mean = max(1, budget // short)
    counts = [rng.randint(1, 2 * mean - 1) for _ in range(sizes.tickets)]
    for ticket_id in long_ids:
        counts[ticket_id - 1] = LONG_REPLIES
    short_ids = [n for n in range(sizes.tickets) if n + 1 not in long_ids]
    excess = sum(counts) - sizes.replies
    while excess:  # nudge random short tickets until the total is exact
        n = rng.choice(short_ids)
        step = 1 if excess < 0 else -1
        if 1 <= counts[n] + step <= 2 * mean:
            counts[n] += step
            excess += step
    return counts


def _ticket_rows(rng: random.Random, sizes: Sizes) -> list[tuple]:
    others = guild_ids(sizes)[1:]
    weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(others))]
    count = sizes.tickets
    big = big_guild_tickets(sizes)
    owners_of = {
        g: max(10, int((count - big) * w / sum(weights)) // 5)
        for g, w in zip(others, weights, strict=True)
    }
    owners_of[BIG_GUILD] = big // 5
    guild_of = rng.choices(others, weights=weights, k=count)
    for n in rng.sample(range(count), big):
        guild_of[n] = BIG_GUILD
    statuses = _pick(rng, STATUSES, count)
    departments = _pick(rng, DEPARTMENTS, count)
    priorities = _pick(rng, PRIORITIES, count)
    step = SPAN / count
    rows = []
    for n in range(count):
        guild = guild_of[n]
        created = START + step * n
        stamp = created.isoformat(timespec="microseconds")
        closed = statuses[n] == "closed"
        answered = rng.random() < 0.9
        rows.append(
            (
                n + 1,
                guild,
                OWNER_BASE + (guild - GUILD_BASE) * 1_000_000 + rng.randrange(owners_of[guild]),
                f"Ticket {n + 1}: printer problem",
                FILLER[: 60 + n % 100],
                statuses[n],
                priorities[n],
                departments[n],
                THREAD_BASE + n,
                rng.expovariate(1 / 3600) if answered else None,
                stamp,
                stamp,
                stamp,
                stamp if closed else None,
                STAFF_ID if closed else None,
            )
        )
    return rows


def _fill(path: Path, sizes: Sizes) -> None:
    rng = random.Random(9)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # Generation only: no journal, no syncs; the database is renamed into place when done.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -1000000")
        schema = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
            " AND tbl_name IN ('tickets', 'replies', 'feedback') AND sql IS NOT NULL"
        ).fetchall()
        for kind, name, _ in schema:
            connection.execute(f"DROP {kind.upper()} {name}")
        seed_guilds(connection, guild_ids(sizes))
        long_ids = set(long_ticket_ids(sizes))
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO tickets (id, guild_id, owner_id, subject, message, status, priority,"
            " department, thread_id, first_response_seconds, created_at, updated_at,"
            " status_changed_at, closed_at, closed_by) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _ticket_rows(rng, sizes),
        )
        connection.execute("CREATE TEMP TABLE plan (ticket_id INTEGER PRIMARY KEY, n INTEGER)")
        connection.executemany(
            "INSERT INTO plan VALUES (?, ?)",
            enumerate(_reply_counts(rng, sizes, long_ids), start=1),
        )
        connection.execute("CREATE TEMP TABLE seq (k INTEGER PRIMARY KEY)")
        connection.executemany("INSERT INTO seq VALUES (?)", ((k,) for k in range(LONG_REPLIES)))
        # Replies in SQL: five million rows never pass through Python. Even replies are the
        # member's, odd ones staff's, ten minutes apart; message ids are unique and ordered.
        connection.execute(
            "INSERT INTO replies (ticket_id, author_id, author_kind, body, attachments,"
            " message_id, created_at)"
            " SELECT t.id, CASE WHEN s.k % 2 THEN ? ELSE t.owner_id END,"
            " CASE WHEN s.k % 2 THEN 'staff' ELSE 'member' END,"
            " 'Reply ' || s.k || ': ' || substr(?, 1 + (t.id + s.k) % 40, 40 + (t.id + s.k) % 90),"
            " '[]', t.thread_id * 256 + s.k,"
            " strftime('%Y-%m-%dT%H:%M:%S', unixepoch(t.created_at) + s.k * 600, 'unixepoch')"
            " || '.000000+00:00'"
            " FROM tickets AS t JOIN plan AS p ON p.ticket_id = t.id JOIN seq AS s ON s.k < p.n"
            " ORDER BY t.id, s.k",
            (STAFF_ID, FILLER),
        )
        # A rating for three closed tickets in ten, as members leave them.
        connection.execute(
            "INSERT INTO feedback (ticket_id, guild_id, user_id, rating, comment, created_at)"
            " SELECT id, guild_id, owner_id, 1 + id % 5, NULL, closed_at FROM tickets"
            " WHERE status = 'closed' AND id % 10 < 3"
        )
        # What the ticket_counts triggers would have built, in one pass.
        connection.execute(
            "INSERT INTO ticket_counts (guild_id, status, department, priority, n)"
            " SELECT guild_id, status, department, priority, COUNT(*) FROM tickets"
            " GROUP BY guild_id, status, department, priority"
        )
        connection.execute(
            "INSERT INTO response_counts (guild_id, n) SELECT guild_id, COUNT(*) FROM tickets"
            " WHERE first_response_seconds IS NOT NULL GROUP BY guild_id"
        )
        connection.execute(
            "INSERT INTO rating_counts (guild_id, n, total) SELECT guild_id, COUNT(*),"
            " SUM(rating) FROM feedback GROUP BY guild_id"
        )
        connection.execute(
            "INSERT INTO response_histogram (guild_id, lo, n) SELECT guild_id, bucket, COUNT(*)"
            " FROM (SELECT guild_id, (SELECT MAX(lo) FROM response_bucket_edges"
            " WHERE lo <= first_response_seconds) AS bucket FROM tickets"
            " WHERE first_response_seconds IS NOT NULL) GROUP BY guild_id, bucket"
        )
        connection.execute("COMMIT")
        for _, _, sql in schema:
            connection.execute(sql)
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
