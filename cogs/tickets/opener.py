"""Opening a ticket's thread: the one way a stored ticket gets its Discord thread.

A ticket is opened (stored, waiting for its thread), then its thread is made: created
under the ticket channel, the member added, the opening message posted, and attached.
`/ticket create` and the panel make the first attempt at once and answer the member
within Discord's 3 s. A loop makes every other attempt, for the guilds this process
holds: tickets opened by another front end, left waiting by a crash or a restart, or
whose attempt failed (Discord's 5xx, a rate limit, a timeout, a permission an admin may
give back), with growing pauses between tries. The opening message mentions the member,
which adds them and tells them, wherever they opened the ticket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

import discord
from discord.ext import commands

from cogs.lifecycle.close_buttons import ticket_controls
from cogs.lifecycle.upkeep import sweep_interval
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.permissions import members_cannot_use, missing_permissions
from cogs.shared.text import Typed, clip, refuse, role_mention, send_ephemeral, user_mention
from cogs.tickets import render
from cogs.tickets.hours_line import staff_away_line
from cogs.tickets.opening_failures import (
    ThreadNotMade,
    delayed,
    failure_of,
    refusal,
    still_waiting,
    will_retry,
)
from core.models import GuildConfig, Ticket
from i18n import N_, Speech

log = logging.getLogger(__name__)

ONE_WEEK_MINUTES = 10080
# Discord gives 3 s to answer a member; a thread not made by then is being held back (a
# rate limit), so the member hears their ticket's number and why they wait.
THREAD_PATIENCE = 2.0
# One attempt never runs longer (core's THREAD_LEASE is longer still, so no other attempt
# starts meanwhile); a stuck one is retried like any failure.
ATTEMPT_TIMEOUT = 600.0
# Tickets opened by another front end (another process) are looked for this often.
POLL_SECONDS = 10.0
CLAIM_LIMIT = 20
# The interaction's token lasts 15 minutes: the member gets the link in it until then.
ANSWER_WINDOW = 14 * 60.0
KEPT = N_("What you wrote, kept here in case anything goes wrong:")
OPENED = N_(
    "Ticket {ref} is open: {thread}. Staff will answer there; you can add details or files "
    "in the thread at any time."
)


@dataclass
class Told:
    """A member waiting, in this process, for the link to their ticket's thread."""

    interaction: discord.Interaction
    until: float  # loop time after which the interaction can no longer be answered
    shown: bool = False  # the member has seen the ticket's number: it must survive


