"""`/admin`: setup, departments, features, limits, the ticket panel, the AI's reference
text, forgetting a server; and the setup diagnosis shared with start-up and `--check`.

Builds on `cogs.tickets` (the panel) and `cogs.ai` (the reference text).
"""

from __future__ import annotations

from discord.ext import commands

from cogs.admin.commands import AdminCommands
from cogs.admin.forget import ForgetConfirm
from cogs.shared.desk import TicketDesk

PERSISTENT_ITEMS = (ForgetConfirm,)


async def register(bot: commands.Bot, desk: TicketDesk) -> None:
    await bot.add_cog(AdminCommands(desk))
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
