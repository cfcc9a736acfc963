"""Guilds, forms and submissions in memory (core.ports.guilds, core.ports.forms)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from core.form_models import Form, Submission, SubmissionStatus
from core.form_schema import FormDefinition
from core.models import (
    Department,
    Feature,
    FeatureFlags,
    GuildConfig,
)
from core.ports import GuildSettingChanges
from tests.fakes.store.data import MemoryRepository


class MemoryGuilds(MemoryRepository):
    async def config(self, guild_id: int) -> GuildConfig:
        roles = {d: r for (g, d), r in self._data.roles.items() if g == guild_id}
        values = self._data.settings.get(guild_id, {})
        return GuildConfig(guild_id=guild_id, department_roles=roles, **values)

    async def flags(self, guild_id: int) -> FeatureFlags:
        enabled = {f: on for (g, f), on in self._data.flags.items() if g == guild_id}
        return FeatureFlags(guild_id=guild_id, enabled=enabled)

    async def update_settings(self, guild_id: int, now: datetime, **changes: Any) -> None:
        unknown = set(changes) - GuildSettingChanges.__optional_keys__
        if unknown:
            raise ValueError(f"not a setting: {sorted(unknown)}")
        self._data.settings[guild_id] = {**self._data.settings.get(guild_id, {}), **changes}

    async def set_department_role(
        self, guild_id: int, department: Department, role_id: int
    ) -> None:
        self._data.roles[(guild_id, department)] = role_id

    async def set_flag(self, guild_id: int, feature: Feature, enabled: bool) -> None:
        self._data.flags[(guild_id, feature)] = enabled

    async def forget(self, guild_id: int) -> dict[str, int]:
        data = self._data
        removed = {"tickets": 0, "forms": 0}
        for ticket in [t for t in data.tickets.values() if t.guild_id == guild_id]:
            data.delete_ticket(ticket.id)
            removed["tickets"] += 1
        for form in [f for f in data.forms.values() if f.guild_id == guild_id]:
            await MemoryForms(self._box).delete(form.id)
            removed["forms"] += 1
        for name in ("flags", "roles", "ai_usage", "blocks"):
            table = getattr(data, name)
            for key in [k for k in table if k[0] == guild_id]:
                del table[key]
        for tag in [t for t in data.tags.values() if t.guild_id == guild_id]:
            del data.tags[tag.id]
        removed["guild_settings"] = int(data.settings.pop(guild_id, None) is not None)
        removed["support_hours"] = int(data.hours.pop(guild_id, None) is not None)
        return removed


class MemoryForms(MemoryRepository):
    async def get(self, form_id: int) -> Form | None:
        return self._data.forms.get(form_id)

    async def of_guild(self, guild_id: int, *, active_only: bool = False) -> list[Form]:
        return sorted(
            (
                f
                for f in self._data.forms.values()
                if f.guild_id == guild_id and (f.active or not active_only)
            ),
            key=lambda f: f.id,
        )

    async def insert(self, guild_id: int, definition: FormDefinition, now: datetime) -> Form:
        form = Form(
            id=self._data.new_id("forms"),
            guild_id=guild_id,
            definition=definition,
            created_at=now,
            updated_at=now,
        )
        self._data.forms[form.id] = form
        return form

    async def _change(self, form_id: int, now: datetime, **update: Any) -> Form | None:
        form = self._data.forms.get(form_id)
        if form is None:
            return None
        changed = form.model_copy(update={**update, "updated_at": now})
        self._data.forms[form_id] = changed
        return changed

    async def replace_definition(
        self, form_id: int, definition: FormDefinition, now: datetime
    ) -> Form | None:
        return await self._change(form_id, now, definition=definition)

    async def set_active(self, form_id: int, active: bool, now: datetime) -> Form | None:
        form = self._data.forms.get(form_id)
        if form is None:
            return None
        definition = form.definition.model_copy(update={"active": active})
        return await self._change(form_id, now, definition=definition)

    async def delete(self, form_id: int) -> int:
        gone = [s.id for s in self._data.submissions.values() if s.form_id == form_id]
        for submission_id in gone:
            del self._data.submissions[submission_id]
        self._data.forms.pop(form_id, None)
        return len(gone)


class MemorySubmissions(MemoryRepository):
    async def count_for_user(self, form_id: int, user_id: int) -> int:
        return sum(
            (s.form_id, s.user_id) == (form_id, user_id) for s in self._data.submissions.values()
        )

    async def counts_for_user(self, guild_id: int, user_id: int) -> dict[int, int]:
        return dict(
            Counter(
                s.form_id
                for s in self._data.submissions.values()
                if (s.guild_id, s.user_id) == (guild_id, user_id)
            )
        )

    async def get(self, submission_id: int) -> Submission | None:
        return self._data.submissions.get(submission_id)

    async def page(
        self, form_id: int, *, status: SubmissionStatus | None, offset: int, limit: int
    ) -> tuple[list[Submission], int]:
        found = sorted(
            (
                s
                for s in self._data.submissions.values()
                if s.form_id == form_id and status in (None, s.status)
            ),
            key=lambda s: -s.id,
        )
        return found[offset : offset + limit], len(found)

    async def in_guild(
        self,
        guild_id: int,
        *,
        user_id: int | None,
        status: SubmissionStatus | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Submission], int]:
        found = sorted(
            (
                s
                for s in self._data.submissions.values()
                if s.guild_id == guild_id
                and user_id in (None, s.user_id)
                and status in (None, s.status)
            ),
            key=lambda s: -s.id,
        )
        return found[offset : offset + limit], len(found)

    async def insert(
        self, *, form_id: int, guild_id: int, user_id: int, answers: dict[str, Any], now: datetime
    ) -> Submission:
        if form_id not in self._data.forms:
            raise LookupError(f"form {form_id} does not exist")  # the foreign key
        submission = Submission(
            id=self._data.new_id("submissions"),
            form_id=form_id,
            guild_id=guild_id,
            user_id=user_id,
            answers=json.loads(json.dumps(answers)),  # stored as JSON, like any store would
            status=SubmissionStatus.PENDING,
            reviewer_id=None,
            review_note=None,
            created_at=now,
            reviewed_at=None,
        )
        self._data.submissions[submission.id] = submission
        return submission

    async def decide(
        self,
        submission_id: int,
        *,
        status: SubmissionStatus,
        reviewer_id: int,
        note: str | None,
        now: datetime,
    ) -> Submission | None:
        current = self._data.submissions.get(submission_id)
        if current is None or current.status is not SubmissionStatus.PENDING:
            return None
        update = {"status": status, "reviewer_id": reviewer_id, "review_note": note}
        return self._put(current.model_copy(update={**update, "reviewed_at": now}))

    async def set_review_message(
        self, submission_id: int, channel_id: int, message_id: int
    ) -> Submission | None:
        current = self._data.submissions.get(submission_id)
        if current is None:
            return None
        update = {"review_channel_id": channel_id, "review_message_id": message_id}
        return self._put(current.model_copy(update=update))

    def _put(self, submission: Submission) -> Submission:
        self._data.submissions[submission.id] = submission
        return submission
