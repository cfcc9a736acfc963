"""The ticket service as the bot builds it (wiring.py), over any store, for the figures
that go through the services."""

from __future__ import annotations

from core.clock import SystemClock
from core.guilds import GuildService
from core.ports import Store
from core.tickets import TicketService


def ticket_service(store: Store) -> TicketService:
    clock = SystemClock()
    return TicketService(store, GuildService(store, clock), clock)
