"""A ticket row as the model, shared by the ticket repositories."""

from __future__ import annotations

from typing import Any

from core.models import Department, Priority, Status, Ticket
from storage.sqlite.rows import from_db_time


def ticket_from_row(row: Any) -> Ticket:
    # The row's columns already have the model's types (the schema and the converters
    # below see to it), so the model is built without validating again: validation is
    # for data coming in, and this runs for every row of every read.
    return Ticket.model_construct(
        id=row["id"],
        guild_id=row["guild_id"],
        owner_id=row["owner_id"],
        subject=row["subject"],
        message=row["message"],
        status=Status(row["status"]),
        priority=Priority(row["priority"]),
        department=Department(row["department"]),
        thread_id=row["thread_id"],
        claimed_by=row["claimed_by"],
        ai_active=bool(row["ai_active"]),
        ai_replies=row["ai_replies"],
        first_response_seconds=row["first_response_seconds"],
        created_at=from_db_time(row["created_at"]),
        updated_at=from_db_time(row["updated_at"]),
        status_changed_at=from_db_time(row["status_changed_at"]),
        reminded_at=from_db_time(row["reminded_at"]),
        closed_at=from_db_time(row["closed_at"]),
        closed_by=row["closed_by"],
        close_reason=row["close_reason"],
        thread_attempts=row["thread_attempts"],
        thread_retry_at=from_db_time(row["thread_retry_at"]),
        thread_error=row["thread_error"],
        language=row["language"],
    )
