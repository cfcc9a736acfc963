"""The button that confirms `/admin forget-server`."""

from __future__ import annotations

import discord

from cogs.shared.buttons import TargetButton
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from core.errors import InvalidInput
from i18n import N_


class ForgetConfirm(TargetButton, prefix="admin:forget"):
    """Carries the id of the server whose data it deletes."""

    button_label = N_("Delete everything")
    button_style = discord.ButtonStyle.danger

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        if actor.guild_id != self.target_id:
            raise InvalidInput("server", "admin.other_server")
        removed = await desk.services.guilds.forget(actor)
        count = removed.get("tickets", 0)
        t = member_speech(interaction)
        await interaction.response.edit_message(
            content=t.ngettext(
                "Done: all data of this server is deleted ({count} ticket and everything else).",
                "Done: all data of this server is deleted ({count} tickets and everything else).",
                count,
                count=t.number(count),
            ),
            view=None,
        )
