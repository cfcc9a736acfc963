"""Application forms and submissions on SQLite (core.ports.forms): SQL in, frozen models
out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.form_models import Form, Submission, SubmissionStatus
from core.form_schema import FormDefinition
from storage.sqlite.rows import (
    Repository,
    fetch_all,
    fetch_one,
    fetch_value,
    from_db_time,
    to_db_time,
)

_FORM_COLUMNS = (
    "title, description, active, max_submissions_per_user, review_channel_id,"
    " accept_role_id, required_role_id, questions"
)


def form_from_row(row: Any) -> Form:
    definition = FormDefinition.model_validate(
        {
            "title": row["title"],
            "description": row["description"],
            "active": bool(row["active"]),
            "max_submissions_per_user": row["max_submissions_per_user"],
            "review_channel_id": row["review_channel_id"],
            "accept_role_id": row["accept_role_id"],
            "required_role_id": row["required_role_id"],
            "questions": json.loads(row["questions"]),
        }
    )
    return Form(
        id=row["id"],
        guild_id=row["guild_id"],
        definition=definition,
        created_at=from_db_time(row["created_at"]),
        updated_at=from_db_time(row["updated_at"]),
    )


def submission_from_row(row: Any) -> Submission:
    return Submission(
        id=row["id"],
        form_id=row["form_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        answers=json.loads(row["answers"]),
        status=SubmissionStatus(row["status"]),
        reviewer_id=row["reviewer_id"],
        review_note=row["review_note"],
        created_at=from_db_time(row["created_at"]),
        reviewed_at=from_db_time(row["reviewed_at"]),
        review_channel_id=row["review_channel_id"],
        review_message_id=row["review_message_id"],
    )


def _definition_values(definition: FormDefinition) -> tuple[Any, ...]:
    questions = [q.model_dump(mode="json", exclude_none=True) for q in definition.questions]
    return (
        definition.title,
        definition.description,
        int(definition.active),
        definition.max_submissions_per_user,
        definition.review_channel_id,
        definition.accept_role_id,
        definition.required_role_id,
        json.dumps(questions, ensure_ascii=False),
    )


class SqliteForms(Repository):
    """core.ports.FormRepository (and FormReads, on the read connection)."""

    async def insert(self, guild_id: int, definition: FormDefinition, now: datetime) -> Form:
        stamp = to_db_time(now)
        row = await fetch_one(
            self._conn,
            f"INSERT INTO forms (guild_id, {_FORM_COLUMNS}, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (guild_id, *_definition_values(definition), stamp, stamp),
        )
        return form_from_row(row)

    async def replace_definition(
        self, form_id: int, definition: FormDefinition, now: datetime
    ) -> Form | None:
        assignments = ", ".join(f"{column.strip()} = ?" for column in _FORM_COLUMNS.split(","))
        row = await fetch_one(
            self._conn,
            f"UPDATE forms SET {assignments}, updated_at = ? WHERE id = ? RETURNING *",
            (*_definition_values(definition), to_db_time(now), form_id),
        )
        return None if row is None else form_from_row(row)

    async def set_active(self, form_id: int, active: bool, now: datetime) -> Form | None:
        row = await fetch_one(
            self._conn,
            "UPDATE forms SET active = ?, updated_at = ? WHERE id = ? RETURNING *",
            (int(active), to_db_time(now), form_id),
        )
        return None if row is None else form_from_row(row)

    async def delete(self, form_id: int) -> int:
        """Delete a form; return how many submissions went with it (by cascade)."""
        removed = await fetch_value(
            self._conn, "SELECT COUNT(*) FROM submissions WHERE form_id = ?", (form_id,)
        )
        await self._conn.execute("DELETE FROM forms WHERE id = ?", (form_id,))
        return int(removed or 0)

    async def get(self, form_id: int) -> Form | None:
        row = await fetch_one(self._conn, "SELECT * FROM forms WHERE id = ?", (form_id,))
        return None if row is None else form_from_row(row)

    async def of_guild(self, guild_id: int, *, active_only: bool = False) -> list[Form]:
        sql = "SELECT * FROM forms WHERE guild_id = ?"
        if active_only:
            sql += " AND active = 1"
        rows = await fetch_all(self._conn, sql + " ORDER BY id", (guild_id,))
        return [form_from_row(row) for row in rows]


class SqliteSubmissions(Repository):
    """core.ports.SubmissionRepository (and SubmissionReads, on the read connection)."""

    async def count_for_user(self, form_id: int, user_id: int) -> int:
        value = await fetch_value(
            self._conn,
            "SELECT COUNT(*) FROM submissions WHERE form_id = ? AND user_id = ?",
            (form_id, user_id),
        )
        return int(value or 0)

    async def counts_for_user(self, guild_id: int, user_id: int) -> dict[int, int]:
        rows = await fetch_all(
            self._conn,
            "SELECT form_id, COUNT(*) AS n FROM submissions WHERE guild_id = ? AND user_id = ?"
            " GROUP BY form_id",
            (guild_id, user_id),
        )
        return {row["form_id"]: row["n"] for row in rows}

    async def insert(
        self,
        *,
        form_id: int,
        guild_id: int,
        user_id: int,
        answers: dict[str, Any],
        now: datetime,
    ) -> Submission:
        row = await fetch_one(
            self._conn,
            "INSERT INTO submissions (form_id, guild_id, user_id, answers, status, created_at)"
            " VALUES (?, ?, ?, ?, 'pending', ?) RETURNING *",
            (form_id, guild_id, user_id, json.dumps(answers, ensure_ascii=False), to_db_time(now)),
        )
        return submission_from_row(row)

    async def get(self, submission_id: int) -> Submission | None:
        row = await fetch_one(
            self._conn, "SELECT * FROM submissions WHERE id = ?", (submission_id,)
        )
        return None if row is None else submission_from_row(row)

    async def page(
        self, form_id: int, *, status: SubmissionStatus | None, offset: int, limit: int
    ) -> tuple[list[Submission], int]:
        where, params = "form_id = ?", [form_id]
        if status is not None:
            where += " AND status = ?"
            params.append(status)
        total = await fetch_value(
            self._conn, f"SELECT COUNT(*) FROM submissions WHERE {where}", params
        )
        rows = await fetch_all(
            self._conn,
            f"SELECT * FROM submissions WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [submission_from_row(row) for row in rows], int(total or 0)

    async def in_guild(
        self,
        guild_id: int,
        *,
        user_id: int | None,
        status: SubmissionStatus | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Submission], int]:
        where, params = "guild_id = ?", [guild_id]
        if user_id is not None:
            where += " AND user_id = ?"
            params.append(user_id)
        if status is not None:
            where += " AND status = ?"
            params.append(status)
        total = await fetch_value(
            self._conn, f"SELECT COUNT(*) FROM submissions WHERE {where}", params
        )
        rows = await fetch_all(
            self._conn,
            f"SELECT * FROM submissions WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [submission_from_row(row) for row in rows], int(total or 0)

    async def decide(
        self,
        submission_id: int,
        *,
        status: SubmissionStatus,
        reviewer_id: int,
        note: str | None,
        now: datetime,
    ) -> Submission | None:
        row = await fetch_one(
            self._conn,
            "UPDATE submissions SET status = ?, reviewer_id = ?, review_note = ?,"
            " reviewed_at = ? WHERE id = ? AND status = 'pending' RETURNING *",
            (status, reviewer_id, note, to_db_time(now), submission_id),
        )
        return None if row is None else submission_from_row(row)

    async def set_review_message(
        self, submission_id: int, channel_id: int, message_id: int
    ) -> Submission | None:
        row = await fetch_one(
            self._conn,
            "UPDATE submissions SET review_channel_id = ?, review_message_id = ? WHERE id = ?"
            " RETURNING *",
            (channel_id, message_id, submission_id),
        )
        return None if row is None else submission_from_row(row)
