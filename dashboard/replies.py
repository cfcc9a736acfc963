"""A reply written on the dashboard: stored as the visitor, then posted in the ticket's
Discord thread by the bot process."""

from __future__ import annotations

from core.models import Actor, Reply
from core.services import Services
from dashboard.ports import DashboardSide


class Replies:
    def __init__(self, services: Services, side: DashboardSide) -> None:
        self._services = services
        self._side = side

    async def send(self, actor: Actor, ticket_id: int, text: str) -> Reply:
        stored = await self._services.tickets.store_reply(actor, ticket_id, text)
        self._side.reply_stored(actor.guild_id, stored.ticket.id, stored.reply.id)
        return stored.reply
