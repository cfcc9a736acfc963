"""Ending a ticket on Discord: closing note, transcript, archive and lock, DM, log line."""

from __future__ import annotations

import io
import logging

import discord

from cogs.common import NO_PINGS, clip
from cogs.desk import TicketDesk, is_gone
from cogs.feedback import rating_view
from core.models import Actor, GuildConfig, Ticket
from core.transcript import TranscriptFile
from core.transcript import transcript_uploads as build_uploads

log = logging.getLogger(__name__)

Upload = list[TranscriptFile]
CANNOT_DM = 50007  # Discord: cannot send messages to this user


async def transcript_uploads(desk: TicketDesk, actor: Actor, ticket_id: int) -> list[Upload]:
    """The ticket's transcript from the database, as groups of files (one per message)."""
    ticket, replies = await desk.services.tickets.all_replies(actor, ticket_id)
    return build_uploads(ticket, replies)


def as_files(group: Upload) -> list[discord.File]:
    # A discord.File is consumed by sending, so each message gets fresh ones.
    return [discord.File(io.BytesIO(data), filename=name) for name, data in group]


async def send_transcript(
    target: discord.abc.Messageable, text: str, uploads: list[Upload], **kwargs
) -> None:
    """The first message carries the text (and any view); further parts follow it."""
    for index, group in enumerate(uploads):
        if index == 0:
            await target.send(text, files=as_files(group), allowed_mentions=NO_PINGS, **kwargs)
        else:
            await target.send(
                f"(transcript part {index + 1} of {len(uploads)})",
                files=as_files(group),
                allowed_mentions=NO_PINGS,
            )


async def finish_close(
    desk: TicketDesk, actor: Actor, config: GuildConfig, ticket: Ticket
) -> list[str]:
    """After the service closed the ticket: tell everyone, archive, keep the record.

    Returns notes about what could not be done, for the staff member who closed it.
    """
    notes: list[str] = []
    reason = f" Reason: {clip(ticket.close_reason, 500)}" if ticket.close_reason else ""
    who = f"by <@{actor.user_id}>" if actor.user_id else "automatically"
    line = f"🔒 Ticket {ticket.ref} was closed {who}.{reason}"
    thread, gone = await desk.locate_thread(ticket)
    if thread is not None:
        try:
            message = await thread.send(line, allowed_mentions=NO_PINGS)
            await desk.services.tickets.add_system_note(ticket.id, line, message.id)
            await thread.edit(archived=True, locked=True)
        except discord.HTTPException as error:
            gone = is_gone(error)
            if not gone:
                log.warning("could not archive the thread of ticket %s: %s", ticket.id, error)
                notes.append("I could not archive and lock the thread (check my Manage Threads).")
    if gone:  # closing still frees the owner's cap and keeps the transcript
        notes.append("Its thread was deleted, so there was nothing to archive.")
    system = Actor(user_id=0, guild_id=ticket.guild_id, is_staff=True)
    uploads = await transcript_uploads(desk, system, ticket.id)
    log_channel = desk.bot.get_channel(config.log_channel_id) if config.log_channel_id else None
    if isinstance(log_channel, discord.abc.Messageable):
        try:
            await send_transcript(log_channel, clip(line, 2000), uploads)
        except discord.HTTPException as error:
            log.warning("could not post the transcript of ticket %s: %s", ticket.id, error)
            notes.append("I could not post the transcript in the log channel.")
    await dm_owner(desk, ticket, line, uploads, notes)
    return notes


async def dm_owner(
    desk: TicketDesk, ticket: Ticket, line: str, uploads: list[Upload], notes: list[str]
) -> None:
    text = (
        f"{line}\nA transcript of the conversation is attached. How did we do? Rate the "
        "help you got below. If you need more help, open a new ticket with `/ticket create`."
    )
    try:
        owner = desk.bot.get_user(ticket.owner_id) or await desk.bot.fetch_user(ticket.owner_id)
        await send_transcript(owner, text, uploads, view=rating_view(ticket.id))
    except discord.HTTPException as error:
        log.info("could not DM the owner of ticket %s: %s", ticket.id, error)
        if error.code == CANNOT_DM:
            # Members may close their DMs; that is their choice, not a failure of the close.
            notes.append("The owner's DMs are closed, so they were not sent a copy.")
        else:
            notes.append("I could not send the owner a copy of the transcript.")
