"""Background upkeep: inactivity reminders and auto-close, on a timer that survives restarts.

The timer holds no state: each run asks the database what is due, so a restart simply
picks up where the last run left off.
"""

from __future__ import annotations

import asyncio
import logging
import os

import discord
from discord.ext import commands

from cogs.closing import finish_close
from cogs.desk import TicketDesk
from core.models import Actor

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 300.0


def sweep_interval() -> float:
    # Tests shorten the interval so reminders happen without real waiting.
    try:
        return max(
            0.05, float(os.environ.get("TICKETDESK_SWEEP_SECONDS", DEFAULT_INTERVAL_SECONDS))
        )
    except ValueError:
        return DEFAULT_INTERVAL_SECONDS


class Upkeep(commands.Cog):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ticket-upkeep")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        await self.desk.bot.wait_until_ready()
        interval = sweep_interval()
        while not self.desk.bot.is_closed():
            try:
                await self.run_once()
            except Exception:
                log.exception("inactivity sweep failed; trying again next time")
            await asyncio.sleep(interval)

    async def run_once(self) -> None:
        result = await self.desk.services.inactivity.sweep()
        for ticket in result.reminded:
            config = await self.desk.services.guilds.config(ticket.guild_id)
            thread = await self.desk.thread_of(ticket)
            if thread is None:
                continue
            try:
                await thread.send(
                    f"<@{ticket.owner_id}> are you still there? Staff answered ticket "
                    f"{ticket.ref} and are waiting for you. If there's no reply within "
                    f"{config.autoclose_hours} hours, the ticket will be closed.",
                    allowed_mentions=discord.AllowedMentions(
                        everyone=False, roles=False, users=[discord.Object(ticket.owner_id)]
                    ),
                )
            except discord.HTTPException as error:
                log.warning("could not remind the owner of ticket %s: %s", ticket.id, error)
        for ticket in result.closed:
            config = await self.desk.services.guilds.config(ticket.guild_id)
            system = Actor(user_id=0, guild_id=ticket.guild_id, is_staff=True)
            await finish_close(self.desk, system, config, ticket)
