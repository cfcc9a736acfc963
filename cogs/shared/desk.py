"""The desk: the one typed way every cog, button and modal reaches the services.

Cogs receive a `TicketDesk` in their constructor. Buttons and modals are rebuilt by
discord.py on every click or submit, so they reach the same object with `desk_of`. The
desk also knows the Discord places every feature writes to: a ticket's thread and the
server's log channel.
"""

from __future__ import annotations

import asyncio
import logging
import weakref

import discord

from cogs.shared.actors import actor_for
from cogs.shared.language import server_speech
from cogs.shared.ownership import belongs_here
from cogs.shared.text import NO_PINGS, clip, split_text
from core.models import Actor, GuildConfig, Ticket
from core.services import Services
from core.shards import ShardSet
from i18n import Speech

log = logging.getLogger(__name__)

UNKNOWN_CHANNEL = 10003  # Discord: the channel (or thread) does not exist


def is_gone(error: Exception) -> bool:
    """Discord's answer when the channel or thread was deleted."""
    return isinstance(error, discord.NotFound) and error.code == UNKNOWN_CHANNEL


# How long a close waits for its thread's messages already received to be stored.
STORED_PATIENCE = 1.0


class TicketDesk:
    def __init__(
        self, bot: discord.Client, services: Services, *, shards: ShardSet | None = None
    ) -> None:
        self.bot = bot
        self.services = services
        self.shards = shards  # None: one connection holds every guild
        self._thread_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def thread_lock(self, thread_id: int) -> asyncio.Lock:
        """Held while a message of the ticket thread is stored or its history caught up
        (cogs/tickets/threads.py). A close waits on it, so a message already received is
        in the store, and so in the transcript, before the ticket closes."""
        lock = self._thread_locks.get(thread_id)
        if lock is None:
            lock = self._thread_locks[thread_id] = asyncio.Lock()
        return lock

    async def stored_so_far(self, channel: object) -> None:
        """Before a close in a ticket thread: a message sent just before it may still be
        being stored; wait for it, so the transcript (read from the store) has it.

        At most STORED_PATIENCE: a catch-up reading a long history holds the lock too, and
        a button's answer can't wait for that (Discord gives an interaction 3 s)."""
        if not isinstance(channel, discord.Thread):
            return
        lock = self.thread_lock(channel.id)
        try:
            async with asyncio.timeout(STORED_PATIENCE):
                await lock.acquire()
        except TimeoutError:
            log.info("closing in thread %s while its messages are still being stored", channel.id)
            return
        lock.release()

    # -- which guilds' work is this process's ------------------------------------------

    def holds(self, guild_id: int) -> bool:
        """Whether this process does `guild_id`'s own work (threads, sweeps, catch-up):
        it holds the guild's shard. Work of no guild (a DM's buttons) is done by whoever
        gets it."""
        return self.shards is None or self.shards.holds(guild_id)

    def held_guild_ids(
        self, *, shard_id: int | None = None, available_only: bool = True
    ) -> list[int] | None:
        """The guilds whose background work is this process's, for the store's guild
        filter: None (every guild) when unsharded; else the guilds of the held shards (of
        `shard_id` alone, if given) that the bot is in, available ones only by default."""
        if self.shards is None:
            return None
        return [
            guild.id
            for guild in self.bot.guilds
            if not (available_only and guild.unavailable)
            and self.shards.holds(guild.id)
            and (shard_id is None or guild.shard_id == shard_id)
        ]

    async def actor(self, interaction: discord.Interaction) -> tuple[Actor, GuildConfig]:
        config = await self.services.guilds.config(interaction.guild_id or 0)
        return actor_for(interaction, config), config

    def server_speech(self, config: GuildConfig) -> Speech:
        """The server's language: for threads, the log channel and DMs (SPEC §11)."""
        return server_speech(self.bot.get_guild(config.guild_id), config)

    # -- a ticket's thread ---------------------------------------------------------------

    async def thread_of(self, ticket: Ticket) -> discord.Thread | None:
        thread, _ = await self.locate_thread(ticket)
        return thread

    async def locate_thread(self, ticket: Ticket) -> tuple[discord.Thread | None, bool]:
        """The ticket's thread, and whether Discord says it no longer exists (deleted)."""
        if ticket.thread_id is None:
            return None, False
        return await self.find_thread(ticket.thread_id)

    async def find_thread(self, thread_id: int) -> tuple[discord.Thread | None, bool]:
        channel = self.bot.get_channel(thread_id)
        if isinstance(channel, discord.Thread):
            return channel, False
        try:
            fetched = await self.bot.fetch_channel(thread_id)
        except discord.HTTPException as error:
            return None, is_gone(error)  # if not gone: there, but out of reach right now
        return (fetched, False) if isinstance(fetched, discord.Thread) else (None, False)

    async def post_in_thread(
        self, ticket: Ticket, header: str, body: str = ""
    ) -> discord.Message | None:
        """Post text in a ticket's thread, split to Discord's limits; return the first message."""
        thread = await self.thread_of(ticket)
        if thread is None:
            return None
        first: discord.Message | None = None
        for chunk in split_text(f"{header}\n{body}" if body else header):
            sent = await thread.send(chunk, allowed_mentions=NO_PINGS)
            first = first or sent
        return first

    # -- log channel -------------------------------------------------------------------

    async def log_event(self, config: GuildConfig, line: str, **kwargs) -> None:
        if config.log_channel_id is None:
            return
        channel = self.bot.get_channel(config.log_channel_id)
        # get_channel looks in every server: never log this server's events elsewhere.
        if not isinstance(channel, discord.abc.Messageable) or not belongs_here(
            channel, config.guild_id
        ):
            return
        try:
            await channel.send(clip(line, 2000), allowed_mentions=NO_PINGS, **kwargs)
        except discord.HTTPException as error:
            log.warning(
                "could not write to the log channel of guild %s: %s", config.guild_id, error
            )


class NoDesk(RuntimeError):
    """The client answering an interaction was built without a desk (a wiring mistake)."""


def desk_of(interaction: discord.Interaction) -> TicketDesk:
    """The desk of the bot answering `interaction`: how buttons and modals, rebuilt by
    discord.py from a custom_id on every click, reach the services."""
    desk = getattr(interaction.client, "desk", None)
    if not isinstance(desk, TicketDesk):
        raise NoDesk(f"{type(interaction.client).__name__} has no TicketDesk")
    return desk
