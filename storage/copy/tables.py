"""What `python -m storage.copy` copies: the tables in dependency order, their keys, and
how a SQLite value becomes the PostgreSQL column's value."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg

# Parents before children, so every foreign key finds its row. Keys order the rows the
# same way on both sides when they are compared.
COPIED: dict[str, tuple[str, ...]] = {
    "guild_settings": ("guild_id",),
    "department_roles": ("guild_id", "department"),
    "feature_flags": ("guild_id", "name"),
    "tickets": ("id",),
    "replies": ("id",),
    "forms": ("id",),
    "submissions": ("id",),
    "feedback": ("ticket_id",),
    "close_work": ("ticket_id",),
    "ai_daily_usage": ("guild_id", "day"),
    "tags": ("id",),
    "staff_notes": ("id",),
    "blocks": ("guild_id", "kind", "target_id"),
    "ticket_participants": ("ticket_id", "kind", "target_id"),
    "close_requests": ("id",),
    "support_hours": ("guild_id",),
    "api_keys": ("id",),
    "rate_limits": ("bucket", "window_start"),
    "discord_jobs": ("id",),
    "webhooks": ("id",),
    "webhook_deliveries": ("id",),
}
# Kept by triggers on PostgreSQL: rebuilt as the rows above go in, then checked against
# a fresh count of those rows (zero counters left by deletions aside).
DERIVED: dict[str, tuple[str, str]] = {
    "ticket_counts": (
        "guild_id, status, department, priority, n",
        "SELECT guild_id, status, department, priority, COUNT(*) FROM tickets GROUP BY 1, 2, 3, 4",
    ),
    "response_counts": (
        "guild_id, n",
        "SELECT guild_id, COUNT(*) FROM tickets WHERE first_response_seconds IS NOT NULL"
        " GROUP BY 1",
    ),
    "rating_counts": (
        "guild_id, n, total",
        "SELECT guild_id, COUNT(*), SUM(rating) FROM feedback GROUP BY 1",
    ),
    "response_histogram": (
        "guild_id, lo, n",
        "SELECT guild_id, response_bucket(first_response_seconds), COUNT(*) FROM tickets"
        " WHERE first_response_seconds IS NOT NULL GROUP BY 1, 2",
    ),
}
# Ids handed out by an identity column: the next one must follow the copied ones.
IDENTITIES = (
    "tickets",
    "replies",
    "forms",
    "submissions",
    "tags",
    "staff_notes",
    "close_requests",
    "api_keys",
    "discord_jobs",
    "webhooks",
    "webhook_deliveries",
)
# Bookkeeping of each engine, not desk data; and the histogram's bucket edges, which each
# engine's migration fills (SQLite 0013, PostgreSQL 0014).
OWN_TABLES = {"sqlite_sequence", "schema_migrations", "response_bucket_edges"}
# Counters only SQLite's read paths use (its migration 0013), kept by its own triggers;
# PostgreSQL answers the same reads its own way, so there is nothing to copy.
SQLITE_READ_PATHS = {"outside_hours_counts"}


def _moment(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _same(value: Any) -> Any:
    return value


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "timestamp with time zone": _moment,
    "boolean": _flag,
    "date": _day,
}


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    types: tuple[str, ...]  # PostgreSQL's data_type of each column

    def convert(self, row: sqlite3.Row | tuple[Any, ...]) -> tuple[Any, ...]:
        """A SQLite row as the values PostgreSQL stores."""
        return tuple(
            CONVERTERS.get(kind, _same)(value) for kind, value in zip(self.types, row, strict=True)
        )

    def comparable(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """Values to compare across engines: JSON by meaning, not by spelling."""
        return tuple(
            json.loads(value) if kind == "json" and value is not None else value
            for kind, value in zip(self.types, values, strict=True)
        )

    def select(self, *, postgres: bool) -> str:
        # Text keys in byte order on both sides (SQLite's BINARY, PostgreSQL's "C").
        order = ", ".join(
            f'{column} COLLATE "C"'
            if postgres and self.types[self.columns.index(column)] == "text"
            else column
            for column in self.key
        )
        return f"SELECT {', '.join(self.columns)} FROM {self.name} ORDER BY {order}"


async def describe_tables(target: asyncpg.Connection, source: sqlite3.Connection) -> list[Table]:
    """Every copied table with PostgreSQL's columns; refuses (ValueError) a table or column
    one side has and the other lacks, so nothing is ever left behind silently."""
    rows = await target.fetch(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    )
    target_columns: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        target_columns.setdefault(row[0], []).append((row[1], row[2]))
    source_tables = {
        row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    known = set(COPIED) | set(DERIVED) | OWN_TABLES | SQLITE_READ_PATHS
    unknown = (source_tables | set(target_columns)) - known
    if unknown:
        raise ValueError(f"tables storage.copy does not know: {', '.join(sorted(unknown))}")
    tables = []
    for name, key in COPIED.items():
        columns = target_columns.get(name, [])
        source_columns = {row[1] for row in source.execute(f"PRAGMA table_info({name})")}
        if {c for c, _ in columns} != source_columns:
            raise ValueError(
                f"table {name} has different columns in the SQLite file "
                f"({', '.join(sorted(source_columns))}) and in PostgreSQL "
                f"({', '.join(sorted(c for c, _ in columns))})"
            )
        tables.append(Table(name, key, tuple(c for c, _ in columns), tuple(t for _, t in columns)))
    return tables
