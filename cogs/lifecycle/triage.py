"""Triage from `/ticket`: resolve, claim, priority, department.

The service makes each change and checks who may; this says it where it happened, and
in the thread and the log channel when it happened elsewhere: in the member's language
where only they see it, in the server's where everyone does.
"""

from __future__ import annotations

from collections.abc import Callable

import discord

from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.text import NO_PINGS, role_mention, user_mention
from core.models import GuildConfig, Ticket
from i18n import Speech

# The announcement of a change, in a given language.
Line = Callable[[Speech], str]


async def resolve_ticket(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int
) -> None:
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.resolve(actor, ticket_id)

    def line(t: Speech) -> str:
        return t._(
            "✅ Ticket {ref} was marked resolved by {user}. A new message reopens it.",
            ref=ticket.ref,
            user=user_mention(actor.user_id),
        )

    await announce(desk, interaction, ticket, config, line)


async def claim_ticket(desk: TicketDesk, interaction: discord.Interaction, ticket_id: int) -> None:
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.claim(actor, ticket_id)

    def line(t: Speech) -> str:
        return t._(
            "🙋 {user} is handling ticket {ref}.", user=user_mention(actor.user_id), ref=ticket.ref
        )

    await announce(desk, interaction, ticket, config, line)


async def set_priority(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int, level: str
) -> None:
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.set_priority(actor, ticket_id, level)

    def line(t: Speech) -> str:
        return t._(
            "Priority of ticket {ref} set to {priority} by {user}.",
            ref=ticket.ref,
            priority=ticket.priority.value,
            user=user_mention(actor.user_id),
        )

    await announce(desk, interaction, ticket, config, line)


async def move_to_department(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int, name: str
) -> None:
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.set_department(actor, ticket_id, name)

    def line(t: Speech) -> str:
        return t._(
            "Ticket {ref} moved to {department} by {user}.",
            ref=ticket.ref,
            department=ticket.department.value,
            user=user_mention(actor.user_id),
        )

    await announce(desk, interaction, ticket, config, line)
    await bring_in_department(desk, ticket, config)


async def announce(
    desk: TicketDesk,
    interaction: discord.Interaction,
    ticket: Ticket,
    config: GuildConfig,
    line: Line,
) -> None:
    """Say a triage change where it happened, and in the thread and log when elsewhere."""
    in_thread = interaction.channel_id == ticket.thread_id
    server = desk.server_speech(config)
    here = server if in_thread else member_speech(interaction)
    await interaction.response.send_message(
        line(here), ephemeral=not in_thread, allowed_mentions=NO_PINGS
    )
    if not in_thread:
        await desk.post_in_thread(ticket, line(server))
    await desk.log_event(config, line(server))


async def bring_in_department(desk: TicketDesk, ticket: Ticket, config: GuildConfig) -> None:
    """Ping the new department's role in the thread, which brings its members in."""
    thread = await desk.thread_of(ticket)
    role_id = config.role_for(ticket.department)
    if thread is None or role_id is None:
        return
    server = desk.server_speech(config)
    await thread.send(
        server._(
            "{role} ticket {ref} moved to {department}.",
            role=role_mention(role_id),
            ref=ticket.ref,
            department=ticket.department.value,
        ),
        allowed_mentions=discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(role_id)]
        ),
    )
