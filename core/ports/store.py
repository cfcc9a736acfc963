"""The store the services are given: committed reads, and units of work that write.

The guarantee every store gives, and the services' rules rely on: **a unit of work is
serialisable.** Whatever `work` reads through its `uow` (a member's open-ticket count,
whether a submission is still pending, a feature flag) still holds when its writes
commit: no other unit of work commits between a check and the write that depends on it.
So "check the limit, then insert" inside one unit of work can't be raced past. A unit of
work commits whole or not at all, and `write` returns only after the commit (an
acknowledged write is durable). When `work` raises, all it did is undone, the error
reaches the caller, and no other unit of work is affected.

How a backend keeps it is its own business: the SQLite store runs units of work one at a
time on a single writer connection (storage/sqlite/store.py); a PostgreSQL store would
lock what a unit reads for a decision (row locks, advisory locks per guild and member,
unique indexes), or run SERIALIZABLE and retry the work on a conflict.

Rules for `work`, so every backend can keep the guarantee cheaply: it only reads and
writes through `uow` (no Discord, no HTTP, no waiting: other writes may queue behind it),
and it may be run more than once (a backend may retry it), so it has no other effects.

`Store.reads` answers from committed data without waiting for writers; what it says may
be a moment old, so a check that guards a write is made again inside the unit of work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from core.errors import DomainError
from core.ports.desk_tools import (
    CloseRequestReads,
    CloseRequestRepository,
    ParticipantReads,
    ParticipantRepository,
    SupportHoursReads,
    SupportHoursRepository,
)
from core.ports.forms import FormReads, FormRepository, SubmissionReads, SubmissionRepository
from core.ports.guilds import GuildReads, GuildRepository
from core.ports.integrations import (
    ApiKeyReads,
    ApiKeyRepository,
    DiscordJobReads,
    DiscordJobRepository,
    RateLimitRepository,
    WebhookDeliveryReads,
    WebhookDeliveryRepository,
    WebhookReads,
    WebhookRepository,
)
from core.ports.staff import (
    BlockReads,
    BlockRepository,
    NoteReads,
    NoteRepository,
    TagReads,
    TagRepository,
)
from core.ports.tickets import ReplyReads, ReplyRepository, TicketReads, TicketRepository
from core.ports.upkeep import (
    AIUsageRepository,
    CloseWorkReads,
    CloseWorkRepository,
    FeedbackReads,
    FeedbackRepository,
    InactivityReads,
    InactivityRepository,
)

T = TypeVar("T")


class Reads(Protocol):
    """Every repository, read side only: committed data, never blocked by writers."""

    @property
    def tickets(self) -> TicketReads: ...
    @property
    def replies(self) -> ReplyReads: ...
    @property
    def guilds(self) -> GuildReads: ...
    @property
    def forms(self) -> FormReads: ...
    @property
    def submissions(self) -> SubmissionReads: ...
    @property
    def inactivity(self) -> InactivityReads: ...
    @property
    def close_work(self) -> CloseWorkReads: ...
    @property
    def feedback(self) -> FeedbackReads: ...
    @property
    def api_keys(self) -> ApiKeyReads: ...
    @property
    def discord_jobs(self) -> DiscordJobReads: ...
    @property
    def webhooks(self) -> WebhookReads: ...
    @property
    def webhook_deliveries(self) -> WebhookDeliveryReads: ...
    @property
    def participants(self) -> ParticipantReads: ...
    @property
    def close_requests(self) -> CloseRequestReads: ...
    @property
    def support_hours(self) -> SupportHoursReads: ...
    @property
    def tags(self) -> TagReads: ...
    @property
    def notes(self) -> NoteReads: ...
    @property
    def blocks(self) -> BlockReads: ...


class UnitOfWork(Reads, Protocol):
    """Every repository, reads and writes, inside one serialisable transaction. Only valid
    while its `work` runs."""

    @property
    def tickets(self) -> TicketRepository: ...
    @property
    def replies(self) -> ReplyRepository: ...
    @property
    def guilds(self) -> GuildRepository: ...
    @property
    def forms(self) -> FormRepository: ...
    @property
    def submissions(self) -> SubmissionRepository: ...
    @property
    def inactivity(self) -> InactivityRepository: ...
    @property
    def close_work(self) -> CloseWorkRepository: ...
    @property
    def feedback(self) -> FeedbackRepository: ...
    @property
    def participants(self) -> ParticipantRepository: ...
    @property
    def close_requests(self) -> CloseRequestRepository: ...
    @property
    def support_hours(self) -> SupportHoursRepository: ...
    @property
    def ai_usage(self) -> AIUsageRepository: ...
    @property
    def api_keys(self) -> ApiKeyRepository: ...
    @property
    def rate_limits(self) -> RateLimitRepository: ...
    @property
    def discord_jobs(self) -> DiscordJobRepository: ...
    @property
    def webhooks(self) -> WebhookRepository: ...
    @property
    def webhook_deliveries(self) -> WebhookDeliveryRepository: ...
    @property
    def tags(self) -> TagRepository: ...
    @property
    def notes(self) -> NoteRepository: ...
    @property
    def blocks(self) -> BlockRepository: ...


Work = Callable[[UnitOfWork], Awaitable[T]]


class Store(Protocol):
    @property
    def reads(self) -> Reads: ...

    async def write(self, work: Work[T]) -> T:
        """Run `work(uow)` as one serialisable unit of work; its result once committed."""
        ...


class MigrationError(Exception):
    """The store could not be brought to this code's schema (the failed step was undone);
    start-up must stop."""


class StorageUnavailable(DomainError):
    """The store can't be reached or stayed too busy to commit (a database restarting, a
    connection lost mid-write): nothing of this unit of work is known to be committed
    unless the store says so, and the member may simply try again. A backend raises this
    instead of its driver's errors; as a DomainError its message reaches the member."""

    DEFAULT = "The desk's records can't be reached right now. Please try again in a moment."

    def __init__(self, message: str = DEFAULT) -> None:
        super().__init__(message)
