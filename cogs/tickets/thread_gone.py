"""When Discord says a ticket's thread is gone, the ticket closes.

Nobody can talk in a ticket without its thread, and an open one would count toward its
owner's cap forever. Discord says so three ways: THREAD_DELETE for the thread; only
CHANNEL_DELETE when the ticket channel goes with all its threads (discord.py reports the
threads it had cached; archived ones it had not are asked about here); and, for threads
deleted while the bot was offline, a 404 when the start-up catch-up looks for them
(it dispatches `ticket_thread_gone`).
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from cogs.lifecycle.closing import finish_close
from cogs.shared.desk import TicketDesk
from core.policy import system_actor

log = logging.getLogger(__name__)


class ThreadGone(commands.Cog):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.tickets = desk.services.tickets

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        await self.close(payload.thread_id)

    @commands.Cog.listener()
    async def on_ticket_thread_gone(self, thread_id: int) -> None:
        await self.close(thread_id)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        # Threads discord.py had cached are already reported as deleted; a live thread is
        # cached, so only the uncached ones (archived after a quiet week) need asking.
        for _, thread_id in await self.tickets.unclosed_threads(channel.guild.id):
            if self.desk.bot.get_channel(thread_id) is not None:
                continue
            _, gone = await self.desk.find_thread(thread_id)
            if gone:
                await self.close(thread_id)

    async def close(self, thread_id: int) -> None:
        try:
            ticket = await self.tickets.close_thread_gone(thread_id)
            if ticket is None:  # not a ticket's thread, or closed already
                return
            log.info("ticket %s closed: its thread %s was deleted", ticket.id, thread_id)
            config = await self.desk.services.guilds.config(ticket.guild_id)
            await finish_close(self.desk, system_actor(ticket.guild_id), config, ticket)
        except Exception:
            log.exception("could not close the ticket of deleted thread %s", thread_id)
