"""Ending a ticket on Discord: closing note, transcript, archive and lock, DM, log line."""

from __future__ import annotations

import io
import logging

import discord

from cogs.common import NO_PINGS, clip
from cogs.desk import TicketDesk
from cogs.feedback import rating_view
from core.models import Actor, GuildConfig, Ticket
from core.transcript import render_html, render_text

log = logging.getLogger(__name__)


async def transcript_files(desk: TicketDesk, actor: Actor, ticket_id: int) -> list[discord.File]:
    ticket, replies = await desk.services.tickets.all_replies(actor, ticket_id)
    html = render_html(ticket, replies)
    text = render_text(ticket, replies)
    return [
        discord.File(io.BytesIO(html), filename=f"ticket-{ticket.id}.html"),
        discord.File(io.BytesIO(text), filename=f"ticket-{ticket.id}.txt"),
    ]


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
    thread = await desk.thread_of(ticket)
    if thread is not None:
        try:
            message = await thread.send(line, allowed_mentions=NO_PINGS)
            await desk.services.tickets.add_system_note(ticket.id, line, message.id)
            await thread.edit(archived=True, locked=True)
        except discord.HTTPException as error:
            log.warning("could not archive the thread of ticket %s: %s", ticket.id, error)
            notes.append("I could not archive and lock the thread (check my Manage Threads).")
    system = Actor(user_id=0, guild_id=ticket.guild_id, is_staff=True)
    if config.log_channel_id is not None:
        files = await transcript_files(desk, system, ticket.id)
        await desk.log_event(config, line, files=files)
    await dm_owner(desk, ticket, line, notes)
    return notes


async def dm_owner(desk: TicketDesk, ticket: Ticket, line: str, notes: list[str]) -> None:
    try:
        owner = desk.bot.get_user(ticket.owner_id) or await desk.bot.fetch_user(ticket.owner_id)
        system = Actor(user_id=0, guild_id=ticket.guild_id, is_staff=True)
        files = await transcript_files(desk, system, ticket.id)
        await owner.send(
            f"{line}\nA transcript of the conversation is attached. How did we do? Rate "
            "the help you got below. If you need more help, open a new ticket with "
            "`/ticket create`.",
            files=files,
            view=rating_view(ticket.id),
            allowed_mentions=NO_PINGS,
        )
    except discord.HTTPException as error:
        # Members may close their DMs; that is their choice, not a failure of the close.
        log.info("could not DM the owner of ticket %s: %s", ticket.id, error)
        notes.append("The owner's DMs are closed, so they were not sent a copy.")


async def finish_reopen(
    desk: TicketDesk, actor: Actor, config: GuildConfig, ticket: Ticket
) -> None:
    thread = await desk.thread_of(ticket)
    line = f"🔓 Ticket {ticket.ref} was reopened by <@{actor.user_id}>."
    if thread is not None:
        await thread.edit(archived=False, locked=False)
        await thread.add_user(discord.Object(ticket.owner_id))
        message = await thread.send(
            f"<@{ticket.owner_id}> {line}",
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(ticket.owner_id)]
            ),
        )
        await desk.services.tickets.add_system_note(ticket.id, line, message.id)
    await desk.log_event(config, line)
