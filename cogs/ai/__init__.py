"""The AI assistant: answers streamed into ticket threads, the buttons under them,
`/ticket suggest` drafts, and the reference text admins upload.

Builds on `cogs.tickets` (a sent draft is posted like any staff reply) and `cogs.shared`;
it learns of new tickets and messages from the events `cogs.tickets` dispatches.
"""

from __future__ import annotations

from discord.ext import commands

from cogs.ai.buttons import AI_ITEMS
from cogs.ai.replies import AIReplies
from cogs.shared.desk import TicketDesk

PERSISTENT_ITEMS = AI_ITEMS


async def register(bot: commands.Bot, desk: TicketDesk) -> None:
    await bot.add_cog(AIReplies(desk))
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
