"""Ports: what a store must provide to the services (typing.Protocol, models in and out).

`Store` (store.py) gives committed reads (`store.reads.tickets.get(...)`) and serialisable
units of work (`await store.write(work)`, `work(uow)` calling `uow.tickets.update(...)`).
The repositories are declared per area: tickets.py, guilds.py, forms.py, upkeep.py.
A backend (storage/sqlite today) implements them; core never imports a backend.
"""

from core.ports.forms import FormReads, FormRepository, SubmissionReads, SubmissionRepository
from core.ports.guilds import GuildReads, GuildRepository, GuildSettingChanges
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
from core.ports.store import MigrationError, Reads, Store, UnitOfWork, Work
from core.ports.tickets import (
    LiveThread,
    ReplyReads,
    ReplyRepository,
    TicketChanges,
    TicketReads,
    TicketRepository,
)
from core.ports.upkeep import (
    AIUsageRepository,
    CloseWorkReads,
    CloseWorkRepository,
    FeedbackReads,
    FeedbackRepository,
    InactivityReads,
    InactivityRepository,
)

__all__ = [
    "AIUsageRepository",
    "ApiKeyReads",
    "ApiKeyRepository",
    "CloseWorkReads",
    "CloseWorkRepository",
    "DiscordJobReads",
    "DiscordJobRepository",
    "FeedbackReads",
    "FeedbackRepository",
    "FormReads",
    "FormRepository",
    "GuildReads",
    "GuildRepository",
    "GuildSettingChanges",
    "InactivityReads",
    "InactivityRepository",
    "LiveThread",
    "MigrationError",
    "RateLimitRepository",
    "Reads",
    "ReplyReads",
    "ReplyRepository",
    "Store",
    "SubmissionReads",
    "SubmissionRepository",
    "TicketChanges",
    "TicketReads",
    "TicketRepository",
    "UnitOfWork",
    "WebhookDeliveryReads",
    "WebhookDeliveryRepository",
    "WebhookReads",
    "WebhookRepository",
    "Work",
]
