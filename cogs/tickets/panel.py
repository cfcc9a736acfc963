"""The ticket panel: a button (or a department pick) that opens a modal, then a ticket."""

from __future__ import annotations

import re
from typing import Any, Self

import discord

from cogs.shared.buttons import PersistentButton
from cogs.shared.custom_ids import ANY, page_in
from cogs.shared.desk import TicketDesk, desk_of
from cogs.shared.errors import guarded
from cogs.shared.language import member_speech
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.submitted import Submitted
from cogs.tickets.opener import opener_of
from core.models import Department
from core.validation import id_digits
from i18n import N_, Speech, speech

DEPARTMENTS = list(Department)


def panel_view(t: Speech) -> discord.ui.View:
    """The panel's button and pick, in the server's language `t` (everyone sees them)."""
    view = discord.ui.View(timeout=None)
    view.add_item(OpenTicketButton(t))
    view.add_item(DepartmentPicker(t))
    return view


class TicketModal(RoutedModal, template=rf"panel:modal:(?P<department>{ANY}):{NONCE}"):
    """Subject and message for a new ticket; answered by the router, never kept."""

    subject: discord.ui.TextInput = discord.ui.TextInput(
        label=N_("Subject"), placeholder=N_("A short title"), max_length=100, custom_id="subject"
    )
    message: discord.ui.TextInput = discord.ui.TextInput(
        label=N_("What do you need help with?"),
        style=discord.TextStyle.paragraph,
        max_length=4000,
        custom_id="message",
    )

    def __init__(self, department: Department, t: Speech) -> None:
        name = t.pgettext("choice", department.value)
        super().__init__(
            title=t._("New ticket · {department}", department=name),
            custom_id=f"panel:modal:{DEPARTMENTS.index(department)}:{nonce()}",
        )
        self.subject.label = t._("Subject")
        self.subject.placeholder = t._("A short title")
        self.message.label = t._("What do you need help with?")

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        department = DEPARTMENTS[min(page_in(match["department"]), len(DEPARTMENTS) - 1)]
        await interaction.response.defer(ephemeral=True, thinking=True)
        await opener_of(interaction.client).open_ticket(
            interaction,
            subject=values.text("subject"),
            message=values.text("message"),
            priority=None,
            department=department.value,
        )


async def open_modal(
    desk: TicketDesk, interaction: discord.Interaction, department: Department
) -> None:
    # Refuse before the member types anything when tickets are switched off here, or
    # when the member is blocked (opening checks both again).
    await desk.services.tickets.require_enabled(interaction.guild_id or 0)
    actor, _ = await desk.actor(interaction)
    await desk.services.blocks.check(actor)
    await TicketModal(department, member_speech(interaction)).show(interaction)


class OpenTicketButton(PersistentButton, template=r"panel:open"):
    def __init__(self, t: Speech | None = None) -> None:
        label = (t or speech())._("Open a ticket")
        super().__init__("panel:open", label=label, emoji="🎫", style=discord.ButtonStyle.primary)

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        return cls()

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        await open_modal(desk, interaction, Department.TECHNICAL_SUPPORT)


class DepartmentPicker(discord.ui.DynamicItem[discord.ui.Select], template=r"panel:department"):
    """A select, not a button, so not a PersistentButton; persistent all the same."""

    def __init__(self, t: Speech | None = None) -> None:
        t = t or speech()
        super().__init__(
            discord.ui.Select(
                custom_id="panel:department",
                placeholder=t._("…or pick a department"),
                options=[
                    discord.SelectOption(label=t.pgettext("choice", d.value), value=str(i))
                    for i, d in enumerate(DEPARTMENTS)
                ],
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str], /
    ) -> Any:
        return cls()

    @guarded
    async def callback(self, interaction: discord.Interaction) -> Any:
        values = (interaction.data or {}).get("values") or ["0"]
        index = id_digits(str(values[0])) or 0  # a forged value picks the default
        await open_modal(
            desk_of(interaction), interaction, DEPARTMENTS[min(index, len(DEPARTMENTS) - 1)]
        )
