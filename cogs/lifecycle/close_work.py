"""The Discord side of a close, part by part, each recorded as done once it is.

The close itself recorded what is to do (core.closing). A run does the parts not yet
done: the closing line in the thread, archive and lock, the transcript in the log
channel, the DM to the owner. A part Discord refuses is left for a later sweep; one that
can never be done (the thread, channel or user is gone, the member's DMs are closed)
counts as done. A retry first looks on Discord for what an interrupted attempt may
already have sent (the bot can die after Discord took a message but before it recorded
it), so each message goes out once.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Collection

import discord

from cogs.lifecycle.feedback import rating_view
from cogs.shared.desk import TicketDesk, is_gone
from cogs.shared.language import closing_reason
from cogs.shared.ownership import belongs_here
from cogs.shared.text import NO_PINGS, clip, user_mention
from core.models import ClosePart, CloseWork, GuildConfig, Status, Ticket
from core.transcript import TranscriptFile
from core.transcript import transcript_uploads as build_uploads
from i18n import N_, Speech

log = logging.getLogger(__name__)

Upload = list[TranscriptFile]

CANNOT_DM = 50007  # Discord: cannot send messages to this user
# How far back a retry looks for its own message: a closed thread is quiet, a DM channel
# too; a busy log channel may have moved on, and then the transcript is posted again.
LOOK_BACK = {ClosePart.NOTE: 10, ClosePart.LOG: 25, ClosePart.DM: 10}
THREAD_GONE_NOTE = N_("Its thread was deleted, so there was nothing to archive.")


def as_files(group: Upload) -> list[discord.File]:
    # A discord.File is consumed by sending, so each message gets fresh ones.
    return [discord.File(io.BytesIO(data), filename=name) for name, data in group]


async def send_transcript(
    target: discord.abc.Messageable, text: str, uploads: list[Upload], t: Speech, **kwargs
) -> None:
    """The first message carries the text (and any view); further parts follow it."""
    for index, group in enumerate(uploads):
        if index == 0:
            await target.send(text, files=as_files(group), allowed_mentions=NO_PINGS, **kwargs)
        else:
            await target.send(
                t._("(transcript part {part} of {parts})", part=index + 1, parts=len(uploads)),
                files=as_files(group),
                allowed_mentions=NO_PINGS,
            )


def closing_line(ticket: Ticket, t: Speech) -> str:
    if ticket.closed_by:
        line = t._(
            "🔒 Ticket {ref} was closed by {user}.",
            ref=ticket.ref,
            user=user_mention(ticket.closed_by),
        )
    else:
        line = t._("🔒 Ticket {ref} was closed automatically.", ref=ticket.ref)
    if not ticket.close_reason:
        return line
    reason = clip(closing_reason(ticket.close_reason, t), 500)
    return t._("{line} Reason: {reason}", line=line, reason=reason)


def dm_text(line: str, t: Speech) -> str:
    return t._(
        "{line}\nA transcript of the conversation is attached. How did we do? Rate the help "
        "you got below. If you need more help, open a new ticket with `/ticket create`.",
        line=line,
    )


async def thread_unless_gone(desk: TicketDesk, ticket: Ticket) -> discord.Thread | None:
    """The ticket's thread; None only if it no longer exists. Other errors propagate."""
    if ticket.thread_id is None:
        return None
    channel = desk.bot.get_channel(ticket.thread_id)
    if isinstance(channel, discord.Thread):
        return channel
    try:
        fetched = await desk.bot.fetch_channel(ticket.thread_id)
    except discord.NotFound:
        return None
    return fetched if isinstance(fetched, discord.Thread) else None


