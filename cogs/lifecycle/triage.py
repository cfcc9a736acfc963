"""Triage from `/ticket`: resolve, claim, priority, department.

The service makes each change and checks who may; this says it where it happened, and
in the thread and the log channel when it happened elsewhere.
"""

from __future__ import annotations

import discord

from cogs.shared.desk import TicketDesk
from cogs.shared.text import NO_PINGS
from core.models import GuildConfig, Ticket


async def resolve_ticket(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int
) -> None:
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.resolve(actor, ticket_id)
    line = f"✅ Ticket {ticket.ref} was marked resolved by <@{actor.user_id}>. A new message reopens it."
    await announce(desk, interaction, ticket, config, line)


async def claim_ticket(desk: TicketDesk, interaction: discord.Interaction, ticket_id: int) -> None:
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.claim(actor, ticket_id)
    line = f"🙋 <@{actor.user_id}> is handling ticket {ticket.ref}."
    await announce(desk, interaction, ticket, config, line)


async def set_priority(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int, level: str
) -> None:
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.set_priority(actor, ticket_id, level)
    line = f"Priority of ticket {ticket.ref} set to {ticket.priority.value} by <@{actor.user_id}>."
    await announce(desk, interaction, ticket, config, line)


async def move_to_department(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int, name: str
) -> None:
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.set_department(actor, ticket_id, name)
    line = f"Ticket {ticket.ref} moved to {ticket.department.value} by <@{actor.user_id}>."
    await announce(desk, interaction, ticket, config, line)
    await bring_in_department(desk, ticket, config)


async def announce(
    desk: TicketDesk,
    interaction: discord.Interaction,
    ticket: Ticket,
    config: GuildConfig,
    line: str,
) -> None:
    """Say a triage change where it happened, and in the thread and log when elsewhere."""
    in_thread = interaction.channel_id == ticket.thread_id
    await interaction.response.send_message(
        line, ephemeral=not in_thread, allowed_mentions=NO_PINGS
    )
    if not in_thread:
        await desk.post_in_thread(ticket, line)
    await desk.log_event(config, line)


async def bring_in_department(desk: TicketDesk, ticket: Ticket, config: GuildConfig) -> None:
    """Ping the new department's role in the thread, which brings its members in."""
    thread = await desk.thread_of(ticket)
    role_id = config.role_for(ticket.department)
    if thread is None or role_id is None:
        return
    await thread.send(
        f"<@&{role_id}> ticket {ticket.ref} moved to {ticket.department.value}.",
        allowed_mentions=discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(role_id)]
        ),
    )
