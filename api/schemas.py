"""The HTTP API's bodies (SPEC §8) as pydantic models: they validate requests and give the
OpenAPI document its schemas. Answers are built from core/public.py, the one JSON shape
shared with the webhooks.

Requests check types only; the rules (lengths, choices, a form's questions) are the
services', so the API refuses with the same sentences as Discord. Unknown fields are
refused by name, so a typo never passes silently.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.models import AuthorKind, Department, Priority, Status

STATUSES = [s.value for s in Status]
PRIORITIES = [p.value for p in Priority]
DEPARTMENTS = [d.value for d in Department]
AUTHOR_KINDS = [k.value for k in AuthorKind]

# A Discord id: a string of digits (an integer is accepted too).
Snowflake = int | str
SNOWFLAKE_DOC = {"examples": ["123456789012345678"], "pattern": "^[0-9]{1,20}$"}


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateTicket(Request):
    subject: str = Field(
        description="1–100 characters, one line", json_schema_extra={"maxLength": 100}
    )
    message: str = Field(description="1–4000 characters", json_schema_extra={"maxLength": 4000})
    priority: str | None = Field(default=None, json_schema_extra={"enum": [*PRIORITIES, None]})
    department: str | None = Field(default=None, json_schema_extra={"enum": [*DEPARTMENTS, None]})
    user_id: Snowflake | None = Field(
        default=None,
        description="The member the ticket is for; required with a server key.",
    )


class ReplyToTicket(Request):
    message: str = Field(description="1–4000 characters", json_schema_extra={"maxLength": 4000})
    user_id: Snowflake | None = Field(
        default=None, description="With a server key: reply as this member (by their roles)."
    )


class AddNote(Request):
    text: str = Field(
        description="1–2000 characters: staff see it, the member never does",
        json_schema_extra={"maxLength": 2000},
    )
    user_id: Snowflake | None = Field(
        default=None, description="With a server key: the staff member writing it."
    )


class UpdateTicket(Request):
    """EcliPanel's `PUT /api/tickets/{id}`: a reply, a status change, or both."""

    reply: str | None = Field(default=None, json_schema_extra={"maxLength": 4000})
    status: str | None = Field(
        default=None,
        description="`resolved` or `closed` (reopening is done in Discord: the thread is "
        "unlocked first).",
        json_schema_extra={"enum": ["resolved", "closed", None]},
    )
    reason: str | None = Field(default=None, description="Why it is closed (with `closed`).")
    user_id: Snowflake | None = None


class SubmitForm(Request):
    answers: dict[str, Any] = Field(description="question id → answer")
    user_id: Snowflake | None = Field(
        default=None, description="The member submitting; required with a server key."
    )


class Ticket(BaseModel):
    id: int
    subject: str
    status: Literal["open", "pending", "resolved", "closed"]
    priority: Literal["urgent", "high", "medium", "low"]
    department: Literal["Technical Support", "Billing", "Sales", "Security"]
    owner_id: str
    thread_id: str | None
    claimed_by: str | None
    created_at: datetime
    updated_at: datetime


class Reply(BaseModel):
    id: int
    ticket_id: int
    author_id: str
    author_kind: Literal["member", "staff", "ai", "system"]
    body: str
    created_at: datetime


class Note(BaseModel):
    id: int
    ticket_id: int
    author_id: str
    body: str
    created_at: datetime


class NoteList(BaseModel):
    notes: list[Note]


class NoteAdded(BaseModel):
    success: Literal[True] = True
    note: Note


class TicketPage(BaseModel):
    tickets: list[Ticket]
    total: int
    page: int
    limit: int


class Participant(BaseModel):
    kind: Literal["member", "role"]
    id: str = Field(description="The member's user id, or the role's id.")
    added_by: str
    added_at: datetime


class TicketWithReplies(Ticket):
    message: str
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str | None = None
    replies: list[Reply]
    participants: list[Participant] = Field(
        default_factory=list,
        description="Members and roles staff added to the ticket (`/ticket add`), in order.",
    )


class TicketCreated(BaseModel):
    success: Literal[True] = True
    ticket: Ticket


class ReplyCreated(BaseModel):
    success: Literal[True] = True
    reply: Reply


class TicketUpdated(BaseModel):
    success: Literal[True] = True
    ticket: Ticket
    reply: Reply | None = None


class Stats(BaseModel):
    open: int
    pending: int
    resolved: int
    closed: int
    by_department: dict[str, int]
    by_priority: dict[str, int]
    median_first_response_seconds: float | None


class Question(BaseModel):
    id: str
    label: str
    kind: str
    required: bool
    placeholder: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    choices: list[str] | None = None


class Form(BaseModel):
    id: int
    title: str
    description: str
    active: bool
    max_submissions_per_user: int
    submissions_used: int | None = Field(
        description="The member's submissions so far (null when the call names no member)."
    )
    eligible: bool = Field(description="Whether this member may submit it now.")
    reason: str | None = Field(default=None, description="Why not, when not eligible.")
    questions: list[Question]
    # Settings, shown to a server key naming no member.
    review_channel_id: str | None = None
    accept_role_id: str | None = None
    required_role_id: str | None = None


class FormList(BaseModel):
    forms: list[Form]


class Submitted(BaseModel):
    success: Literal[True] = True
    submission_id: int


class Problem(BaseModel):
    field: str
    error: str


class Error(BaseModel):
    error: str = Field(description="The same sentence Discord users get, without Discord markup.")
    field: str | None = Field(default=None, description="The field or form question at fault.")
    problems: list[Problem] | None = Field(
        default=None, description="Every bad answer of a form, one per question."
    )


class Health(BaseModel):
    status: Literal["ok"]
