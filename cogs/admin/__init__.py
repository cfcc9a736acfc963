"""`/admin`: setup, departments, features, limits, the ticket panel, the AI's reference
text, forgetting a server, API keys and webhooks; and the setup diagnosis shared with start-up and `--check`.

Builds on `cogs.tickets` (the panel) and `cogs.ai` (the reference text).
"""

from __future__ import annotations

from discord.ext import commands

from cogs.admin.commands import AdminCommands
from cogs.admin.forget import ForgetConfirm
from cogs.admin.integrations import ApiKeyCommands, WebhookCommands
from cogs.shared.desk import TicketDesk

PERSISTENT_ITEMS = (ForgetConfirm,)


async def register(bot: commands.Bot, desk: TicketDesk) -> None:
    commands_cog = AdminCommands(desk)
    await bot.add_cog(commands_cog)
    # /admin api-key … and /admin webhook …: subgroups of /admin from their own module.
    commands_cog.app_command.add_command(ApiKeyCommands(desk))
    commands_cog.app_command.add_command(WebhookCommands(desk))
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
