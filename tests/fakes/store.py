"""An in-memory store implementing core's ports, for fast service tests.

A second implementation of core/ports beside storage/sqlite, written from the protocols'
documentation alone: the service tests run against both, which keeps the ports honest
(nothing in core may lean on SQLite). Units of work run one at a time under a lock on a
copy of the data that replaces the committed data only when `work` returns, so the
guarantee of core.ports.store holds: serialisable, all or nothing.
"""

from __future__ import annotations

import asyncio
import json
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, TypeVar

from core.form_models import Form, Submission, SubmissionStatus
from core.form_schema import FormDefinition
from core.models import (
    FEATURE_DEFAULTS,
    Attachment,
    AuthorKind,
    ClosePart,
    CloseWork,
    Department,
    Feature,
    FeatureFlags,
    GuildConfig,
    Priority,
    Reply,
    Status,
    Ticket,
)
from core.ports import GuildSettingChanges, LiveThread, TicketChanges, Work

T = TypeVar("T")


@dataclass
class _Data:
    """Every table as a dict of immutable values, so a shallow copy is a snapshot."""

    tickets: dict[int, Ticket] = field(default_factory=dict)
    mirrored_to: dict[int, int] = field(default_factory=dict)  # ticket id -> message id
    replies: dict[int, Reply] = field(default_factory=dict)
    settings: dict[int, dict[str, Any]] = field(default_factory=dict)  # values replaced whole
    roles: dict[tuple[int, Department], int] = field(default_factory=dict)
    flags: dict[tuple[int, Feature], bool] = field(default_factory=dict)
    forms: dict[int, Form] = field(default_factory=dict)
    submissions: dict[int, Submission] = field(default_factory=dict)
    close_work: dict[int, tuple[CloseWork, str | None]] = field(default_factory=dict)
    feedback: dict[int, tuple[int, int, int, str | None]] = field(default_factory=dict)
    ai_usage: dict[tuple[int, str], int] = field(default_factory=dict)
    last_id: dict[str, int] = field(default_factory=dict)

    def copy(self) -> _Data:
        return _Data(**{f.name: dict(getattr(self, f.name)) for f in fields(self)})

    def new_id(self, table: str) -> int:
        self.last_id[table] = self.last_id.get(table, 0) + 1
        return self.last_id[table]

    def delete_ticket(self, ticket_id: int) -> None:
        # What the foreign keys cascade to.
        self.tickets.pop(ticket_id, None)
        self.mirrored_to.pop(ticket_id, None)
        self.close_work.pop(ticket_id, None)
        self.feedback.pop(ticket_id, None)
        for reply_id in [r.id for r in self.replies.values() if r.ticket_id == ticket_id]:
            del self.replies[reply_id]

    def setting(self, guild_id: int, name: str) -> Any:
        return self.settings.get(guild_id, {}).get(name, GuildConfig.model_fields[name].default)

    def flag(self, guild_id: int, feature: Feature) -> bool:
        return self.flags.get((guild_id, feature), FEATURE_DEFAULTS[feature])


class _Repository:
    def __init__(self, box: _Box) -> None:
        self._box = box

    @property
    def _data(self) -> _Data:
        return self._box.data


@dataclass
class _Box:
    data: _Data


