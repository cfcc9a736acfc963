"""Tickets: opening them (slash command and panel), `/ticket` list, view, reply and stats,
and the thread as the conversation (mirroring it; closing a ticket whose thread is gone).

Builds on `cogs.lifecycle` (close, reopen and triage commands, the Close button on each
opening message) and `cogs.shared`.
"""

from __future__ import annotations

from discord.ext import commands

from cogs.shared.desk import TicketDesk
from cogs.tickets.commands import SuggestReply, TicketCommands
from cogs.tickets.opener import ThreadOpener
from cogs.tickets.pages import PageButton
from cogs.tickets.panel import DepartmentPicker, OpenTicketButton
from cogs.tickets.thread_gone import ThreadGone
from cogs.tickets.threads import ThreadMirror

PERSISTENT_ITEMS = (PageButton, OpenTicketButton, DepartmentPicker)


async def register(bot: commands.Bot, desk: TicketDesk, *, suggest: SuggestReply) -> None:
    """Add the ticket cogs and buttons; `suggest` answers `/ticket suggest` (the AI's)."""
    await bot.add_cog(ThreadOpener(desk))  # the one way a ticket gets its thread
    await bot.add_cog(TicketCommands(desk, suggest))
    await bot.add_cog(ThreadMirror(desk))
    await bot.add_cog(ThreadGone(desk))
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
