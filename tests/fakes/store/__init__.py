"""An in-memory store implementing core's ports, for fast service tests.

A second implementation of core/ports beside storage/sqlite, written from the protocols'
documentation alone: the service tests run against both, which keeps the ports honest
(nothing in core may lean on SQLite). Units of work run one at a time under a lock on a
copy of the tables that replaces the committed ones only when `work` returns, so the
guarantee of core.ports.store holds: serialisable, all or nothing.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from core.ports import Work
from tests.fakes.store.data import Box, Tables
from tests.fakes.store.desk_tools import MemoryCloseRequests, MemoryParticipants, MemorySupportHours
from tests.fakes.store.forms import MemoryForms, MemoryGuilds, MemorySubmissions
from tests.fakes.store.integrations import (
    MemoryApiKeys,
    MemoryDiscordJobs,
    MemoryRateLimits,
    MemoryWebhookDeliveries,
    MemoryWebhooks,
)
from tests.fakes.store.staff import MemoryBlocks, MemoryNotes, MemoryTags
from tests.fakes.store.tickets import MemoryReplies, MemoryTickets
from tests.fakes.store.upkeep import (
    MemoryAIUsage,
    MemoryCloseWork,
    MemoryFeedback,
    MemoryInactivity,
)

T = TypeVar("T")


class MemoryRepositories:
    """core.ports.UnitOfWork (and Reads) over one box of data."""

    def __init__(self, box: Box) -> None:
        self.tickets = MemoryTickets(box)
        self.replies = MemoryReplies(box)
        self.guilds = MemoryGuilds(box)
        self.forms = MemoryForms(box)
        self.submissions = MemorySubmissions(box)
        self.inactivity = MemoryInactivity(box)
        self.close_work = MemoryCloseWork(box)
        self.feedback = MemoryFeedback(box)
        self.ai_usage = MemoryAIUsage(box)
        self.api_keys = MemoryApiKeys(box)
        self.rate_limits = MemoryRateLimits(box)
        self.discord_jobs = MemoryDiscordJobs(box)
        self.webhooks = MemoryWebhooks(box)
        self.webhook_deliveries = MemoryWebhookDeliveries(box)
        self.participants = MemoryParticipants(box)
        self.close_requests = MemoryCloseRequests(box)
        self.support_hours = MemorySupportHours(box)
        self.tags = MemoryTags(box)
        self.notes = MemoryNotes(box)
        self.blocks = MemoryBlocks(box)


class MemoryStore:
    """core.ports.Store in memory: one unit of work at a time, on a copy committed whole."""

    def __init__(self) -> None:
        self._committed = Box(Tables())
        self._reads = MemoryRepositories(self._committed)
        self._lock = asyncio.Lock()

    @property
    def reads(self) -> MemoryRepositories:
        return self._reads

    async def write(self, work: Work[T]) -> T:
        async with self._lock:
            draft = Box(self._committed.data.copy())
            result = await work(MemoryRepositories(draft))
            self._committed.data = draft.data  # commit: readers see all of it at once
            return result

    async def close(self) -> None:
        async with self._lock:
            pass
