"""The desk's records as other systems see them (SPEC §8): plain JSON values.

One shape for the HTTP API's answers and the webhooks' bodies. Times are ISO 8601 UTC;
Discord ids (snowflakes) are strings, since JavaScript numbers can't hold them; the
desk's own ids (tickets, replies, forms, submissions) are integers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.desk_tool_models import Participant
from core.form_models import Form, Submission
from core.form_schema import Question
from core.models import Reply, Ticket
from core.staff_models import StaffNote


def when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def snowflake(value: int | None) -> str | None:
    return None if value is None else str(value)


def ticket_view(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "subject": ticket.subject,
        "status": ticket.status.value,
        "priority": ticket.priority.value,
        "department": ticket.department.value,
        "owner_id": str(ticket.owner_id),
        "thread_id": snowflake(ticket.thread_id),
        "claimed_by": snowflake(ticket.claimed_by),
        "created_at": when(ticket.created_at),
        "updated_at": when(ticket.updated_at),
    }


def closing_view(ticket: Ticket) -> dict[str, Any]:
    """What a closed ticket adds: when, by whom (None: the desk itself), why."""
    return {
        "closed_at": when(ticket.closed_at),
        "closed_by": snowflake(ticket.closed_by or None),
        "close_reason": ticket.close_reason,
    }


def reply_view(reply: Reply) -> dict[str, Any]:
    return {
        "id": reply.id,
        "ticket_id": reply.ticket_id,
        "author_id": str(reply.author_id),
        "author_kind": reply.author_kind.value,
        "body": reply.body,
        "created_at": when(reply.created_at),
    }


def participant_view(participant: Participant) -> dict[str, Any]:
    """Someone staff added to a ticket: a member (`id` is their user id) or a role."""
    return {
        "kind": participant.kind.value,
        "id": str(participant.target_id),
        "added_by": str(participant.added_by),
        "added_at": when(participant.added_at),
    }


def note_view(note: StaffNote) -> dict[str, Any]:
    """A staff note: for staff only, never in a webhook."""
    return {
        "id": note.id,
        "ticket_id": note.ticket_id,
        "author_id": str(note.author_id),
        "body": note.body,
        "created_at": when(note.created_at),
    }


def submission_view(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.id,
        "form_id": submission.form_id,
        "user_id": str(submission.user_id),
        "answers": submission.answers,
        "status": submission.status.value,
        "reviewer_id": snowflake(submission.reviewer_id),
        "review_note": submission.review_note,
        "created_at": when(submission.created_at),
        "reviewed_at": when(submission.reviewed_at),
    }


def form_view(form: Form) -> dict[str, Any]:
    return {
        "id": form.id,
        "title": form.title,
        "description": form.description,
        "active": form.active,
        "max_submissions_per_user": form.max_submissions_per_user,
        "questions": [question_view(q) for q in form.questions],
    }


def question_view(question: Question) -> dict[str, Any]:
    return question.model_dump(mode="json")
