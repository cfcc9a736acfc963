"""Models of the staff tools: people added to a ticket, close requests, support hours.

Frozen like everything in core.models; kept apart so each tool's data is easy to find.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from core.models import Frozen


class ParticipantKind(StrEnum):
    MEMBER = "member"  # one person, who then reads and replies like the owner
    ROLE = "role"  # a role brought in at once (recorded; its people are in the thread)


class Participant(Frozen):
    """Someone (or a role) staff added to a ticket, and who did it when."""

    ticket_id: int
    kind: ParticipantKind
    target_id: int  # a user id for a member, a role id for a role
    added_by: int
    added_at: datetime


class CloseRequest(Frozen):
    """Staff asked the owner to confirm closing; unanswered by `due_at`, the ticket closes.

    One per ticket: a new request replaces the old one (and gets a new id, so buttons of
    the old one no longer answer anything).
    """

    id: int
    ticket_id: int
    guild_id: int
    requested_by: int
    reason: str | None
    hours: int
    created_at: datetime
    due_at: datetime
    message_id: int | None  # the message with the buttons, once posted


class HoursRange(Frozen):
    """Staff are in on `days` (0 = Monday … 6 = Sunday) from `start_minute` to
    `end_minute` after local midnight. An end at or before the start runs past midnight
    into the next day (22:00-06:00): the range belongs to the day it starts on."""

    days: tuple[int, ...]
    start_minute: int  # 0 … 1439
    end_minute: int  # 1 … 1440 (24:00)

    @property
    def overnight(self) -> bool:
        return self.end_minute <= self.start_minute


class SupportHours(Frozen):
    """A guild's support hours, in its one IANA time zone; no ranges: no hours set (staff
    are treated as always in)."""

    guild_id: int
    timezone: str | None = None
    ranges: tuple[HoursRange, ...] = ()

    @property
    def is_set(self) -> bool:
        return self.timezone is not None and bool(self.ranges)