class CloseRun:
    def __init__(
        self,
        desk: TicketDesk,
        config: GuildConfig,
        ticket: Ticket,
        work: CloseWork,
        *,
        retrying: bool,
        told: Speech | None = None,
    ) -> None:
        self.desk = desk
        self.config = config
        self.ticket = ticket
        self.work = work
        self.retrying = retrying
        # The thread, the log channel and the DM speak the server's language; the notes
        # speak the language of the person who closed it (`told`).
        self.server = desk.server_speech(config)
        self.told = told or self.server
        self.line = closing_line(ticket, self.server)
        self.notes: list[str] = []  # for the person who closed it
        self.errors: list[str] = []  # for the log and the next attempt
        self.done = work.done
        self._uploads: dict[bool, list[Upload]] = {}

    async def run(self) -> list[str]:
        closing = self.desk.services.closing
        steps = (
            (ClosePart.NOTE, self.note),
            (ClosePart.ARCHIVE, self.archive),
            (ClosePart.LOG, self.log),
            (ClosePart.DM, self.dm),
        )
        for part, step in steps:
            if part in self.done:
                continue
            try:
                finished = await step()
            except discord.HTTPException as error:
                self.errors.append(f"{part.name.lower()}: {error.status} {error.text}")
                finished = False
            if finished:
                self.done |= part
                if not await closing.done(self.ticket.id, part):
                    return self.notes  # reopened meanwhile: the rest must not happen
        if self.errors:
            log.warning(
                "closing ticket %s on Discord is unfinished (%s); trying again later",
                self.ticket.id,
                "; ".join(self.errors),
            )
            await closing.failed(self.work, "; ".join(self.errors))
        return self.notes

    def _note(self, text: str, *, later: bool = False) -> None:
        t = self.told
        self.notes.append(t._("{note} I'll keep trying.", note=t._(text)) if later else t._(text))

    # -- the parts ------------------------------------------------------------------------

    async def note(self) -> bool:
        thread = await thread_unless_gone(self.desk, self.ticket)
        if thread is None:
            # Closing still frees the owner's cap, and the transcript still goes out.
            self._note(THREAD_GONE_NOTE)
            return True
        try:
            message = await self._sent_before(
                thread, ClosePart.NOTE, lambda m: m.content == self.line
            )
            if message is None:
                message = await thread.send(self.line, allowed_mentions=NO_PINGS)
        except discord.HTTPException as error:
            if is_gone(error):  # deleted, and the bot's session never heard of it
                self._note(THREAD_GONE_NOTE)
                return True
            self._note(
                N_("I could not post the closing note in the thread (check my permissions there)."),
                later=True,
            )
            raise
        await self.desk.services.closing.note_posted(self.ticket.id, self.line, message.id)
        return True

    async def archive(self) -> bool:
        if ClosePart.NOTE not in self.done:
            # Posting the line later would unarchive the thread again: wait for it.
            return False
        thread = await thread_unless_gone(self.desk, self.ticket)
        if thread is None:
            return True
        try:
            await thread.edit(archived=True, locked=True)
        except discord.HTTPException as error:
            if is_gone(error):
                return True
            self._note(
                N_("I could not archive and lock the thread (check my Manage Threads)."),
                later=True,
            )
            raise
        return True

    async def log(self) -> bool:
        channel_id = self.config.log_channel_id
        channel = self.desk.bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.abc.Messageable) or not belongs_here(
            channel, self.ticket.guild_id
        ):
            return True  # no log channel (any more), or one of another server: nothing to post
        text = clip(self.line, 2000)
        try:
            found = await self._sent_before(
                channel, ClosePart.LOG, lambda m: m.content == text and bool(m.attachments)
            )
            if found is None:
                await send_transcript(channel, text, await self.uploads(staff=True), self.server)
        except discord.NotFound:
            return True  # the channel was deleted
        except discord.HTTPException:
            self._note(N_("I could not post the transcript in the log channel."), later=True)
            raise
        return True

    async def dm(self) -> bool:
        text = dm_text(self.line, self.server)
        try:
            owner = self.desk.bot.get_user(self.ticket.owner_id) or await self.desk.bot.fetch_user(
                self.ticket.owner_id
            )
            if self.retrying:
                channel = owner.dm_channel or await owner.create_dm()
                if await self._sent_before(channel, ClosePart.DM, lambda m: m.content == text):
                    return True
            await send_transcript(
                owner,
                text,
                await self.uploads(),
                self.server,
                view=rating_view(self.ticket.id, self.server),
            )
        except discord.NotFound:
            return True  # no such user any more
        except discord.HTTPException as error:
            log.info("could not DM the owner of ticket %s: %s", self.ticket.id, error)
            if error.code == CANNOT_DM:
                # Members may close their DMs; that is their choice, not a failure of the close.
                self._note(N_("The owner's DMs are closed, so they were not sent a copy."))
                return True
            self._note(N_("I could not send the owner a copy of the transcript."), later=True)
            raise
        return True

    # -- helpers --------------------------------------------------------------------------

    async def uploads(self, *, staff: bool = False) -> list[Upload]:
        """The transcript from the record, built once per run and kind. The staff one (for
        the log channel) adds the staff notes; the member's (the DM) never has them."""
        if staff not in self._uploads:
            record = await self.desk.services.closing.record(self.ticket.id)
            ticket, replies = record if record else (self.ticket, [])
            notes = (
                await self.desk.services.notes.for_staff_transcript(self.ticket.id) if staff else []
            )
            self._uploads[staff] = build_uploads(ticket, replies, notes=notes, t=self.server)
        return self._uploads[staff]

    async def _sent_before(
        self,
        channel: discord.abc.Messageable,
        part: ClosePart,
        matches: Callable[[discord.Message], bool],
    ) -> discord.Message | None:
        """On a retry, the bot's message of this part if an earlier attempt sent it."""
        if not self.retrying:
            return None
        me = self.desk.bot.user
        async for message in channel.history(limit=LOOK_BACK[part]):
            if me is not None and message.author.id == me.id and matches(message):
                return message
        return None


async def finish_recorded_closes(
    desk: TicketDesk, *, guild_ids: Collection[int] | None = None
) -> None:
    """Retry every close whose Discord side is unfinished and due (called by the sweep),
    of the tickets of `guild_ids` when given (the guilds this process holds)."""
    for work in await desk.services.closing.claim_due(guild_ids=guild_ids):
        try:
            ticket = await desk.services.closing.ticket(work.ticket_id)
            if ticket is None or ticket.status is not Status.CLOSED:
                await desk.services.closing.forget(work.ticket_id)
                continue
            config = await desk.services.guilds.config(ticket.guild_id)
            await CloseRun(desk, config, ticket, work, retrying=True).run()
        except Exception:
            # One close must never hold up the others; its lease makes it due again later.
            log.exception("finishing the close of ticket %s failed", work.ticket_id)
