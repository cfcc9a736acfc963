"""Ports for application forms and their submissions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from core.form_models import Form, Submission, SubmissionStatus
from core.form_schema import FormDefinition


class FormReads(Protocol):
    async def get(self, form_id: int) -> Form | None: ...

    async def of_guild(self, guild_id: int, *, active_only: bool = False) -> list[Form]:
        """The guild's forms by id."""
        ...


class FormRepository(FormReads, Protocol):
    async def insert(self, guild_id: int, definition: FormDefinition, now: datetime) -> Form: ...

    async def replace_definition(
        self, form_id: int, definition: FormDefinition, now: datetime
    ) -> Form | None:
        """None if the form is gone."""
        ...

    async def set_active(self, form_id: int, active: bool, now: datetime) -> Form | None:
        """None if the form is gone."""
        ...

    async def delete(self, form_id: int) -> int:
        """Delete a form and its submissions; how many submissions went with it."""
        ...


class SubmissionReads(Protocol):
    async def count_for_user(self, form_id: int, user_id: int) -> int:
        """Every status counts: a rejected application still used one of the member's tries."""
        ...

    async def counts_for_user(self, guild_id: int, user_id: int) -> dict[int, int]:
        """Form id -> how many submissions the member made to it."""
        ...

    async def get(self, submission_id: int) -> Submission | None: ...

    async def page(
        self, form_id: int, *, status: SubmissionStatus | None, offset: int, limit: int
    ) -> tuple[list[Submission], int]:
        """Newest first, optionally one status only; and the total matching."""
        ...

    async def in_guild(
        self,
        guild_id: int,
        *,
        user_id: int | None,
        status: SubmissionStatus | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Submission], int]:
        """Submissions to any of the guild's forms, newest first, optionally one member's
        or one status only; and the total matching."""
        ...


class SubmissionRepository(SubmissionReads, Protocol):
    async def insert(
        self,
        *,
        form_id: int,
        guild_id: int,
        user_id: int,
        answers: dict[str, Any],
        now: datetime,
    ) -> Submission:
        """A new submission, status pending."""
        ...

    async def decide(
        self,
        submission_id: int,
        *,
        status: SubmissionStatus,
        reviewer_id: int,
        note: str | None,
        now: datetime,
    ) -> Submission | None:
        """Record a review only if the submission is still pending; None if it was not."""
        ...

    async def set_review_message(
        self, submission_id: int, channel_id: int, message_id: int
    ) -> Submission | None:
        """Where the front end posted it for review; None if the submission is gone."""
        ...
