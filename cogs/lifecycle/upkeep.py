"""Background upkeep: inactivity reminders, auto-close, close requests nobody answered,
and finishing closes on Discord.

The timer holds no state: each run asks the database what is due, so a restart simply
picks up where the last run left off. With several shard processes, each asks only for
the tickets of the guilds it holds (`desk.held_guild_ids`), so every ticket is swept by
exactly one process. Each ticket is handled on its own: one that fails
(Discord refuses, a server changed its setup) is logged and tried again by a later run,
and never stops the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import discord
from discord.ext import commands

from cogs.lifecycle.close_request import close_unanswered_requests
from cogs.lifecycle.close_work import finish_recorded_closes, thread_unless_gone
from cogs.lifecycle.closing import finish_close
from cogs.shared.desk import TicketDesk
from cogs.shared.text import user_mention
from core.models import Ticket
from core.policy import system_actor

log = logging.getLogger(__name__)


def sweep_interval(seconds: float) -> float:
    # Tests shorten the interval (SWEEP_INTERVAL_SECONDS) so reminders happen without waiting.
    return max(0.05, seconds)


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
        interval = sweep_interval(self.desk.bot.settings.SWEEP_INTERVAL_SECONDS)
        while not self.desk.bot.is_closed():
            try:
                await self.run_once()
            except Exception:
                log.exception("inactivity sweep failed; trying again next time")
            await asyncio.sleep(interval)

    async def run_once(self) -> None:
        inactivity = self.desk.services.inactivity
        held = self.desk.held_guild_ids()  # None: every guild (no shards)
        for ticket in await inactivity.due_reminders(guild_ids=held):
            await self._each(ticket, self.remind, "remind the owner of")
        for ticket in await inactivity.due_closes(guild_ids=held):
            await self._each(ticket, self.auto_close, "auto-close")
        await close_unanswered_requests(self.desk, guild_ids=held)
        await finish_recorded_closes(self.desk, guild_ids=held)

    @staticmethod
    async def _each(ticket: Ticket, step: Callable[[Ticket], Awaitable[None]], what: str) -> None:
        try:
            await step(ticket)
        except discord.HTTPException as error:
            log.warning(
                "could not %s ticket %s (%s); next sweep tries again", what, ticket.id, error
            )
        except Exception:
            log.exception("could not %s ticket %s; next sweep tries again", what, ticket.id)

    async def remind(self, ticket: Ticket) -> None:
        """Send the reminder, then record it: a reminder Discord refused is sent next time."""
        config = await self.desk.services.guilds.config(ticket.guild_id)
        thread = await thread_unless_gone(self.desk, ticket)
        sent_at = self.desk.services.inactivity.now()
        if thread is not None:  # a thread that is gone can't be reminded in; the clock runs on
            server = self.desk.server_speech(config)
            await thread.send(
                server.ngettext(
                    "{user} are you still there? Staff answered ticket {ref} and are waiting "
                    "for you. If there's no reply within {count} hour, the ticket will be "
                    "closed.",
                    "{user} are you still there? Staff answered ticket {ref} and are waiting "
                    "for you. If there's no reply within {count} hours, the ticket will be "
                    "closed.",
                    config.autoclose_hours,
                    user=user_mention(ticket.owner_id),
                    ref=ticket.ref,
                ),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, roles=False, users=[discord.Object(ticket.owner_id)]
                ),
            )
        await self.desk.services.inactivity.mark_reminded(ticket, sent_at)

    async def auto_close(self, ticket: Ticket) -> None:
        closed = await self.desk.services.inactivity.close_if_due(ticket.id)
        if closed is None:
            return  # a reply came in since this sweep picked it
        config = await self.desk.services.guilds.config(closed.guild_id)
        await finish_close(self.desk, system_actor(closed.guild_id), config, closed)