class MemoryTickets(_Repository):
    async def get(self, ticket_id: int) -> Ticket | None:
        return self._data.tickets.get(ticket_id)

    async def by_thread(self, thread_id: int) -> Ticket | None:
        return next((t for t in self._data.tickets.values() if t.thread_id == thread_id), None)

    async def owner_activity(self, guild_id: int, owner_id: int) -> tuple[int, Ticket | None]:
        mine = [
            t
            for t in self._data.tickets.values()
            if (t.guild_id, t.owner_id) == (guild_id, owner_id)
        ]
        unclosed = sum(t.status is not Status.CLOSED for t in mine)
        return unclosed, max(mine, key=lambda t: t.id, default=None)

    async def page(
        self,
        *,
        guild_id: int,
        owner_id: int | None,
        status: Status | None,
        department: Department | None,
        priority: Priority | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Ticket], int]:
        wanted = {"owner_id": owner_id, "status": status, "department": department}
        wanted["priority"] = priority
        found = [
            t
            for t in self._data.tickets.values()
            if t.guild_id == guild_id
            and all(v is None or getattr(t, k) == v for k, v in wanted.items())
        ]
        found.sort(key=lambda t: -t.id)
        return found[offset : offset + limit], len(found)

    async def status_counts(self, guild_id: int) -> list[tuple[Status, Department, Priority, int]]:
        counts = Counter(
            (t.status, t.department, t.priority)
            for t in self._data.tickets.values()
            if t.guild_id == guild_id
        )
        return [(*key, n) for key, n in counts.items()]

    async def median_first_response(self, guild_id: int) -> float | None:
        values = [
            t.first_response_seconds
            for t in self._data.tickets.values()
            if t.guild_id == guild_id and t.first_response_seconds is not None
        ]
        return statistics.median(values) if values else None

    async def live_threads(self, *, after_id: int, limit: int) -> list[LiveThread]:
        live = sorted(
            (t for t in self._data.tickets.values() if self._live(t) and t.id > after_id),
            key=lambda t: t.id,
        )[:limit]
        return [(t.id, t.thread_id or 0, self._mirrored_to(t.id)) for t in live]

    def _mirrored_to(self, ticket_id: int) -> int | None:
        if ticket_id in self._data.mirrored_to:
            return self._data.mirrored_to[ticket_id]
        ids = [
            r.message_id
            for r in self._data.replies.values()
            if r.ticket_id == ticket_id and r.message_id is not None
        ]
        return max(ids, default=None)

    @staticmethod
    def _live(ticket: Ticket) -> bool:
        return ticket.status is not Status.CLOSED and ticket.thread_id is not None

    async def unclosed_threads(self, guild_id: int) -> list[tuple[int, int]]:
        return [
            (t.id, t.thread_id or 0)
            for t in sorted(self._data.tickets.values(), key=lambda t: t.id)
            if t.guild_id == guild_id and self._live(t)
        ]

    async def insert(
        self,
        *,
        guild_id: int,
        owner_id: int,
        subject: str,
        message: str,
        priority: Priority,
        department: Department,
        ai_active: bool,
        now: datetime,
    ) -> Ticket:
        ticket = Ticket(
            id=self._data.new_id("tickets"),
            guild_id=guild_id,
            owner_id=owner_id,
            subject=subject,
            message=message,
            status=Status.OPEN,
            priority=priority,
            department=department,
            thread_id=None,
            claimed_by=None,
            ai_active=ai_active,
            ai_replies=0,
            first_response_seconds=None,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
            reminded_at=None,
            closed_at=None,
            closed_by=None,
            close_reason=None,
        )
        self._data.tickets[ticket.id] = ticket
        return ticket

    async def update(self, ticket_id: int, **changes: Any) -> Ticket:
        unknown = set(changes) - TicketChanges.__optional_keys__
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        current = self._data.tickets.get(ticket_id)
        if current is None:
            raise LookupError(f"ticket {ticket_id} vanished")
        thread_id = changes.get("thread_id")
        if thread_id is not None and any(
            t.thread_id == thread_id and t.id != ticket_id for t in self._data.tickets.values()
        ):
            raise ValueError(f"thread {thread_id} already belongs to a ticket")  # UNIQUE
        updated = current.model_copy(update=changes)
        self._data.tickets[ticket_id] = updated
        return updated

    async def delete(self, ticket_id: int) -> None:
        self._data.delete_ticket(ticket_id)

    async def advance_mirror(self, thread_id: int, message_id: int) -> None:
        ticket = await self.by_thread(thread_id)
        if ticket is not None and self._data.mirrored_to.get(ticket.id, -1) < message_id:
            self._data.mirrored_to[ticket.id] = message_id

    async def delete_threadless_before(self, cutoff: datetime) -> int:
        gone = [
            t.id
            for t in self._data.tickets.values()
            if t.thread_id is None and t.created_at < cutoff
        ]
        for ticket_id in gone:
            self._data.delete_ticket(ticket_id)
        return len(gone)


