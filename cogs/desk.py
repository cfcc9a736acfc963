"""The Discord side of a ticket's life: its thread, its messages, the log channel.

Slash commands and buttons both come here, so a panel button and `/ticket create`
take exactly the same path.
"""

from __future__ import annotations

import logging

import discord

from cogs import render
from cogs.common import NO_PINGS, actor_for, clip, quote_back, send_ephemeral, split_text
from cogs.ownership import belongs_here
from core.models import Actor, GuildConfig, Ticket
from core.services import Services

log = logging.getLogger(__name__)

# What the bot needs in the ticket channel to run private-thread tickets.
THREAD_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "create_private_threads": "Create Private Threads",
    "manage_threads": "Manage Threads",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
}

ONE_WEEK_MINUTES = 10080


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    permissions = channel.permissions_for(me)
    return [label for flag, label in THREAD_PERMISSIONS.items() if not getattr(permissions, flag)]


class TicketDesk:
    def __init__(self, bot: discord.Client, services: Services) -> None:
        self.bot = bot
        self.services = services

    async def actor(self, interaction: discord.Interaction) -> tuple[Actor, GuildConfig]:
        config = await self.services.guilds.config(interaction.guild_id or 0)
        return actor_for(interaction, config), config

    # -- opening -----------------------------------------------------------------------

    async def open_ticket(
        self,
        interaction: discord.Interaction,
        *,
        subject: str,
        message: str,
        priority: str | None,
        department: str | None,
    ) -> None:
        """Create a ticket and its private thread; the interaction must be deferred already."""
        actor, config = await self.actor(interaction)
        channel = None
        if config.is_set_up:  # otherwise the service refuses, saying what to do
            channel = await self._usable_ticket_channel(interaction, config, message)
            if channel is None:
                return
        ticket = await self.services.tickets.create(
            actor, subject=subject, message=message, priority=priority, department=department
        )
        assert channel is not None  # create() refuses a server that is not set up
        thread: discord.Thread | None = None
        try:
            thread = await channel.create_thread(
                name=render.thread_name(ticket),
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=ONE_WEEK_MINUTES,
                reason=f"Ticket {ticket.ref}",
            )
            await thread.add_user(interaction.user)
            opening = await self.post_opening(thread, ticket, config)
            ticket = await self.services.tickets.attach_thread(ticket.id, thread.id, opening.id)
        except discord.HTTPException as error:
            await self._undo_open(ticket, thread, error)
            await send_ephemeral(
                interaction,
                f"Discord refused to create the ticket thread ({self._explain(error)}). "
                "Nothing was saved; ask an admin to check my permissions in "
                f"{channel.mention}, then try again." + quote_back(message),
            )
            return
        # Listeners (the AI responder) act on a ticket only once its thread is ready.
        self.bot.dispatch("ticket_opened", ticket, thread)
        await send_ephemeral(
            interaction,
            f"Ticket {ticket.ref} is open: {thread.mention}. Staff will answer there; "
            "you can add details or files in the thread at any time.",
        )
        await self.log_event(
            config,
            f"📥 Ticket {ticket.ref} opened by <@{ticket.owner_id}>: "
            f"{clip(ticket.subject, 100)} ({ticket.priority.value}, "
            f"{ticket.department.value})",
        )

    async def _usable_ticket_channel(
        self, interaction: discord.Interaction, config: GuildConfig, typed: str
    ) -> discord.TextChannel | None:
        """The ticket channel if the bot can open threads there; else tell the member why."""
        guild = interaction.guild
        channel = guild.get_channel(config.ticket_channel_id or 0) if guild else None
        if guild is None or not isinstance(channel, discord.TextChannel):
            await send_ephemeral(
                interaction,
                "The ticket channel set up for this server no longer exists. Ask an admin to "
                "run `/admin setup` again." + quote_back(typed),
            )
            return None
        missing = missing_permissions(channel, guild.me)
        if missing:
            await send_ephemeral(
                interaction,
                f"I can't open ticket threads in {channel.mention}: I am missing "
                f"{', '.join(missing)} there. Ask an admin to give me "
                "those permissions." + quote_back(typed),
            )
            return None
        return channel

    @staticmethod
    def _explain(error: discord.HTTPException) -> str:
        if isinstance(error, discord.Forbidden):
            return "missing permission: Create Private Threads, Send Messages in Threads or Manage Threads"
        return f"error {error.status}"

    async def _undo_open(
        self, ticket: Ticket, thread: discord.Thread | None, error: Exception
    ) -> None:
        log.warning("opening ticket %s failed: %s", ticket.id, error)
        await self.services.tickets.discard(ticket.id)
        if thread is not None:
            try:
                await thread.delete()
            except discord.HTTPException:
                log.warning("could not delete the half-made thread of ticket %s", ticket.id)

    async def post_opening(
        self, thread: discord.Thread, ticket: Ticket, config: GuildConfig
    ) -> discord.Message:
        from cogs.components import ticket_controls  # components import the desk

        role_id = config.role_for(ticket.department)
        # Mentioning the staff role brings its members into the private thread; only that
        # role and the owner may be pinged, whatever the subject contains.
        mentions = [f"<@{ticket.owner_id}>"]
        roles = []
        if role_id is not None:
            mentions.append(f"<@&{role_id}>")
            roles.append(discord.Object(role_id))
        return await thread.send(
            content=f"{' '.join(mentions)} New ticket {ticket.ref}.",
            embed=render.opening_embed(ticket),
            view=ticket_controls(ticket),
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=[discord.Object(ticket.owner_id)], roles=roles
            ),
        )

    async def bring_in_department(self, ticket: Ticket, config: GuildConfig) -> None:
        thread = await self.thread_of(ticket)
        role_id = config.role_for(ticket.department)
        if thread is None or role_id is None:
            return
        await thread.send(
            f"<@&{role_id}> ticket {ticket.ref} moved to {ticket.department.value}.",
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(role_id)]
            ),
        )

    # -- conversation ------------------------------------------------------------------

    async def thread_of(self, ticket: Ticket) -> discord.Thread | None:
        if ticket.thread_id is None:
            return None
        channel = self.bot.get_channel(ticket.thread_id)
        if isinstance(channel, discord.Thread):
            return channel
        try:
            fetched = await self.bot.fetch_channel(ticket.thread_id)
        except discord.HTTPException:
            return None
        return fetched if isinstance(fetched, discord.Thread) else None

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
