"""Which ticket a staff tool acts on: the thread it runs in, or the number given."""

from __future__ import annotations

import discord

from cogs.shared.desk import TicketDesk
from core.errors import InvalidInput
from core.validation import parse_ticket_id


async def ticket_in_thread(desk: TicketDesk, interaction: discord.Interaction) -> int | None:
    """The ticket whose thread the command runs in (of this server), if any."""
    if not isinstance(interaction.channel, discord.Thread):
        return None
    ticket = await desk.services.tickets.by_thread(interaction.channel.id)
    if ticket is None or ticket.guild_id != interaction.guild_id:
        return None
    return ticket.id


async def ticket_meant(
    desk: TicketDesk, interaction: discord.Interaction, given: str | None
) -> int:
    """The ticket given by number, else the thread's: like the other `/ticket` commands."""
    if given:
        return parse_ticket_id(given)
    number = await ticket_in_thread(desk, interaction)
    if number is None:
        raise InvalidInput("ticket_id", "ticket.which")
    return number
