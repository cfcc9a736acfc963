"""The set of services the front ends use, built once in bot.py."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.ai import OpenAIResponder
from core.ai_replies import AIReplyService
from core.clock import Clock, OffsetFileClock, SystemClock
from core.closing import CloseService
from core.feedback import FeedbackService
from core.forms import FormService
from core.guilds import GuildService
from core.settings import Settings
from core.tickets import TicketService
from core.upkeep import InactivityService
from storage.database import Database


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


def make_clock() -> Clock:
    # End-to-end tests move the bot's time through a file; production uses the system clock.
    offset_file = os.environ.get("TICKETDESK_CLOCK_OFFSET_FILE")
    return OffsetFileClock(Path(offset_file)) if offset_file else SystemClock()


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


def build_services(db: Database, settings: Settings, clock: Clock | None = None) -> Services:
    clock = clock or make_clock()
    # Whether AI is configured is known once, by GuildService; the others ask it.
    guilds = GuildService(db, clock, ai_configured=settings.ai_configured)
    tickets = TicketService(db, guilds, clock)
    forms = FormService(db, guilds, clock)
    return Services(
        clock=clock,
        guilds=guilds,
        tickets=tickets,
        forms=forms,
        feedback=FeedbackService(db, clock),
        inactivity=InactivityService(db, tickets, clock),
        ai=AIReplyService(db, guilds, tickets, make_responder(settings), clock),
        closing=CloseService(db, clock),
    )
