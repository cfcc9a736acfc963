"""The set of services the front ends use, built once in bot.py."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.clock import Clock, OffsetFileClock, SystemClock
from core.guilds import GuildService
from core.settings import Settings
from core.tickets import TicketService
from storage.database import Database


@dataclass(frozen=True)
class Services:
    clock: Clock
    guilds: GuildService
    tickets: TicketService


def make_clock() -> Clock:
    # End-to-end tests move the bot's time through a file; production uses the system clock.
    offset_file = os.environ.get("TICKETDESK_CLOCK_OFFSET_FILE")
    return OffsetFileClock(Path(offset_file)) if offset_file else SystemClock()


def build_services(db: Database, settings: Settings, clock: Clock | None = None) -> Services:
    clock = clock or make_clock()
    guilds = GuildService(db, clock, ai_configured=settings.ai_configured)
    tickets = TicketService(db, guilds, clock, ai_configured=settings.ai_configured)
    return Services(clock=clock, guilds=guilds, tickets=tickets)
