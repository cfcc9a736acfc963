"""`/ticket note text`: a staff-only note on a ticket.

The note is answered ephemerally and written to the log channel as an event (who, which
ticket, not the words): it never appears in the thread. Staff read notes in `/ticket
view` (cogs/tickets/pages.py) and in the transcript posted in the log channel on a close.
"""

from __future__ import annotations

import discord
from discord import app_commands

from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.text import send_ephemeral, user_mention
from cogs.staff.where import ticket_meant
from core.models import GuildConfig, Ticket
from core.notes import NOTE_MAX
from i18n import N_


def note_command(desk: TicketDesk) -> app_commands.Command:
    """The `note` subcommand, added to the `/ticket` group by this package's register()."""

    @app_commands.command(name="note", description=N_("Add a note only staff can see (staff)"))
    @app_commands.describe(
        text=N_("The note: staff see it in /ticket view and the log; the member never does"),
        ticket_id=N_("Leave out inside a ticket thread"),
    )
    async def note(
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, NOTE_MAX],
        ticket_id: str | None = None,
    ) -> None:
        await add_note(desk, interaction, text, ticket_id)

    return note


async def add_note(
    desk: TicketDesk, interaction: discord.Interaction, text: str, given: str | None
) -> None:
    number = await ticket_meant(desk, interaction, given)
    actor, config = await desk.actor(interaction)
    ticket, _ = await desk.services.notes.add(actor, number, text)
    t = member_speech(interaction)
    await send_ephemeral(
        interaction,
        t._(
            "🔒 Staff note added to ticket {ref}. Staff see it in "
            "`/ticket view ticket_id:{ticket_id}` and in the transcript in the log channel; "
            "the member never does.",
            ref=ticket.ref,
            ticket_id=ticket.id,
        ),
    )
    await log_note_added(desk, config, ticket, actor.user_id)


async def log_note_added(
    desk: TicketDesk, config: GuildConfig, ticket: Ticket, author_id: int
) -> None:
    """The log channel hears who kept a note on which ticket, never its words (also for a
    note kept on the dashboard: cogs/outbox/jobs.py)."""
    server = desk.server_speech(config)
    await desk.log_event(
        config,
        server._(
            "📝 {user} added a staff note to ticket {ref}",
            user=user_mention(author_id),
            ref=ticket.ref,
        ),
    )