class ThreadOpener(commands.Cog):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.bot = desk.bot
        self.tickets = desk.services.tickets
        self._attempts: dict[int, asyncio.Task[Ticket | None]] = {}
        self._told: dict[int, Told] = {}
        # Tickets whose owner was seen, as they opened it, to have the ticket channel: the
        # opening message's mention adds them to the private thread (as Discord does for a
        # mentioned member who can see the channel), so no PUT thread-members is needed.
        self._owner_sees_channel: set[int] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ticket-thread-opener")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @commands.Cog.listener()
    async def on_ticket_waiting(self) -> None:
        """Another front end in this process (the HTTP API) opened a ticket: look now."""
        self._wake.set()

    # -- the member opening a ticket (/ticket create, the panel) -------------------------

    async def open_ticket(
        self,
        interaction: discord.Interaction,
        *,
        subject: str,
        message: str,
        priority: str | None,
        department: str | None,
    ) -> None:
        """Open a ticket and make its thread; the interaction must be deferred already."""
        actor, config = await self.desk.actor(interaction)
        t = member_speech(interaction)
        typed = [("subject", subject), ("message", message)]
        channel = None
        if config.is_set_up:  # otherwise the service refuses, saying what to do
            channel = await self._usable_ticket_channel(interaction, config, typed)
            if channel is None:
                return
        ticket = await self.tickets.create(
            actor,
            subject=subject,
            message=message,
            priority=priority,
            department=department,
            claim_thread=True,
        )
        assert channel is not None  # create() refuses a server that is not set up
        if isinstance(interaction.user, discord.Member):  # checked by _usable_ticket_channel
            self._owner_sees_channel.add(ticket.id)
        # Whichever attempt attaches the thread gives the member its link (`_opened`).
        told = Told(interaction, asyncio.get_running_loop().time() + ANSWER_WINDOW)
        self._told[ticket.id] = told
        attempt = self._start(ticket)
        try:
            opened = await asyncio.wait_for(asyncio.shield(attempt), THREAD_PATIENCE)
        except TimeoutError:
            # Discord is holding thread creation back: answer now, truthfully, and wait on.
            told.shown = True
            await refuse(interaction, delayed(ticket, t), typed, intro=KEPT)
            await self._wait_on(interaction, ticket, attempt, channel)
            return
        except ThreadNotMade as failure:
            if failure.transient:
                told.shown = True
                await send_ephemeral(interaction, will_retry(ticket, failure, t))
                return
            # Refused before the member heard of the ticket: nobody knows it exists, so it
            # is taken back, and the member keeps their words.
            self._told.pop(ticket.id, None)
            await self.tickets.discard(ticket.id)
            await self._remove(failure.thread, ticket)
            await refuse(interaction, refusal(failure, channel, t), typed)
            return
        await self._closed_first(ticket, opened)

    async def _wait_on(
        self,
        interaction: discord.Interaction,
        ticket: Ticket,
        attempt: asyncio.Task[Ticket | None],
        channel: discord.TextChannel,
    ) -> None:
        """The member was told the ticket's number: it is kept, whatever happens now."""
        try:
            opened = await attempt
        except ThreadNotMade as failure:
            t = member_speech(interaction)
            await send_ephemeral(interaction, still_waiting(ticket, failure, channel, t))
            return
        await self._closed_first(ticket, opened)

    async def _closed_first(self, ticket: Ticket, opened: Ticket | None) -> None:
        """An attempt that made no thread because the ticket no longer waits: unless the
        member already heard (another attempt gave them the link), say so."""
        told = self._told.pop(ticket.id, None) if opened is None else None
        if told is not None:
            t = member_speech(told.interaction)
            await send_ephemeral(
                told.interaction,
                t._("Ticket {ref} was closed before its thread could be created.", ref=ticket.ref),
            )

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

    # -- one attempt ---------------------------------------------------------------------

    def _start(self, ticket: Ticket) -> asyncio.Task[Ticket | None]:
        """Start an attempt, unless one for this ticket already runs here (then that one)."""
        running = self._attempts.get(ticket.id)
        if running is not None and not running.done():
            return running
        task = asyncio.create_task(self._attempt(ticket), name=f"ticket-thread-{ticket.id}")
        self._attempts[ticket.id] = task
        task.add_done_callback(lambda done: self._finished(ticket.id, done))
        return task

    def _finished(self, ticket_id: int, task: asyncio.Task[Ticket | None]) -> None:
        if self._attempts.get(ticket_id) is task:
            del self._attempts[ticket_id]
        if not task.cancelled():
            task.exception()  # recorded by `_attempt`; the loop's attempts have no awaiter

    async def _attempt(self, ticket: Ticket) -> Ticket | None:
        """Make the ticket's thread: the attached ticket, or None if it waits no more.

        A failure is recorded (the ticket is due again after a pause) and raised.
        """
        try:
            async with asyncio.timeout(ATTEMPT_TIMEOUT):
                return await self._make_thread(ticket)
        except ThreadNotMade as failure:
            await self._failed(ticket, failure)
            raise
        except TimeoutError as error:
            failure = failure_of(error, None)
            await self._failed(ticket, failure)
            raise failure from error

    async def _make_thread(self, ticket: Ticket) -> Ticket | None:
        mention_adds_owner = ticket.id in self._owner_sees_channel
        self._owner_sees_channel.discard(ticket.id)  # a retry adds them outright
        config = await self.desk.services.guilds.config(ticket.guild_id)
        channel = self._ticket_channel(ticket, config)
        # An earlier attempt may have made the thread before it died (a crash, a timeout).
        thread = self._earlier_thread(channel, ticket) if ticket.thread_attempts > 1 else None
        adopted = thread is not None
        try:
            if thread is None:
                thread = await channel.create_thread(
                    name=render.thread_name(ticket),
                    type=discord.ChannelType.private_thread,
                    invitable=False,
                    auto_archive_duration=ONE_WEEK_MINUTES,
                    reason=f"Ticket {ticket.ref}",  # the audit log, for moderators: English
                )
            if not await self.tickets.still_waiting_for_thread(ticket.id):
                await self._remove(thread, ticket)  # closed meanwhile: nobody is pinged
                return None
            if not mention_adds_owner:
                # Not known to see the channel (opened elsewhere, or retried): add them
                # outright, so Discord says so if it can't.
                await thread.add_user(discord.Object(ticket.owner_id))
            opening = await self._opening_message(thread, ticket, config, look_first=adopted)
        except Exception as error:
            raise failure_of(error, thread) from error
        attached = await self.tickets.attach_thread(ticket.id, thread.id, opening.id)
        if attached is None:  # closed, or another attempt won: this thread is not needed
            await self._remove(thread, ticket)
            return None
        await self._opened(attached, thread, config)
        return attached

    def _ticket_channel(self, ticket: Ticket, config: GuildConfig) -> discord.TextChannel:
        """Where the thread goes, checked without asking Discord; refused if unusable."""
        guild = self.bot.get_guild(ticket.guild_id)
        channel = guild.get_channel(config.ticket_channel_id or 0) if guild else None
        if guild is None or not isinstance(channel, discord.TextChannel):
            raise ThreadNotMade(
                "the ticket channel is not set up or no longer exists",
                transient=False,
                said=lambda t: t._("the ticket channel is not set up or no longer exists"),
            )
        missing = missing_permissions(channel, guild.me)
        if missing:
            # Stored and compared in English; said to people in theirs.
            raise ThreadNotMade(
                f"missing {', '.join(missing)} in #{channel.name}",
                transient=False,
                said=lambda t: t._(
                    "missing {permissions} in {channel}",
                    permissions=", ".join(missing_permissions(channel, guild.me, t)),
                    channel=f"#{channel.name}",
                ),
            )
        return channel

    def _earlier_thread(
        self, channel: discord.TextChannel, ticket: Ticket
    ) -> discord.Thread | None:
        me = self.bot.user.id if self.bot.user else None
        name = render.thread_name(ticket)
        for thread in channel.threads:
            if thread.owner_id == me and thread.name == name:
                log.info("ticket %s: using thread %s an earlier attempt made", ticket.id, thread.id)
                return thread
        return None

    async def _opening_message(
        self, thread: discord.Thread, ticket: Ticket, config: GuildConfig, *, look_first: bool
    ) -> discord.Message:
        if look_first:  # an earlier attempt may have posted it before it died
            async for message in thread.history(limit=10):
                # Whatever the server's language was then: the one with the opening embed.
                if (
                    message.author.id == thread.owner_id
                    and ticket.ref in message.content
                    and message.embeds
                ):
                    return message
        server = self.desk.server_speech(config)
        away = await staff_away_line(self.desk, ticket, server)  # outside support hours only
        return await post_opening(thread, ticket, config, server, away=away)

    async def _opened(self, ticket: Ticket, thread: discord.Thread, config: GuildConfig) -> None:
        """The thread is attached: listeners act on the ticket (the AI may answer), the
        member waiting here gets the link, and the log channel hears of it."""
        self.bot.dispatch("ticket_opened", ticket, thread)
        told = self._told.pop(ticket.id, None)
        if told is not None and asyncio.get_running_loop().time() < told.until:
            t = member_speech(told.interaction)
            try:
                await send_ephemeral(
                    told.interaction, t._(OPENED, ref=ticket.ref, thread=thread.mention)
                )
            except discord.HTTPException as error:
                log.info("could not give the member the link of ticket %s: %s", ticket.id, error)
        server = self.desk.server_speech(config)
        try:
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
        except Exception:
            log.exception("could not log the opening of ticket %s", ticket.id)

    async def _failed(self, ticket: Ticket, failure: ThreadNotMade) -> None:
        waiting = await self.tickets.thread_failed(ticket, failure.reason)
        if waiting is None or waiting.thread_retry_at is None:
            return
        delay = (waiting.thread_retry_at - self.desk.services.clock.now()).total_seconds()
        # A hair late, so the ticket is surely due by the database's clock when the loop looks.
        asyncio.get_running_loop().call_later(max(delay, 0.0) + 0.05, self._wake.set)
        told = self._told.get(ticket.id)
        if told is not None and not told.shown and not failure.transient:
            return  # refused before the member heard of it: `open_ticket` takes it back
        if not failure.transient and failure.reason != ticket.thread_error:
            # Something has to change before this ticket can have its thread: say so once.
            config = await self.desk.services.guilds.config(ticket.guild_id)
            server = self.desk.server_speech(config)
            with contextlib.suppress(Exception):
                await self.desk.log_event(
                    config,
                    server._(
                        "⚠️ Ticket {ref} is waiting for its thread: Discord refused ({reason}). "
                        "I'll keep trying; `/admin setup` shows what to fix.",
                        ref=ticket.ref,
                        reason=failure.said(server) if failure.said else failure.reason,
                    ),
                )

    async def _remove(self, thread: discord.Thread | None, ticket: Ticket) -> None:
        if thread is None:
            return
        try:
            await thread.delete()
        except discord.HTTPException as error:
            log.warning("could not delete the unused thread of ticket %s: %s", ticket.id, error)

    # -- the loop: every ticket waiting for its thread, in the guilds held here ---------

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        poll = min(POLL_SECONDS, sweep_interval(self.bot.settings.SWEEP_INTERVAL_SECONDS))
        due_only = False  # the first pass takes every waiting ticket (see waiting_for_thread)
        while not self.bot.is_closed():
            self._wake.clear()
            try:
                claimed = await self.run_once(due_only=due_only)
                due_only = True
                if claimed >= CLAIM_LIMIT:
                    self._wake.set()  # more are due: go on at once
            except Exception:
                log.exception("looking for tickets waiting for a thread failed; trying again")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll):
                    await self._wake.wait()

    async def run_once(self, *, due_only: bool = True) -> int:
        """Start an attempt for each due ticket of the guilds this process holds."""
        now = asyncio.get_running_loop().time()
        for ticket_id in [i for i, told in self._told.items() if told.until < now]:
            del self._told[ticket_id]  # past the interaction's life: the thread's ping tells
        # The guilds whose shard this process holds (with one connection: all of them).
        guild_ids = [
            guild.id
            for guild in self.bot.guilds
            if not guild.unavailable and self.desk.holds(guild.id)
        ]
        waiting = await self.tickets.waiting_for_thread(
            guild_ids, limit=CLAIM_LIMIT, due_only=due_only
        )
        for ticket in waiting:
            self._start(ticket)
        return len(waiting)


