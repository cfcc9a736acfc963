"""The in-memory tables, and the base of the repositories over them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from core.desk_tool_models import CloseRequest, Participant, ParticipantKind, SupportHours
from core.form_models import Form, Submission
from core.integration_models import ApiKey, DiscordJob, Webhook, WebhookDelivery
from core.models import (
    FEATURE_DEFAULTS,
    CloseWork,
    Department,
    Feature,
    GuildConfig,
    Reply,
    Ticket,
)
from core.staff_models import Block, BlockKind, StaffNote, Tag


@dataclass
class Tables:
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
    api_keys: dict[int, ApiKey] = field(default_factory=dict)
    rate_limits: dict[tuple[str, int], int] = field(default_factory=dict)
    discord_jobs: dict[int, DiscordJob] = field(default_factory=dict)
    webhooks: dict[int, Webhook] = field(default_factory=dict)
    # delivery id -> (delivery, "pending" | "failed")
    webhook_deliveries: dict[int, tuple[WebhookDelivery, str]] = field(default_factory=dict)
    # People added, close requests, support hours (tests/fakes/store/desk_tools.py).
    participants: dict[tuple[int, ParticipantKind, int], Participant] = field(default_factory=dict)
    close_requests: dict[int, CloseRequest] = field(default_factory=dict)
    hours: dict[int, SupportHours] = field(default_factory=dict)
    opened_outside: dict[int, int] = field(default_factory=dict)  # ticket id -> guild id
    tags: dict[int, Tag] = field(default_factory=dict)
    notes: dict[int, StaffNote] = field(default_factory=dict)
    blocks: dict[tuple[int, BlockKind, int], Block] = field(default_factory=dict)
    last_id: dict[str, int] = field(default_factory=dict)

    def copy(self) -> Tables:
        return Tables(**{f.name: dict(getattr(self, f.name)) for f in fields(self)})

    def new_id(self, table: str) -> int:
        self.last_id[table] = self.last_id.get(table, 0) + 1
        return self.last_id[table]

    def delete_ticket(self, ticket_id: int) -> None:
        # What the foreign keys cascade to.
        self.tickets.pop(ticket_id, None)
        self.mirrored_to.pop(ticket_id, None)
        self.close_work.pop(ticket_id, None)
        self.feedback.pop(ticket_id, None)
        self.opened_outside.pop(ticket_id, None)
        for key in [k for k in self.participants if k[0] == ticket_id]:
            del self.participants[key]
        for request_id in [r.id for r in self.close_requests.values() if r.ticket_id == ticket_id]:
            del self.close_requests[request_id]
        for reply_id in [r.id for r in self.replies.values() if r.ticket_id == ticket_id]:
            del self.replies[reply_id]
        for note_id in [n.id for n in self.notes.values() if n.ticket_id == ticket_id]:
            del self.notes[note_id]

    def setting(self, guild_id: int, name: str) -> Any:
        return self.settings.get(guild_id, {}).get(name, GuildConfig.model_fields[name].default)

    def flag(self, guild_id: int, feature: Feature) -> bool:
        return self.flags.get((guild_id, feature), FEATURE_DEFAULTS[feature])


class MemoryRepository:
    def __init__(self, box: Box) -> None:
        self._box = box

    @property
    def _data(self) -> Tables:
        return self._box.data


@dataclass
class Box:
    data: Tables
