"""/ticket commands: thin translations from Discord to the ticket services.

One command group, so the lifecycle's commands (close, reopen, resolve, triage,
transcript) are here too, each handing over to `cogs.lifecycle` at once. `/ticket suggest`
is the AI's: its function is given to the cog (cogs/app.py wires it), because the AI
package builds on this one and not the other way round.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.lifecycle.close_buttons import close_ticket
from cogs.lifecycle.closing import as_files, transcript_uploads
from cogs.lifecycle.reopening import reopen_ticket
from cogs.lifecycle.triage import claim_ticket, move_to_department, resolve_ticket, set_priority
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.text import send_ephemeral
from cogs.tickets import render
from cogs.tickets.opener import opener_of
from cogs.tickets.pages import list_state, render_page, view_state
from cogs.tickets.replies import post_reply
from core.errors import InvalidInput
from core.validation import parse_ticket_id
from i18n import N_

log = logging.getLogger(__name__)

PriorityChoice = Literal["urgent", "high", "medium", "low"]
DepartmentChoice = Literal["Technical Support", "Billing", "Sales", "Security"]
StatusChoice = Literal["open", "pending", "resolved", "closed"]


# `/ticket suggest`: draft a reply for the ticket with this number (cogs/ai/replies.py).
SuggestReply = Callable[[TicketDesk, discord.Interaction, int], Awaitable[None]]


@app_commands.guild_only()
class TicketCommands(
    commands.GroupCog, group_name="ticket", group_description=N_("Support tickets")
):
    def __init__(self, desk: TicketDesk, suggest: SuggestReply) -> None:
        self.desk = desk
        self.tickets = desk.services.tickets
        self.suggest_reply = suggest
        super().__init__()

    async def _ticket_here(self, interaction: discord.Interaction, given: str | None) -> int:
        """The ticket a command means: the one given, else the thread it runs in."""
        if given:
            return parse_ticket_id(given)
        if isinstance(interaction.channel, discord.Thread):
            ticket = await self.tickets.by_thread(interaction.channel.id)
            if ticket is not None and ticket.guild_id == interaction.guild_id:
                return ticket.id
        raise InvalidInput("ticket_id", "ticket.which")

    async def _here_only(self, interaction: discord.Interaction, what: str) -> int:
        if isinstance(interaction.channel, discord.Thread):
            ticket = await self.tickets.by_thread(interaction.channel.id)
            if ticket is not None and ticket.guild_id == interaction.guild_id:
                return ticket.id
        raise InvalidInput("ticket", "ticket.here_only", command=what)

    @app_commands.command(name="create", description=N_("Open a support ticket"))
    @app_commands.describe(
        subject=N_("A short title (up to 100 characters)"),
        message=N_("What do you need help with? (up to 4000 characters)"),
        priority=N_("How urgent is it? (default: medium)"),
        department=N_("Who should handle it? (default: Technical Support)"),
    )
    async def create(
        self,
        interaction: discord.Interaction,
        subject: app_commands.Range[str, 1, 100],
        message: app_commands.Range[str, 1, 4000],
        priority: PriorityChoice | None = None,
        department: DepartmentChoice | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await opener_of(self.desk.bot).open_ticket(
            interaction, subject=subject, message=message, priority=priority, department=department
        )

    @app_commands.command(name="list", description=N_("List tickets (yours, or all for staff)"))
    @app_commands.describe(
        status=N_("Only tickets with this status"),
        department=N_("Only tickets of this department"),
        priority=N_("Only tickets with this priority"),
    )
    async def list_(
        self,
        interaction: discord.Interaction,
        status: StatusChoice | None = None,
        department: DepartmentChoice | None = None,
        priority: PriorityChoice | None = None,
    ) -> None:
        state = list_state(status, department, priority)
        embed, view = await render_page(self.desk, interaction, "list", 0, state)
        await send_ephemeral(interaction, "", embed=embed, **({"view": view} if view else {}))

    @app_commands.command(name="view", description=N_("Show a ticket and its conversation"))
    @app_commands.describe(ticket_id=N_("The ticket number, e.g. 42"))
    async def view(self, interaction: discord.Interaction, ticket_id: str) -> None:
        number = parse_ticket_id(ticket_id)
        embed, view = await render_page(self.desk, interaction, "view", 0, view_state(number))
        await send_ephemeral(interaction, "", embed=embed, **({"view": view} if view else {}))

    @app_commands.command(name="reply", description=N_("Reply to a ticket"))
    @app_commands.describe(
        message=N_("Your reply"), ticket_id=N_("Leave out inside a ticket thread")
    )
    async def reply(
        self,
        interaction: discord.Interaction,
        message: app_commands.Range[str, 1, 4000],
        ticket_id: str | None = None,
    ) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        actor, _ = await self.desk.actor(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        stored = await self.tickets.store_reply(actor, number, message)
        outcome, file = await post_reply(
            self.desk, interaction.user.display_name, stored, member_speech(interaction)
        )
        await send_ephemeral(interaction, outcome, **({"file": file} if file else {}))

    @app_commands.command(name="stats", description=N_("Ticket counts and response times (staff)"))
    async def stats(self, interaction: discord.Interaction) -> None:
        actor, _ = await self.desk.actor(interaction)
        stats = await self.tickets.stats(actor)
        embed = render.stats_embed(stats, member_speech(interaction))
        await send_ephemeral(interaction, "", embed=embed)

    @app_commands.command(
        name="close", description=N_("Close a ticket (this thread's, or by number)")
    )
    @app_commands.describe(
        reason=N_("Why it is closed (shown to the member)"),
        ticket_id=N_("Leave out inside a ticket thread"),
    )
    async def close(
        self,
        interaction: discord.Interaction,
        reason: app_commands.Range[str, 1, 500] | None = None,
        ticket_id: str | None = None,
    ) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await close_ticket(self.desk, interaction, number, reason)

    @app_commands.command(name="resolve", description=N_("Mark a ticket resolved"))
    @app_commands.describe(ticket_id=N_("Leave out inside a ticket thread"))
    async def resolve(self, interaction: discord.Interaction, ticket_id: str | None = None) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await resolve_ticket(self.desk, interaction, number)

    @app_commands.command(name="reopen", description=N_("Reopen a closed ticket (staff)"))
    @app_commands.describe(ticket_id=N_("Leave out inside a ticket thread"))
    async def reopen(self, interaction: discord.Interaction, ticket_id: str | None = None) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        actor, config = await self.desk.actor(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await send_ephemeral(
            interaction,
            await reopen_ticket(self.desk, actor, config, number, member_speech(interaction)),
        )

    @app_commands.command(name="claim", description=N_("Take this ticket on (staff)"))
    @app_commands.describe(ticket_id=N_("Leave out inside a ticket thread"))
    async def claim(self, interaction: discord.Interaction, ticket_id: str | None = None) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await claim_ticket(self.desk, interaction, number)

    @app_commands.command(name="priority", description=N_("Change the ticket's priority (staff)"))
    @app_commands.describe(
        level=N_("The new priority"), ticket_id=N_("Leave out inside a ticket thread")
    )
    async def priority(
        self, interaction: discord.Interaction, level: PriorityChoice, ticket_id: str | None = None
    ) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await set_priority(self.desk, interaction, number, level)

    @app_commands.command(
        name="department", description=N_("Move the ticket to another department (staff)")
    )
    @app_commands.describe(
        name=N_("The department to move it to"), ticket_id=N_("Leave out inside a ticket thread")
    )
    async def department(
        self, interaction: discord.Interaction, name: DepartmentChoice, ticket_id: str | None = None
    ) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await move_to_department(self.desk, interaction, number, name)

    @app_commands.command(
        name="suggest", description=N_("Let the AI draft a reply you can send (staff)")
    )
    async def suggest(self, interaction: discord.Interaction) -> None:
        number = await self._here_only(interaction, "suggest")
        await self.suggest_reply(self.desk, interaction, number)

    @app_commands.command(
        name="transcript", description=N_("Get a ticket's transcript (owner or staff)")
    )
    @app_commands.describe(ticket_id=N_("The ticket number, e.g. 42"))
    async def transcript(self, interaction: discord.Interaction, ticket_id: str) -> None:
        number = parse_ticket_id(ticket_id)
        actor, _ = await self.desk.actor(interaction)
        t = member_speech(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        uploads = await transcript_uploads(self.desk, actor, number, t)
        for index, group in enumerate(uploads):
            if len(uploads) > 1:
                text = t._(
                    "Transcript of ticket #{ticket_id} (part {part} of {parts}).",
                    ticket_id=number,
                    part=index + 1,
                    parts=len(uploads),
                )
            else:
                text = t._("Transcript of ticket #{ticket_id}.", ticket_id=number)
            await interaction.followup.send(text, files=as_files(group), ephemeral=True)
