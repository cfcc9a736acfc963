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
from cogs.shared.language import member_speech
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.submitted import Submitted
from cogs.shared.text import send_ephemeral
from core.models import Ticket
from i18n import N_, NP_, Speech


def ticket_controls(ticket: Ticket, t: Speech) -> discord.ui.View:
    """Under the opening message, in the server's language `t`."""
    view = discord.ui.View(timeout=None)
    view.add_item(CloseButton(ticket.id, t))
    return view


class CloseButton(TargetButton, prefix="ticket:close"):
    button_label = NP_("button", "Close")
    button_context = "button"  # "Close" alone is ambiguous
    button_style = discord.ButtonStyle.danger
    button_emoji = "🔒"

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        ticket = await desk.services.tickets.get(actor, self.target_id)
        t = member_speech(interaction)
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmCloseButton(ticket.id, t))
        view.add_item(CloseWithReasonButton(ticket.id, t))
        await send_ephemeral(
            interaction,
            t._(
                "Close ticket {ref}? The thread will be archived and locked, and a transcript "
                "kept.",
                ref=ticket.ref,
            ),
            view=view,
        )


class ConfirmCloseButton(TargetButton, prefix="ticket:close-yes"):
    button_label = N_("Close now")
    button_style = discord.ButtonStyle.danger

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await close_ticket(desk, interaction, self.target_id, None)


class CloseWithReasonButton(TargetButton, prefix="ticket:close-why"):
    button_label = N_("Close with a reason…")

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        # Say "not found" now, not after the member has typed a reason.
        await desk.services.tickets.get(actor, self.target_id)
        await CloseReasonModal(self.target_id, member_speech(interaction)).show(interaction)


class CloseReasonModal(RoutedModal, template=rf"ticket:close-modal:(?P<id>{ANY}):{NONCE}"):
    reason: discord.ui.TextInput = discord.ui.TextInput(
        label=N_("Reason"),
        style=discord.TextStyle.paragraph,
        max_length=500,
        required=True,
        custom_id="reason",
    )

    def __init__(self, ticket_id: int, t: Speech) -> None:
        super().__init__(
            title=t._("Close ticket #{ticket_id}", ticket_id=ticket_id),
            custom_id=f"ticket:close-modal:{ticket_id}:{nonce()}",
        )
        self.reason.label = t._("Reason")

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
    t = member_speech(interaction)
    await desk.stored_so_far(interaction.channel)
    ticket = await desk.services.tickets.close(actor, ticket_id, reason)
    notes = await finish_close(desk, actor, config, ticket, t)
    await send_ephemeral(
        interaction, " ".join([t._("Ticket {ref} is closed.", ref=ticket.ref), *notes])
    )


CLOSE_ITEMS = (CloseButton, ConfirmCloseButton, CloseWithReasonButton)
