"""The outboxes the bot process drains: Discord work queued by a front end without Discord
(the HTTP API: replies to post, submissions to post for review, closes to finish), and
outgoing webhook deliveries.

Builds on `cogs.forms` (posting for review), `cogs.lifecycle` (finishing a close) and
`cogs.shared`.
"""

from __future__ import annotations

from discord.ext import commands

from cogs.outbox.jobs import DiscordJobs
from cogs.outbox.webhooks import WebhookSender
from cogs.shared.desk import TicketDesk

PERSISTENT_ITEMS = ()


async def register(bot: commands.Bot, desk: TicketDesk) -> None:
    jobs = DiscordJobs(desk)
    sender = WebhookSender(desk)
    await bot.add_cog(jobs)
    await bot.add_cog(sender)
    # Any write that made a domain event may have queued work: look at once (in this
    # process; work queued by another process is found by polling).
    desk.services.events.after_commit(jobs.wake)
    desk.services.events.after_commit(sender.wake)
