"""The set of services the front ends use, built once by the wiring module (wiring.py)
from a store it chose; nothing here knows which store that is."""

from __future__ import annotations

from dataclasses import dataclass

from core.ai import OpenAIResponder
from core.ai_replies import AIReplyService
from core.blocks import BlockService
from core.clock import Clock
from core.close_requests import CloseRequestService
from core.closing import CloseService
from core.feedback import FeedbackService
from core.forms import FormService
from core.guilds import GuildService
from core.notes import NoteService
from core.participants import ParticipantService
from core.ports import Store
from core.settings import Settings
from core.support_hours import SupportHoursService
from core.tags import TagService
from core.tickets import TicketService
from core.upkeep import InactivityService


@dataclass(frozen=True)
class Services:
    clock: Clock
    guilds: GuildService
    tickets: TicketService
    forms: FormService
    feedback: FeedbackService
    inactivity: InactivityService
    ai: AIReplyService
    closing: CloseService
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
    # Whether AI is configured is known once, by GuildService; the others ask it.
    guilds = GuildService(store, clock, ai_configured=settings.ai_configured)
    tickets = TicketService(store, guilds, clock)
    forms = FormService(store, guilds, clock)
    return Services(
        clock=clock,
        guilds=guilds,
        tickets=tickets,
        forms=forms,
        feedback=FeedbackService(store, clock),
        inactivity=InactivityService(store, tickets, clock),
        ai=AIReplyService(store, guilds, tickets, make_responder(settings), clock),
        closing=CloseService(store, clock),
        tags=TagService(store, tickets, clock),
        notes=NoteService(store, guilds, clock),
        blocks=BlockService(store, clock),
        participants=ParticipantService(store, guilds, clock),
        close_requests=CloseRequestService(store, guilds, tickets, clock),
        hours=SupportHoursService(store, clock),
    )
