"""A ticket's life after opening: close (and the Discord work a close leaves), reopen,
resolve and triage, the upkeep sweeps (reminders, auto-close, unfinished closes), and
the feedback asked for on closing.

Depends on `cogs.shared` only; `cogs.tickets` builds on it.
"""

from __future__ import annotations

from discord.ext import commands

from cogs.lifecycle.close_buttons import CLOSE_ITEMS
from cogs.lifecycle.close_request import CLOSE_REQUEST_ITEMS
from cogs.lifecycle.feedback import FEEDBACK_ITEMS
from cogs.lifecycle.upkeep import Upkeep
from cogs.shared.desk import TicketDesk

PERSISTENT_ITEMS = (*CLOSE_ITEMS, *FEEDBACK_ITEMS, *CLOSE_REQUEST_ITEMS)


async def register(bot: commands.Bot, desk: TicketDesk) -> None:
    await bot.add_cog(Upkeep(desk))
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
