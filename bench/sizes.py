"""How big each measurement is: the full run of issue 9, and a quick one for CI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    label: str
    # Writes: tickets created per concurrency level, by each side.
    write_tickets: int
    write_callers: tuple[int, ...]
    # Reads at scale: the generated database and how many timed calls per figure.
    tickets: int
    replies: int
    guilds: int
    long_tickets: int  # tickets with LONG_REPLIES replies, for the view figure
    read_samples: int
    # Interaction latency: (members at once, rounds).
    bursts: tuple[tuple[int, int], ...]
    # Memory: guilds the bot is in, open tickets (with live threads) in each.
    rss_guilds: int
    rss_tickets_per_guild: int
    # Shards: guilds in all, open tickets (live threads) in each, shard processes.
    shard_guilds: int = 10_000
    shard_tickets_per_guild: int = 5
    shard_processes: int = 4
    # PostgreSQL writes: tickets per side and level (every commit waits for its fsync).
    pg_write_tickets: int = 2000


LONG_REPLIES = 200

FULL = Sizes(
    label="full",
    write_tickets=4000,
    write_callers=(1, 10, 100),
    tickets=1_000_000,
    replies=5_000_000,
    guilds=1000,
    long_tickets=500,
    read_samples=2000,
    bursts=((1, 20), (20, 5), (100, 3)),
    rss_guilds=1000,
    rss_tickets_per_guild=50,
)

QUICK = Sizes(
    label="quick",
    write_tickets=300,
    write_callers=(1, 10, 100),
    tickets=10_000,
    replies=50_000,
    guilds=100,
    long_tickets=10,
    read_samples=200,
    bursts=((1, 3), (20, 1)),
    rss_guilds=20,
    rss_tickets_per_guild=50,
    shard_guilds=80,
    shard_tickets_per_guild=2,
    pg_write_tickets=100,
)
