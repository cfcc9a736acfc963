"""Application forms: `/forms`, filling a form in over several modals (with the member's
answers kept in a session meanwhile), review with Accept / Reject, submissions and CSV.

Depends on `cogs.shared` only.
"""

from __future__ import annotations

from discord.ext import commands

from cogs.forms.commands import FORM_ITEMS, FormCommands
from cogs.shared.desk import TicketDesk

PERSISTENT_ITEMS = FORM_ITEMS


async def register(bot: commands.Bot, desk: TicketDesk) -> None:
    await bot.add_cog(FormCommands(desk))
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
