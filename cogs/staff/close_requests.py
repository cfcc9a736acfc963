"""`/ticket close-request [reason] [hours]`: ask the owner to confirm closing.

The command belongs under `/ticket` (cogs.tickets builds it); this package's register()
adds it there. The request itself (its message, the Close / Keep open buttons and the
sweep that closes unanswered ones) is the lifecycle's: cogs/lifecycle/close_request.py.
"""

from __future__ import annotations

import discord
from discord import app_commands

from cogs.lifecycle.close_request import ask_to_close
from cogs.shared.desk import TicketDesk
from cogs.staff.where import ticket_meant
from core.close_requests import MAX_HOURS
from i18n import N_


def close_request_command(desk: TicketDesk) -> app_commands.Command:
    """The `close-request` subcommand, added to `/ticket` by this package's register()."""

    @app_commands.command(
        name="close-request",
        description=N_("Ask the owner to confirm closing the ticket (staff)"),
    )
    @app_commands.describe(
        reason=N_("Why you think it can be closed (shown to the member)"),
        hours=N_("Close by itself after this many hours without an answer (1–720, default 24)"),
        ticket_id=N_("Leave out inside a ticket thread"),
    )
    async def close_request(
        interaction: discord.Interaction,
        reason: app_commands.Range[str, 1, 500] | None = None,
        hours: app_commands.Range[int, 1, MAX_HOURS] | None = None,
        ticket_id: str | None = None,
    ) -> None:
        number = await ticket_meant(desk, interaction, ticket_id)
        await ask_to_close(desk, interaction, number, reason, hours)

    return close_request
