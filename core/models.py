"""Domain models (frozen pydantic) shared by services, storage and front ends."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntFlag, StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Status(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Department(StrEnum):
    TECHNICAL_SUPPORT = "Technical Support"
    BILLING = "Billing"
    SALES = "Sales"
    SECURITY = "Security"


class AuthorKind(StrEnum):
    MEMBER = "member"
    STAFF = "staff"
    AI = "ai"
    SYSTEM = "system"


class Feature(StrEnum):
    TICKETING = "ticketing"
    APPLICATIONS = "applications"
    AI = "ai"


FEATURE_DEFAULTS: dict[Feature, bool] = {
    Feature.TICKETING: True,
    Feature.APPLICATIONS: True,
    Feature.AI: False,
}


class Actor(Frozen):
    """Who is acting; built by `core.policy` (`member_actor`, `system_actor`), the one rule.
    Read it through `core.policy.is_staff` / `is_admin`, never these fields directly."""

    user_id: int
    guild_id: int
    is_staff: bool = False
    is_admin: bool = False
    # The member's language as their front end knows it (a Discord locale such as "de");
    # None when unknown (a message typed in a thread, the desk itself).
    locale: str | None = None
    # The roles the member holds now (blocked roles are checked against them); empty for
    # the system actor and for actors built without a member behind them.
    role_ids: frozenset[int] = frozenset()


class Ticket(Frozen):
    id: int
    guild_id: int
    owner_id: int
    subject: str
    message: str
    status: Status
    priority: Priority
    department: Department
    thread_id: int | None
    claimed_by: int | None
    ai_active: bool
    ai_replies: int
    first_response_seconds: float | None
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime
    reminded_at: datetime | None
    closed_at: datetime | None
    closed_by: int | None
    close_reason: str | None
    # The language of the member who opened it or last wrote through a command (a locale
    # code such as "de"); the AI answers in it. None when not known.
    language: str | None = None
    # Opening: a ticket is stored first, then its Discord thread is attached (see
    # `waiting_for_thread`). Attempts so far, when the next may start, the last failure.
    thread_attempts: int = 0
    thread_retry_at: datetime | None = None
    thread_error: str | None = None

    @property
    def ref(self) -> str:
        return f"#{self.id}"

    @property
    def waiting_for_thread(self) -> bool:
        """Opened, but its thread is not attached yet: the process holding its guild
        creates it (or tries again later). A closed ticket waits for nothing."""
        return self.thread_id is None and self.status is not Status.CLOSED


class Attachment(Frozen):
    filename: str
    url: str
    size: int = 0


class Reply(Frozen):
    id: int
    ticket_id: int
    author_id: int
    author_kind: AuthorKind
    body: str
    attachments: tuple[Attachment, ...] = ()
    message_id: int | None
    created_at: datetime
    edited_at: datetime | None


class StoredReply(Frozen):
    """A reply stored before the front end posts it: `before` is the ticket as it was, so
    a post that fails can be taken back whole (the reply and the status change it made)."""

    ticket: Ticket
    reply: Reply
    before: Ticket


class Page(Frozen, Generic[T]):
    items: tuple[T, ...]
    page: int
    page_size: int
    total: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.page_count

    @property
    def has_previous(self) -> bool:
        return self.page > 0


class TicketStats(Frozen):
    by_status: dict[Status, int]
    by_department: dict[Department, int]
    by_priority: dict[Priority, int]
    median_first_response_seconds: float | None
    ratings_count: int = 0
    average_rating: float | None = None
    opened_outside_hours: int = 0  # tickets opened outside the support hours (ever)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


class DailyResponse(Frozen):
    """First answers to the tickets opened on one day (UTC): how many, and their median."""

    day: date
    answered: int
    median_seconds: float | None


class GuildConfig(Frozen):
    guild_id: int
    ticket_channel_id: int | None = None
    staff_role_id: int | None = None
    log_channel_id: int | None = None
    review_channel_id: int | None = None
    department_roles: dict[Department, int] = {}
    max_open_tickets: int = 3
    cooldown_seconds: int = 30
    reminder_hours: int = 48
    autoclose_hours: int = 24
    ai_knowledge: str | None = None
    # The server's language an admin chose (a locale code such as "fr");
    # None: the server's own preferred locale on Discord.
    language: str | None = None

    @property
    def is_set_up(self) -> bool:
        return self.ticket_channel_id is not None and self.staff_role_id is not None

    def staff_role_ids(self) -> set[int]:
        roles = set(self.department_roles.values())
        if self.staff_role_id is not None:
            roles.add(self.staff_role_id)
        return roles

    def role_for(self, department: Department) -> int | None:
        return self.department_roles.get(department, self.staff_role_id)


class FeatureFlags(Frozen):
    guild_id: int
    enabled: dict[Feature, bool]

    def is_on(self, feature: Feature) -> bool:
        return self.enabled.get(feature, FEATURE_DEFAULTS[feature])


class ClosePart(IntFlag):
    """The Discord side of a close, done (and recorded) part by part."""

    NOTE = 1  # the closing line in the thread, kept in the record too
    ARCHIVE = 2  # the thread archived and locked
    LOG = 4  # the transcript in the log channel
    DM = 8  # the transcript and the rating buttons to the owner


ALL_CLOSE_PARTS = ClosePart.NOTE | ClosePart.ARCHIVE | ClosePart.LOG | ClosePart.DM


class CloseWork(Frozen):
    """What is still to do on Discord for a closed ticket, and when to try next."""

    ticket_id: int
    done: ClosePart
    attempts: int
    due_at: datetime

    def needs(self, part: ClosePart) -> bool:
        return part not in self.done
