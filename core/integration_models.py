"""What the desk keeps for its integrations (SPEC §8): HTTP API keys, outgoing webhooks and
their deliveries, and Discord work queued by a front end that is not the bot."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from core.models import Frozen


class ApiKey(Frozen):
    """A server key: staff access to its own server's desk over HTTP. Only the SHA-256 of
    the key is kept; `prefix` is the key's public part, used to find it."""

    id: int
    guild_id: int
    name: str
    prefix: str
    key_hash: str
    created_by: int
    created_at: datetime
    revoked_at: datetime | None = None


class EventName(StrEnum):
    """The webhook events of SPEC §8."""

    TICKET_CREATED = "ticket.created"
    TICKET_REPLIED = "ticket.replied"
    TICKET_STATUS_CHANGED = "ticket.status_changed"
    TICKET_CLOSED = "ticket.closed"
    FORM_SUBMITTED = "form.submitted"
    FORM_REVIEWED = "form.reviewed"


class Webhook(Frozen):
    id: int
    guild_id: int
    url: str
    events: tuple[EventName, ...]
    # Needed in the clear to sign each body (HMAC); shown to the admin once.
    secret: str
    created_by: int
    created_at: datetime
    # Failed attempts in a row, and whether the log channel was told it keeps failing.
    failures: int = 0
    reported: bool = False


class WebhookDelivery(Frozen):
    """One event on its way to one webhook. Deliveries with the same `key` (one ticket, one
    submission) go out one at a time, oldest first."""

    id: int
    webhook_id: int
    guild_id: int
    key: str
    event: EventName
    body: str  # the exact JSON sent and signed
    attempts: int
    created_at: datetime
    due_at: datetime


class DiscordJobKind(StrEnum):
    POST_REPLY = "post_reply"  # a reply written over HTTP, to post in its ticket's thread
    POST_SUBMISSION = "post_submission"  # a submission made over HTTP, to post for review
    ANNOUNCE = "announce"  # a triage change made on the dashboard, said in the thread
    TELL_REVIEW = "tell_review"  # a review made on the dashboard: DM, role, review message
    FINISH_CLOSE = "finish_close"  # a ticket closed over HTTP: archive, transcripts, DM
    LOG_NOTE = "log_note"  # a staff note kept on the dashboard: said in the log channel


class DiscordJob(Frozen):
    """Discord work queued by a front end without Discord (the HTTP API), done by the
    process holding the guild, in order of `id`."""

    id: int
    guild_id: int
    kind: DiscordJobKind
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    due_at: datetime
    last_error: str | None = None