def opener_of(client: discord.Client) -> ThreadOpener:
    """The thread opener of this bot (a cog, loaded at start-up)."""
    opener = client.get_cog(ThreadOpener.__cog_name__) if isinstance(client, commands.Bot) else None
    if not isinstance(opener, ThreadOpener):
        raise RuntimeError("the ticket thread opener is not loaded")
    return opener


async def post_opening(
    thread: discord.Thread,
    ticket: Ticket,
    config: GuildConfig,
    server: Speech,
    *,
    away: str | None = None,
) -> discord.Message:
    """The thread's first message, in the server's language `server`. `away`: the line
    saying when staff are back, for a ticket outside support hours."""
    role_id = config.role_for(ticket.department)
    # Mentioning the owner adds them to the private thread (and tells them, wherever they
    # opened the ticket); the staff role brings its members in. Only those may be pinged,
    # whatever the subject contains.
    mentions = [user_mention(ticket.owner_id)]
    roles = []
    if role_id is not None:
        mentions.append(role_mention(role_id))
        roles.append(discord.Object(role_id))
    content = server._("{mentions} New ticket {ref}.", mentions=" ".join(mentions), ref=ticket.ref)
    if away is not None:
        content += f"\n{away}"
    return await thread.send(
        content=content,
        embed=render.opening_embed(ticket, server),
        view=ticket_controls(ticket, server),
        allowed_mentions=discord.AllowedMentions(
            everyone=False, users=[discord.Object(ticket.owner_id)], roles=roles
        ),
    )
