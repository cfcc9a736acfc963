"""Closing a ticket from its thread: Close, then Close now or Close with a reason.

The buttons are persistent (see cogs/shared/buttons.py): `ticket:close:42` works after a
restart. `/ticket close` and the buttons end in the same `close_ticket`.
"""

from __future__ import annotations

import re

import discord

from cogs.lifecycle.closing import finish_close
from cogs.shared.buttons import TargetButton
from cogs.shared.custom_ids import ANY, id_in
from cogs.shared.desk import TicketDesk, desk_of
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.submitted import Submitted
from cogs.shared.text import send_ephemeral
from core.models import Ticket


def ticket_controls(ticket: Ticket) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CloseButton(ticket.id))
    return view


class CloseButton(TargetButton, prefix="ticket:close"):
    button_label = "Close"
    button_style = discord.ButtonStyle.danger
    button_emoji = "🔒"

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        ticket = await desk.services.tickets.get(actor, self.target_id)
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmCloseButton(ticket.id))
        view.add_item(CloseWithReasonButton(ticket.id))
        await send_ephemeral(
            interaction,
            f"Close ticket {ticket.ref}? The thread will be archived and locked, and a "
            "transcript kept.",
            view=view,
        )


class ConfirmCloseButton(TargetButton, prefix="ticket:close-yes"):
    button_label = "Close now"
    button_style = discord.ButtonStyle.danger

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await close_ticket(desk, interaction, self.target_id, None)


class CloseWithReasonButton(TargetButton, prefix="ticket:close-why"):
    button_label = "Close with a reason…"

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        # Say "not found" now, not after the member has typed a reason.
        await desk.services.tickets.get(actor, self.target_id)
        await CloseReasonModal(self.target_id).show(interaction)


class CloseReasonModal(RoutedModal, template=rf"ticket:close-modal:(?P<id>{ANY}):{NONCE}"):
    reason: discord.ui.TextInput = discord.ui.TextInput(
        label="Reason",
        style=discord.TextStyle.paragraph,
        max_length=500,
        required=True,
        custom_id="reason",
    )

    def __init__(self, ticket_id: int) -> None:
        super().__init__(
            title=f"Close ticket #{ticket_id}",
            custom_id=f"ticket:close-modal:{ticket_id}:{nonce()}",
        )

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await close_ticket(
            desk_of(interaction), interaction, id_in(match["id"]), values.text("reason")
        )


async def close_ticket(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int, reason: str | None
) -> None:
    """Close a ticket for whoever acts in `interaction` (the buttons, `/ticket close`)."""
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.close(actor, ticket_id, reason)
    notes = await finish_close(desk, actor, config, ticket)
    await send_ephemeral(interaction, " ".join([f"Ticket {ticket.ref} is closed.", *notes]))


CLOSE_ITEMS = (CloseButton, ConfirmCloseButton, CloseWithReasonButton)