class MemoryReplies(_Repository):
    async def page(
        self, ticket_id: int, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[Reply], int]:
        found = sorted(
            (r for r in self._data.replies.values() if r.ticket_id == ticket_id),
            key=lambda r: r.id,
        )
        end = None if limit is None else offset + limit
        return found[offset:end], len(found)

    async def insert(
        self,
        *,
        ticket_id: int,
        author_id: int,
        author_kind: AuthorKind,
        body: str,
        attachments: Sequence[Attachment] = (),
        message_id: int | None,
        now: datetime,
    ) -> Reply | None:
        if ticket_id not in self._data.tickets:
            raise LookupError(f"ticket {ticket_id} does not exist")  # the foreign key
        if message_id is not None and self._by_message(message_id) is not None:
            return None
        reply = Reply(
            id=self._data.new_id("replies"),
            ticket_id=ticket_id,
            author_id=author_id,
            author_kind=author_kind,
            body=body,
            attachments=tuple(attachments),
            message_id=message_id,
            created_at=now,
            edited_at=None,
        )
        self._data.replies[reply.id] = reply
        return reply

    def _by_message(self, message_id: int) -> Reply | None:
        return next((r for r in self._data.replies.values() if r.message_id == message_id), None)

    async def set_message(self, reply_id: int, message_id: int) -> None:
        if reply_id in self._data.replies:
            reply = self._data.replies[reply_id]
            self._data.replies[reply_id] = reply.model_copy(update={"message_id": message_id})

    async def delete(self, reply_id: int) -> None:
        self._data.replies.pop(reply_id, None)

    async def edit(self, message_id: int, body: str, now: datetime) -> Reply | None:
        reply = self._by_message(message_id)
        if reply is None or self._data.tickets[reply.ticket_id].status is Status.CLOSED:
            return None
        edited = reply.model_copy(update={"body": body, "edited_at": now})
        self._data.replies[reply.id] = edited
        return edited


class MemoryGuilds(_Repository):
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
        for name in ("flags", "roles", "ai_usage"):
            table = getattr(data, name)
            for key in [k for k in table if k[0] == guild_id]:
                del table[key]
        removed["guild_settings"] = int(data.settings.pop(guild_id, None) is not None)
        return removed


class MemoryForms(_Repository):
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


class MemorySubmissions(_Repository):
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


class MemoryInactivity(_Repository):
    def _due(self, now: datetime, limit: int, *, reminded: bool) -> list[Ticket]:
        data = self._data
        due = []
        for ticket in sorted(data.tickets.values(), key=lambda t: t.id):
            if ticket.status is not Status.PENDING or not data.flag(
                ticket.guild_id, Feature.TICKETING
            ):
                continue
            if reminded and ticket.reminded_at is not None:
                hours = data.setting(ticket.guild_id, "autoclose_hours")
                if ticket.reminded_at <= now - timedelta(hours=hours):
                    due.append(ticket)
            elif not reminded and ticket.reminded_at is None:
                hours = data.setting(ticket.guild_id, "reminder_hours")
                if ticket.status_changed_at <= now - timedelta(hours=hours):
                    due.append(ticket)
        return due[:limit]

    async def due_for_reminder(self, now: datetime, limit: int = 500) -> list[Ticket]:
        return self._due(now, limit, reminded=False)

    async def due_for_close(self, now: datetime, limit: int = 500) -> list[Ticket]:
        return self._due(now, limit, reminded=True)

    async def mark_reminded(self, ticket: Ticket, now: datetime) -> bool:
        current = self._data.tickets.get(ticket.id)
        if (
            current is None
            or current.status is not Status.PENDING
            or current.reminded_at is not None
            or current.status_changed_at != ticket.status_changed_at
        ):
            return False
        self._data.tickets[ticket.id] = current.model_copy(update={"reminded_at": now})
        return True

    async def close_if_due(self, ticket_id: int, now: datetime, reason: str) -> Ticket | None:
        if not any(
            t.id == ticket_id for t in self._due(now, len(self._data.tickets), reminded=True)
        ):
            return None
        return await MemoryTickets(self._box).update(
            ticket_id,
            status=Status.CLOSED,
            status_changed_at=now,
            updated_at=now,
            closed_at=now,
            closed_by=0,
            close_reason=reason,
            ai_active=False,
        )


