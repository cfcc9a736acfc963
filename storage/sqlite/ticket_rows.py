"""A ticket row as the model, shared by the ticket repositories."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.models import Department, Priority, Status, Ticket
from storage.sqlite.trusted import check_trusted, trusted

# Lookups by value: calling the enum class costs ~1 µs each, ten tickets a page and 64
# counters for stats.
STATUS_BY_VALUE = {member.value: member for member in Status}
PRIORITY_BY_VALUE = {member.value: member for member in Priority}
DEPARTMENT_BY_VALUE = {member.value: member for member in Department}
_parse_time = datetime.fromisoformat


def _time(value: str | None) -> datetime | None:
    return None if value is None else _parse_time(value)


def ticket_from_row(row: Any) -> Ticket:
    # The row's columns already have the model's types (the schema and the converters
    # below see to it), so the model is built without validating again: validation is
    # for data coming in, and this runs for every row of every read (trusted.py). The
    # row is turned into a dict once: sqlite3.Row finds a column by name by comparing
    # names one by one.
    r = dict(zip(row.keys(), row, strict=True))
    return trusted(
        Ticket,
        {
            "id": r["id"],
            "guild_id": r["guild_id"],
            "owner_id": r["owner_id"],
            "subject": r["subject"],
            "message": r["message"],
            "status": STATUS_BY_VALUE[r["status"]],
            "priority": PRIORITY_BY_VALUE[r["priority"]],
            "department": DEPARTMENT_BY_VALUE[r["department"]],
            "thread_id": r["thread_id"],
            "claimed_by": r["claimed_by"],
            "ai_active": bool(r["ai_active"]),
            "ai_replies": r["ai_replies"],
            "first_response_seconds": r["first_response_seconds"],
            "created_at": _parse_time(r["created_at"]),
            "updated_at": _parse_time(r["updated_at"]),
            "status_changed_at": _parse_time(r["status_changed_at"]),
            "reminded_at": _time(r["reminded_at"]),
            "closed_at": _time(r["closed_at"]),
            "closed_by": r["closed_by"],
            "close_reason": r["close_reason"],
            "thread_attempts": r["thread_attempts"],
            "thread_retry_at": _time(r["thread_retry_at"]),
            "thread_error": r["thread_error"],
            "language": r["language"],
        },
    )


check_trusted(Ticket)
