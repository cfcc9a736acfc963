"""Staff tools under `/ticket` (SPEC §12): `add member|role`, `remove member`,
`close-request`.

A mixin of `TicketCommands` (the `/ticket` group is one cog), kept in its own module so
the tools stay apart from the core commands. Like the other `/ticket` commands they act
on the ticket whose thread they run in, or on `ticket_id` elsewhere.
"""

from __future__ import annotations

import discord
from discord import app_commands

from cogs.lifecycle.close_request import ask_to_close
from cogs.shared.desk import TicketDesk
from cogs.tickets import participants


class StaffToolCommands:
    desk: TicketDesk

    async def _ticket_here(self, interaction: discord.Interaction, given: str | None) -> int:
        raise NotImplementedError  # TicketCommands: the given ticket, or the thread's

    add_group = app_commands.Group(name="add", description="Bring someone into a ticket (staff)")
    remove_group = app_commands.Group(
        name="remove", description="Take someone out of a ticket (staff)"
    )

    @add_group.command(name="member", description="Add a member to the ticket's thread (staff)")
    @app_commands.describe(
        member="Who to add: they can read and reply, but not close it",
        ticket_id="Leave out inside a ticket thread",
    )
    async def add_member(
        self, interaction: discord.Interaction, member: discord.Member, ticket_id: str | None = None
    ) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await participants.add_member(self.desk, interaction, number, member)

    @add_group.command(name="role", description="Bring a role into the ticket's thread (staff)")
    @app_commands.describe(
        role="The role to mention: its members who can see the ticket channel join",
        ticket_id="Leave out inside a ticket thread",
    )
    async def add_role(
        self, interaction: discord.Interaction, role: discord.Role, ticket_id: str | None = None
    ) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await participants.add_role(self.desk, interaction, number, role)

    @remove_group.command(
        name="member", description="Take a member out of the ticket's thread (staff)"
    )
    @app_commands.describe(member="Who to take out", ticket_id="Leave out inside a ticket thread")
    async def remove_member(
        self, interaction: discord.Interaction, member: discord.Member, ticket_id: str | None = None
    ) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await participants.remove_member(self.desk, interaction, number, member)

    @app_commands.command(
        name="close-request", description="Ask the owner to confirm closing the ticket (staff)"
    )
    @app_commands.describe(
        reason="Why you think it can be closed (shown to the member)",
        hours="Close by itself after this many hours without an answer (1–720, default 24)",
        ticket_id="Leave out inside a ticket thread",
    )
    async def close_request(
        self,
        interaction: discord.Interaction,
        reason: app_commands.Range[str, 1, 500] | None = None,
        hours: app_commands.Range[int, 1, 720] | None = None,
        ticket_id: str | None = None,
    ) -> None:
        number = await self._ticket_here(interaction, ticket_id)
        await ask_to_close(self.desk, interaction, number, reason, hours)
