"""Opening a ticket on Discord: the service's ticket, then its private thread.

Slash commands and the panel both come here, so a panel button and `/ticket create`
take exactly the same path.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from cogs.lifecycle.close_buttons import ticket_controls
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.permissions import members_cannot_use, missing_permissions
from cogs.shared.text import Typed, clip, refuse, role_mention, send_ephemeral, user_mention
from cogs.tickets import render
from core.models import GuildConfig, Ticket
from i18n import N_, Speech

log = logging.getLogger(__name__)

ONE_WEEK_MINUTES = 10080
# Discord gives 3 s to answer a member; a thread not made by then is being held back
# (a rate limit), so the member hears why. The interaction's token lasts 15 minutes:
# past 10 the ticket is dropped and the member told, while they can still be.
THREAD_PATIENCE = 2.0
THREAD_GIVE_UP = 600.0
THREAD_DELAYED = N_(
    "Discord is making me wait before I can create your ticket's thread (it is limiting "
    "how fast threads are made). I'll post the link here as soon as it exists; you don't "
    "need to do anything."
)
KEPT = N_("What you wrote, kept here in case anything goes wrong:")


class ThreadNotMade(Exception):
    """Opening a ticket's thread failed and was undone; `thread_made` tells whether Discord
    had created the thread (so the failure was adding the member or posting in it)."""

    def __init__(self, error: discord.HTTPException, *, thread_made: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.thread_made = thread_made


class TicketOpener:
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.services = desk.services

    async def open(
        self,
        interaction: discord.Interaction,
        *,
        subject: str,
        message: str,
        priority: str | None,
        department: str | None,
    ) -> None:
        """Create a ticket and its private thread; the interaction must be deferred already."""
        actor, config = await self.desk.actor(interaction)
        t = member_speech(interaction)
        typed = [("subject", subject), ("message", message)]
        channel = None
        if config.is_set_up:  # otherwise the service refuses, saying what to do
            channel = await self._usable_ticket_channel(interaction, config, typed)
            if channel is None:
                return
        ticket = await self.services.tickets.create(
            actor, subject=subject, message=message, priority=priority, department=department
        )
        assert channel is not None  # create() refuses a server that is not set up
        making = asyncio.create_task(self._make_thread(channel, ticket, interaction.user, config))
        try:
            try:
                thread, ticket = await asyncio.wait_for(asyncio.shield(making), THREAD_PATIENCE)
            except TimeoutError:
                # Discord is holding thread creation (a rate limit): answer now, truthfully,
                # and keep going. No ticket number yet: until its thread exists a ticket
                # may still be dropped, and the member keeps their words below.
                await refuse(interaction, t._(THREAD_DELAYED), typed, intro=KEPT)
                thread, ticket = await asyncio.wait_for(making, THREAD_GIVE_UP)
        except TimeoutError:
            await refuse(
                interaction,
                t._(
                    "Discord kept me waiting too long to create your ticket's thread, so I "
                    "gave up. Nothing was saved; please try again in a few minutes."
                ),
                typed,
            )
            return
        except ThreadNotMade as failure:
            refusal = self._refusal(t, failure.error, failure.thread_made, channel)
            await refuse(interaction, refusal, typed)
            return
        # Listeners (the AI responder) act on a ticket only once its thread is ready.
        self.desk.bot.dispatch("ticket_opened", ticket, thread)
        await send_ephemeral(
            interaction,
            t._(
                "Ticket {ref} is open: {thread}. Staff will answer there; you can add details "
                "or files in the thread at any time.",
                ref=ticket.ref,
                thread=thread.mention,
            ),
        )
        server = self.desk.server_speech(config)
        await self.desk.log_event(
            config,
            server._(
                "📥 Ticket {ref} opened by {owner}: {subject} ({priority}, {department})",
                ref=ticket.ref,
                owner=user_mention(ticket.owner_id),
                subject=clip(ticket.subject, 100),
                priority=ticket.priority.value,
                department=ticket.department.value,
            ),
        )

    async def _make_thread(
        self,
        channel: discord.TextChannel,
        ticket: Ticket,
        member: discord.abc.Snowflake,
        config: GuildConfig,
    ) -> tuple[discord.Thread, Ticket]:
        """The ticket's private thread with the member and the opening message; on any
        failure (or when given up on) nothing half-made is left."""
        thread: discord.Thread | None = None
        try:
            thread = await channel.create_thread(
                name=render.thread_name(ticket),
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=ONE_WEEK_MINUTES,
                reason=f"Ticket {ticket.ref}",  # the audit log, for moderators: English
            )
            await thread.add_user(member)
            opening = await self.post_opening(thread, ticket, config)
            return thread, await self.services.tickets.attach_thread(
                ticket.id, thread.id, opening.id
            )
        except discord.HTTPException as error:
            await self._undo_open(ticket, thread, error)
            raise ThreadNotMade(error, thread_made=thread is not None) from error
        except asyncio.CancelledError as error:
            await self._undo_open(ticket, thread, error)
            raise

    async def _usable_ticket_channel(
        self, interaction: discord.Interaction, config: GuildConfig, typed: Typed
    ) -> discord.TextChannel | None:
        """The ticket channel if the bot can open threads there; else tell the member why."""
        guild = interaction.guild
        t = member_speech(interaction)
        channel = guild.get_channel(config.ticket_channel_id or 0) if guild else None
        if guild is None or not isinstance(channel, discord.TextChannel):
            await refuse(
                interaction,
                t._(
                    "The ticket channel set up for this server no longer exists. Ask an admin "
                    "to run `/admin setup` again."
                ),
                typed,
            )
            return None
        missing = missing_permissions(channel, guild.me, t)
        if missing:
            await refuse(
                interaction,
                t._(
                    "I can't open ticket threads in {channel}: I am missing {permissions} "
                    "there. Ask an admin to give me those permissions.",
                    channel=channel.mention,
                    permissions=", ".join(missing),
                ),
                typed,
            )
            return None
        # Members see a private thread only through its channel: without that, Discord
        # refuses to add them, and the fault is the channel's settings, not the bot's.
        if isinstance(interaction.user, discord.Member):
            blocked = members_cannot_use(channel, interaction.user, t)
            if blocked:
                await refuse(
                    interaction,
                    t._(
                        "You don't have access to {channel}, where ticket threads live (you "
                        "are missing: {permissions}), so you couldn't use a ticket. Nothing "
                        "was saved. Ask an admin to allow that for members in the channel; "
                        "`/admin setup` shows exactly what to change.",
                        channel=channel.mention,
                        permissions=", ".join(blocked),
                    ),
                    typed,
                )
                return None
        return channel

    @staticmethod
    def _refusal(
        t: Speech, error: discord.HTTPException, thread_made: bool, channel: discord.TextChannel
    ) -> str:
        if thread_made and error.code == 50001:
            # The thread exists, so the bot could make it: Discord would not add the member,
            # who cannot access the channel (Missing Access).
            return t._(
                "Discord wouldn't add you to the ticket thread: you don't have access to "
                "{channel}. Nothing was saved; ask an admin to check members' permissions "
                "there (`/admin setup` shows what to change), then try again.",
                channel=channel.mention,
            )
        if isinstance(error, discord.Forbidden):
            return t._(
                "Discord refused to create the ticket thread (missing permission: Create "
                "Private Threads, Send Messages in Threads or Manage Threads). Nothing was "
                "saved; ask an admin to check my permissions in {channel}, then try again.",
                channel=channel.mention,
            )
        return t._(
            "Discord refused to create the ticket thread (error {status}). Nothing was saved; "
            "ask an admin to check my permissions in {channel}, then try again.",
            status=error.status,
            channel=channel.mention,
        )

    async def _undo_open(
        self, ticket: Ticket, thread: discord.Thread | None, error: BaseException
    ) -> None:
        log.warning("opening ticket %s failed: %r", ticket.id, error)
        await self.services.tickets.discard(ticket.id)
        if thread is not None:
            try:
                await thread.delete()
            except discord.HTTPException:
                log.warning("could not delete the half-made thread of ticket %s", ticket.id)

    async def post_opening(
        self, thread: discord.Thread, ticket: Ticket, config: GuildConfig
    ) -> discord.Message:
        role_id = config.role_for(ticket.department)
        server = self.desk.server_speech(config)
        # Mentioning the staff role brings its members into the private thread; only that
        # role and the owner may be pinged, whatever the subject contains.
        mentions = [user_mention(ticket.owner_id)]
        roles = []
        if role_id is not None:
            mentions.append(role_mention(role_id))
            roles.append(discord.Object(role_id))
        return await thread.send(
            content=server._(
                "{mentions} New ticket {ref}.", mentions=" ".join(mentions), ref=ticket.ref
            ),
            embed=render.opening_embed(ticket, server),
            view=ticket_controls(ticket, server),
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=[discord.Object(ticket.owner_id)], roles=roles
            ),
        )
