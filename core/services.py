"""The set of services the front ends use, built once by the wiring module (wiring.py)
from a store it chose; nothing here knows which store that is."""

from __future__ import annotations

from dataclasses import dataclass

from core.ai import OpenAIResponder
from core.ai_replies import AIReplyService
from core.api_keys import ApiKeyService
from core.blocks import BlockService
from core.clock import Clock
from core.close_requests import CloseRequestService
from core.closing import CloseService
from core.discord_jobs import DiscordJobService, queue_discord_work
from core.events import ObservedStore
from core.feedback import FeedbackService
from core.forms import FormService
from core.guilds import GuildService
from core.notes import NoteService
from core.participants import ParticipantService
from core.ports import Store
from core.rate_limits import RateLimiter
from core.settings import Settings
from core.support_hours import SupportHoursService
from core.tags import TagService
from core.tickets import TicketService
from core.upkeep import InactivityService
from core.webhooks import WebhookService, fan_out


@dataclass(frozen=True)
class Services:
    clock: Clock
    events: ObservedStore  # the store every service writes through; `after_commit` hooks
    guilds: GuildService
    tickets: TicketService
    forms: FormService
    feedback: FeedbackService
    inactivity: InactivityService
    ai: AIReplyService
    closing: CloseService
    # Integrations (SPEC §8): the HTTP API's keys and rate limit, webhooks, and the Discord
    # work other front ends queue for the bot.
    api_keys: ApiKeyService
    rate_limits: RateLimiter
    webhooks: WebhookService
    discord_jobs: DiscordJobService
    # The staff tools (SPEC §12).
    tags: TagService
    notes: NoteService
    blocks: BlockService
    participants: ParticipantService
    close_requests: CloseRequestService
    hours: SupportHoursService


def make_responder(settings: Settings) -> OpenAIResponder | None:
    """The AI endpoint from OPENAI_* / AI_* settings; None leaves AI replies unavailable."""
    if not settings.ai_configured:
        return None
    assert settings.OPENAI_API_KEY is not None and settings.AI_MODEL is not None
    return OpenAIResponder(
        api_key=settings.OPENAI_API_KEY.get_secret_value(),
        model=settings.AI_MODEL,
        base_url=settings.OPENAI_BASE_URL,
        max_tokens=settings.AI_MAX_TOKENS,
        timeout=settings.AI_TIMEOUT_SECONDS,
    )


def build_services(store: Store, settings: Settings, clock: Clock) -> Services:
    # Every unit of work announces its domain events (core/events.py): webhooks hear of
    # them, and a front end without Discord gets its Discord side queued, in the same write.
    observed = ObservedStore(store, clock, [fan_out, queue_discord_work])
    store = observed
    # Whether AI is configured is known once, by GuildService; the others ask it.
    guilds = GuildService(store, clock, ai_configured=settings.ai_configured)
    tickets = TicketService(store, guilds, clock)
    forms = FormService(store, guilds, clock)
    return Services(
        clock=clock,
        events=observed,
        guilds=guilds,
        tickets=tickets,
        forms=forms,
        feedback=FeedbackService(store, clock),
        inactivity=InactivityService(store, tickets, clock),
        ai=AIReplyService(store, guilds, tickets, make_responder(settings), clock),
        closing=CloseService(store, clock),
        api_keys=ApiKeyService(store, clock),
        rate_limits=RateLimiter(
            store,
            clock,
            limit=settings.API_RATE_LIMIT,
            window_seconds=settings.API_RATE_WINDOW_SECONDS,
        ),
        webhooks=WebhookService(
            store,
            guilds,
            clock,
            retry_base_seconds=settings.WEBHOOK_RETRY_SECONDS,
            allow_private=settings.WEBHOOK_ALLOW_PRIVATE_URLS,
        ),
        discord_jobs=DiscordJobService(store, clock),
        tags=TagService(store, tickets, clock),
        notes=NoteService(store, guilds, clock),
        blocks=BlockService(store, clock),
        participants=ParticipantService(store, guilds, clock),
        close_requests=CloseRequestService(store, guilds, tickets, clock),
        hours=SupportHoursService(store, clock),
    )
