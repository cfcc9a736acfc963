"""Application forms and submissions on PostgreSQL (core.ports.forms).

Race-freedom, rule by rule:
- a member's tries at a form (max_submissions_per_user): `count_for_user` inside a unit
  of work first takes pg_advisory_xact_lock on (form, member), so a double-clicked submit
  waits for the first one's commit and then counts it.
- one decision per submission: `decide` is one UPDATE ... WHERE status = 'pending'. Of two
  racing reviews the second waits for the first's row lock, PostgreSQL checks the WHERE
  again on the decided row, and nothing is updated: the service says who decided first.
  (`get` inside a unit of work already holds FOR NO KEY UPDATE, so the second review
  even reads the decided submission.)
- a form read for a decision inside a unit of work holds FOR SHARE: members submitting at
  once don't wait for each other, while an edit or delete of the form waits for them.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.form_models import Form, Submission, SubmissionStatus
from core.form_schema import FormDefinition
from storage.postgres.rows import Repository

_FORM_COLUMNS = (
    "title",
    "description",
    "active",
    "max_submissions_per_user",
    "review_channel_id",
    "accept_role_id",
    "required_role_id",
    "questions",
)


def form_from_row(row: Any) -> Form:
    values = {column: row[column] for column in _FORM_COLUMNS}
    values["questions"] = json.loads(row["questions"])
    return Form(
        id=row["id"],
        guild_id=row["guild_id"],
        definition=FormDefinition.model_validate(values),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
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
        created_at=row["created_at"],
        reviewed_at=row["reviewed_at"],
        review_channel_id=row["review_channel_id"],
        review_message_id=row["review_message_id"],
    )


def _definition_values(definition: FormDefinition) -> tuple[Any, ...]:
    questions = [q.model_dump(mode="json", exclude_none=True) for q in definition.questions]
    return (
        definition.title,
        definition.description,
        definition.active,
        definition.max_submissions_per_user,
        definition.review_channel_id,
        definition.accept_role_id,
        definition.required_role_id,
        json.dumps(questions, ensure_ascii=False),
    )


class PgForms(Repository):
    """core.ports.FormRepository (and FormReads, on the pool)."""

    async def insert(self, guild_id: int, definition: FormDefinition, now: datetime) -> Form:
        row = await self._db.fetchrow(
            f"INSERT INTO forms (guild_id, {', '.join(_FORM_COLUMNS)}, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING *",
            guild_id,
            *_definition_values(definition),
            now,
        )
        return form_from_row(row)

    async def replace_definition(
        self, form_id: int, definition: FormDefinition, now: datetime
    ) -> Form | None:
        assignments = ", ".join(f"{c} = ${n}" for n, c in enumerate(_FORM_COLUMNS, 2))
        row = await self._db.fetchrow(
            f"UPDATE forms SET {assignments}, updated_at = $10 WHERE id = $1 RETURNING *",
            form_id,
            *_definition_values(definition),
            now,
        )
        return None if row is None else form_from_row(row)

    async def set_active(self, form_id: int, active: bool, now: datetime) -> Form | None:
        row = await self._db.fetchrow(
            "UPDATE forms SET active = $2, updated_at = $3 WHERE id = $1 RETURNING *",
            form_id,
            active,
            now,
        )
        return None if row is None else form_from_row(row)

    async def delete(self, form_id: int) -> int:
        """Delete a form; return how many submissions went with it (by cascade)."""
        # Wait for submissions in flight (they hold FOR SHARE), so the count is exact.
        await self._db.execute("SELECT 1 FROM forms WHERE id = $1 FOR UPDATE", form_id)
        removed = await self._db.fetchval(
            "SELECT COUNT(*) FROM submissions WHERE form_id = $1", form_id
        )
        await self._db.execute("DELETE FROM forms WHERE id = $1", form_id)
        return int(removed or 0)

    async def get(self, form_id: int) -> Form | None:
        row = await self._db.fetchrow(
            "SELECT * FROM forms WHERE id = $1" + self._locking("FOR SHARE"), form_id
        )
        return None if row is None else form_from_row(row)

    async def of_guild(self, guild_id: int, *, active_only: bool = False) -> list[Form]:
        sql = "SELECT * FROM forms WHERE guild_id = $1"
        if active_only:
            sql += " AND active"
        rows = await self._db.fetch(sql + " ORDER BY id", guild_id)
        return [form_from_row(row) for row in rows]


class PgSubmissions(Repository):
    """core.ports.SubmissionRepository (and SubmissionReads, on the pool)."""

    async def count_for_user(self, form_id: int, user_id: int) -> int:
        await self._advisory_lock("form-member:%s:%s", form_id, user_id)
        value = await self._db.fetchval(
            "SELECT COUNT(*) FROM submissions WHERE form_id = $1 AND user_id = $2",
            form_id,
            user_id,
        )
        return int(value or 0)

    async def counts_for_user(self, guild_id: int, user_id: int) -> dict[int, int]:
        rows = await self._db.fetch(
            "SELECT form_id, COUNT(*) AS n FROM submissions WHERE guild_id = $1 AND user_id = $2"
            " GROUP BY form_id",
            guild_id,
            user_id,
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
        row = await self._db.fetchrow(
            "INSERT INTO submissions (form_id, guild_id, user_id, answers, status, created_at)"
            " VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING *",
            form_id,
            guild_id,
            user_id,
            json.dumps(answers, ensure_ascii=False),
            now,
        )
        return submission_from_row(row)

    async def get(self, submission_id: int) -> Submission | None:
        row = await self._db.fetchrow(
            "SELECT * FROM submissions WHERE id = $1" + self._locking("FOR NO KEY UPDATE"),
            submission_id,
        )
        return None if row is None else submission_from_row(row)

    async def page(
        self, form_id: int, *, status: SubmissionStatus | None, offset: int, limit: int
    ) -> tuple[list[Submission], int]:
        where, params = "form_id = $1", [form_id]
        if status is not None:
            params.append(status)
            where += " AND status = $2"
        n = len(params)
        total = await self._db.fetchval(f"SELECT COUNT(*) FROM submissions WHERE {where}", *params)
        rows = await self._db.fetch(
            f"SELECT * FROM submissions WHERE {where} ORDER BY id DESC"
            f" LIMIT ${n + 1} OFFSET ${n + 2}",
            *params,
            limit,
            offset,
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
        row = await self._db.fetchrow(
            "UPDATE submissions SET status = $2, reviewer_id = $3, review_note = $4,"
            " reviewed_at = $5 WHERE id = $1 AND status = 'pending' RETURNING *",
            submission_id,
            status,
            reviewer_id,
            note,
            now,
        )
        return None if row is None else submission_from_row(row)

    async def set_review_message(
        self, submission_id: int, channel_id: int, message_id: int
    ) -> Submission | None:
        row = await self._db.fetchrow(
            "UPDATE submissions SET review_channel_id = $2, review_message_id = $3"
            " WHERE id = $1 RETURNING *",
            submission_id,
            channel_id,
            message_id,
        )
        return None if row is None else submission_from_row(row)

    async def in_guild(
        self,
        guild_id: int,
        *,
        user_id: int | None,
        status: SubmissionStatus | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Submission], int]:
        # The indexes of migration 0011 serve both filters, newest first.
        where, params = ["guild_id = $1"], [guild_id]
        for column, value in (("user_id", user_id), ("status", status)):
            if value is not None:
                params.append(value)
                where.append(f"{column} = ${len(params)}")
        clause = " AND ".join(where)
        n = len(params)
        total = await self._db.fetchval(f"SELECT COUNT(*) FROM submissions WHERE {clause}", *params)
        rows = await self._db.fetch(
            f"SELECT * FROM submissions WHERE {clause} ORDER BY id DESC"
            f" LIMIT ${n + 1} OFFSET ${n + 2}",
            *params,
            limit,
            offset,
        )
        return [submission_from_row(row) for row in rows], int(total or 0)
