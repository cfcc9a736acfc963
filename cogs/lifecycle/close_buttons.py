"""Buttons and modals that keep working after a restart.

Each button is a DynamicItem whose custom_id carries what it acts on (`ticket:close:42`),
so the bot needs no memory of the message to handle a click.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from cogs.shared.common import send_ephemeral
from cogs.shared.custom_ids import ANY, id_in, page_in
from cogs.shared.desk import TicketDesk
from cogs.shared.errors import guarded
from cogs.shared.modals import NONCE, RoutedModal, Submitted, nonce
from core.models import Ticket


def desk_of(interaction: discord.Interaction) -> TicketDesk:
    # Dynamic items are rebuilt by discord.py on every click; the desk is their only link.
    return interaction.client.desk  # type: ignore[attr-defined]


def ticket_controls(ticket: Ticket) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CloseButton(ticket.id))
    return view


class CloseButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"ticket:close:(?P<id>{ANY})"
):
    def __init__(self, ticket_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Close",
                style=discord.ButtonStyle.danger,
                emoji="🔒",
                custom_id=f"ticket:close:{ticket_id}",
            )
        )
        self.ticket_id = ticket_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> CloseButton:
        return cls(id_in(match["id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> Any:
        desk = desk_of(interaction)
        actor, _ = await desk.actor(interaction)
        ticket = await desk.services.tickets.get(actor, self.ticket_id)
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmCloseButton(ticket.id))
        view.add_item(CloseWithReasonButton(ticket.id))
        await send_ephemeral(
            interaction,
            f"Close ticket {ticket.ref}? The thread will be archived and locked, and a "
            "transcript kept.",
            view=view,
        )


class ConfirmCloseButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"ticket:close-yes:(?P<id>{ANY})"
):
    def __init__(self, ticket_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Close now",
                style=discord.ButtonStyle.danger,
                custom_id=f"ticket:close-yes:{ticket_id}",
            )
        )
        self.ticket_id = ticket_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> ConfirmCloseButton:
        return cls(id_in(match["id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> Any:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await close_ticket(interaction, self.ticket_id, None)


class CloseWithReasonButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"ticket:close-why:(?P<id>{ANY})"
):
    def __init__(self, ticket_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Close with a reason…",
                style=discord.ButtonStyle.secondary,
                custom_id=f"ticket:close-why:{ticket_id}",
            )
        )
        self.ticket_id = ticket_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> CloseWithReasonButton:
        return cls(id_in(match["id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> Any:
        desk = desk_of(interaction)
        actor, _ = await desk.actor(interaction)
        # Say "not found" now, not after the member has typed a reason.
        await desk.services.tickets.get(actor, self.ticket_id)
        await CloseReasonModal(self.ticket_id).show(interaction)


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
        await close_ticket(interaction, id_in(match["id"]), values.text("reason"))


async def close_ticket(
    interaction: discord.Interaction, ticket_id: int, reason: str | None
) -> None:
    from cogs.lifecycle.closing import finish_close

    desk = desk_of(interaction)
    actor, config = await desk.actor(interaction)
    ticket = await desk.services.tickets.close(actor, ticket_id, reason)
    notes = await finish_close(desk, actor, config, ticket)
    await send_ephemeral(interaction, " ".join([f"Ticket {ticket.ref} is closed.", *notes]))


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"page:(?P<kind>list|view):(?P<page>{ANY}):(?P<state>[^:]*)",
):
    """Next / Previous for /ticket list and /ticket view; the filters ride in the custom_id."""

    def __init__(self, kind: str, page: int, state: str, *, label: str, disabled: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"page:{kind}:{page}:{state}",
                disabled=disabled,
            )
        )
        self.kind, self.page, self.state = kind, page, state

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> PageButton:
        return cls(
            match["kind"],
            page_in(match["page"]),
            match["state"],
            label=item.label or "",
            disabled=False,
        )

    @guarded
    async def callback(self, interaction: discord.Interaction) -> Any:
        from cogs.tickets.pages import render_page

        embed, view = await render_page(
            desk_of(interaction), interaction, self.kind, self.page, self.state
        )
        await interaction.response.edit_message(embed=embed, view=view)


def pager(kind: str, page: int, page_count: int, state: str) -> discord.ui.View | None:
    if page_count <= 1:
        return None
    view = discord.ui.View(timeout=None)
    # Previous and Next always point at different pages, so their custom_ids never clash.
    view.add_item(PageButton(kind, max(page - 1, 0), state, label="◀ Previous", disabled=page == 0))
    view.add_item(
        PageButton(
            kind,
            min(page + 1, page_count - 1),
            state,
            label="Next ▶",
            disabled=page + 1 >= page_count,
        )
    )
    return view


DYNAMIC_ITEMS = (CloseButton, ConfirmCloseButton, CloseWithReasonButton, PageButton)