class MemoryCloseWork(_Repository):
    async def get(self, ticket_id: int) -> CloseWork | None:
        entry = self._data.close_work.get(ticket_id)
        return None if entry is None else entry[0]

    async def any_due(self, now: datetime) -> bool:
        return any(work.due_at <= now for work, _ in self._data.close_work.values())

    async def add(self, ticket_id: int, due_at: datetime) -> None:
        work = CloseWork(ticket_id=ticket_id, done=ClosePart(0), attempts=1, due_at=due_at)
        self._data.close_work[ticket_id] = (work, None)

    async def cancel(self, ticket_id: int) -> None:
        self._data.close_work.pop(ticket_id, None)

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[CloseWork]:
        due = sorted(
            (w for w, _ in self._data.close_work.values() if w.due_at <= now),
            key=lambda w: w.due_at,
        )[:limit]
        claimed = []
        for work in due:
            taken = work.model_copy(update={"due_at": lease_until, "attempts": work.attempts + 1})
            self._data.close_work[work.ticket_id] = (
                taken,
                self._data.close_work[work.ticket_id][1],
            )
            claimed.append(taken)
        return sorted(claimed, key=lambda w: w.ticket_id)

    async def mark_done(self, ticket_id: int, part: int, every: int) -> bool:
        entry = self._data.close_work.get(ticket_id)
        if entry is None:
            return False
        done = ClosePart(entry[0].done | part)
        if done & every == every:
            await self.cancel(ticket_id)
        else:
            self._data.close_work[ticket_id] = (
                entry[0].model_copy(update={"done": done}),
                entry[1],
            )
        return True

    async def retry_at(self, ticket_id: int, due_at: datetime, error: str) -> None:
        entry = self._data.close_work.get(ticket_id)
        if entry is not None:
            self._data.close_work[ticket_id] = (
                entry[0].model_copy(update={"due_at": due_at}),
                error[:500],
            )


class MemoryFeedback(_Repository):
    async def of(self, ticket_id: int) -> tuple[int, str | None] | None:
        entry = self._data.feedback.get(ticket_id)
        return None if entry is None else (entry[2], entry[3])

    async def rating_summary(self, guild_id: int) -> tuple[int, float | None]:
        ratings = [rating for g, _, rating, _ in self._data.feedback.values() if g == guild_id]
        return (len(ratings), statistics.fmean(ratings)) if ratings else (0, None)

    async def upsert(
        self,
        *,
        ticket_id: int,
        guild_id: int,
        user_id: int,
        rating: int | None,
        comment: str | None,
        now: datetime,
    ) -> None:
        entry = self._data.feedback.get(ticket_id)
        if rating is not None:
            kept = comment if comment is not None else (entry[3] if entry else None)
            owner = (entry[0], entry[1]) if entry else (guild_id, user_id)
            self._data.feedback[ticket_id] = (*owner, rating, kept)
        elif entry is not None:
            self._data.feedback[ticket_id] = (entry[0], entry[1], entry[2], comment)


class MemoryAIUsage(_Repository):
    async def reserve_daily_answer(self, guild_id: int, day: str, cap: int) -> bool:
        used = self._data.ai_usage.get((guild_id, day), 0)
        if cap <= 0 or used >= cap:
            return False
        self._data.ai_usage[(guild_id, day)] = used + 1
        return True


class MemoryRepositories:
    """core.ports.UnitOfWork (and Reads) over one box of data."""

    def __init__(self, box: _Box) -> None:
        self.tickets = MemoryTickets(box)
        self.replies = MemoryReplies(box)
        self.guilds = MemoryGuilds(box)
        self.forms = MemoryForms(box)
        self.submissions = MemorySubmissions(box)
        self.inactivity = MemoryInactivity(box)
        self.close_work = MemoryCloseWork(box)
        self.feedback = MemoryFeedback(box)
        self.ai_usage = MemoryAIUsage(box)


class MemoryStore:
    """core.ports.Store in memory: one unit of work at a time, on a copy committed whole."""

    def __init__(self) -> None:
        self._committed = _Box(_Data())
        self._reads = MemoryRepositories(self._committed)
        self._lock = asyncio.Lock()

    @property
    def reads(self) -> MemoryRepositories:
        return self._reads

    async def write(self, work: Work[T]) -> T:
        async with self._lock:
            draft = _Box(self._committed.data.copy())
            result = await work(MemoryRepositories(draft))
            self._committed.data = draft.data  # commit: readers see all of it at once
            return result

    async def close(self) -> None:
        async with self._lock:
            pass
