"""Ports: what a store must provide to the services (typing.Protocol, models in and out).

`Store` (store.py) gives committed reads (`store.reads.tickets.get(...)`) and serialisable
units of work (`await store.write(work)`, `work(uow)` calling `uow.tickets.update(...)`).
The repositories are declared per area: tickets.py, guilds.py, forms.py, upkeep.py,
staff.py (tags, notes, blocks), desk_tools.py (people added, close requests, hours).
A backend (storage/sqlite today) implements them; core never imports a backend.
"""

from core.ports.coordination import SharedLock
from core.ports.desk_tools import (
    CloseRequestReads,
    CloseRequestRepository,
    ParticipantReads,
    ParticipantRepository,
    SupportHoursReads,
    SupportHoursRepository,
)
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
from core.ports.staff import (
    BlockReads,
    BlockRepository,
    NoteReads,
    NoteRepository,
    TagReads,
    TagRepository,
)
from core.ports.store import (
    MigrationError,
    Reads,
    StorageUnavailable,
    Store,
    UnitOfWork,
    Work,
)
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
    "BlockReads",
    "BlockRepository",
    "CloseRequestReads",
    "CloseRequestRepository",
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
    "NoteReads",
    "NoteRepository",
    "ParticipantReads",
    "ParticipantRepository",
    "RateLimitRepository",
    "Reads",
    "ReplyReads",
    "ReplyRepository",
    "SharedLock",
    "StorageUnavailable",
    "Store",
    "SubmissionReads",
    "SubmissionRepository",
    "SupportHoursReads",
    "SupportHoursRepository",
    "TagReads",
    "TagRepository",
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
