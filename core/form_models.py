"""Application forms and submissions as the services hand them out (frozen)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from core.errors import Message
from core.form_schema import FormDefinition, Question
from core.models import Frozen


class SubmissionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Form(Frozen):
    id: int
    guild_id: int
    definition: FormDefinition
    created_at: datetime
    updated_at: datetime

    # The definition is the single source of truth; these read through to it.
    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def description(self) -> str:
        return self.definition.description

    @property
    def active(self) -> bool:
        return self.definition.active

    @property
    def max_submissions_per_user(self) -> int:
        return self.definition.max_submissions_per_user

    @property
    def review_channel_id(self) -> int | None:
        return self.definition.review_channel_id

    @property
    def accept_role_id(self) -> int | None:
        return self.definition.accept_role_id

    @property
    def required_role_id(self) -> int | None:
        return self.definition.required_role_id

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.definition.questions

    @property
    def ref(self) -> str:
        return f"#{self.id}"


class Submission(Frozen):
    id: int
    form_id: int
    guild_id: int
    user_id: int
    # question id -> cleaned answer (text, number, bool, list of choices or files)
    answers: dict[str, Any]
    status: SubmissionStatus
    reviewer_id: int | None
    review_note: str | None
    created_at: datetime
    reviewed_at: datetime | None
    # Where the front end posted it for review, so its buttons can be updated later.
    review_channel_id: int | None = None
    review_message_id: int | None = None

    @property
    def ref(self) -> str:
        return f"#{self.id}"


class FormSubmission(Frozen):
    """A submission with the form it answers (its title and questions, to show it)."""

    form: Form
    submission: Submission


class FormAvailability(Frozen):
    """One form as a member sees it: how many submissions used, and whether they may apply."""

    form: Form
    used: int
    allowed: int
    eligible: bool
    reason: Message | None = None  # why not eligible, for the front end to word
