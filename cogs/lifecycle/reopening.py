"""Reopening a closed ticket: all or nothing, as the member sees it.

The thread is unarchived and unlocked first and the status changes only after that, so a
reopen that fails leaves a closed ticket with a locked thread, never an open ticket the
member cannot write in; staff are told what stopped it.
"""

from __future__ import annotations

import logging

import discord

from cogs.shared.desk import TicketDesk, is_gone
from cogs.shared.text import user_mention
from core.errors import DomainError
from core.models import Actor, GuildConfig, Status, Ticket
from i18n import Speech

log = logging.getLogger(__name__)


async def reopen_ticket(
    desk: TicketDesk, actor: Actor, config: GuildConfig, ticket_id: int, t: Speech
) -> str:
    """Reopen ticket `ticket_id` for staff `actor`; returns what to tell them (in `t`)."""
    tickets = desk.services.tickets
    ticket = await tickets.check_reopen(actor, ticket_id)  # every refusal, nothing changed
    thread, gone = await desk.locate_thread(ticket)
    if thread is None:
        if gone:
            return _gone(ticket, t)
        return t._(
            "I can't reach the thread of ticket {ref} right now, so it is still closed. Try "
            "again in a moment.",
            ref=ticket.ref,
        )
    try:
        await thread.edit(archived=False, locked=False)
    except discord.HTTPException as error:
        log.warning("could not unlock the thread of ticket %s: %s", ticket.id, error)
        if is_gone(error):
            return _gone(ticket, t)
        return t._(
            "I couldn't unlock the thread of ticket {ref} ({why}), so the ticket is still "
            "closed. Run `/ticket reopen` again once that is fixed.",
            ref=ticket.ref,
            why=_why(thread, error, t),
        )
    try:
        ticket = await tickets.reopen(actor, ticket.id)
    except DomainError:
        # Refused after all (e.g. ticketing switched off meanwhile): lock the thread again,
        # unless someone else reopened the ticket in between.
        current = await tickets.by_thread(thread.id)
        if current is None or current.status is Status.CLOSED:
            await _lock_again(thread, ticket)
        raise
    server = desk.server_speech(config)
    line = server._(
        "🔓 Ticket {ref} was reopened by {user}.", ref=ticket.ref, user=user_mention(actor.user_id)
    )
    notes = await _welcome_back(desk, thread, ticket, line, t)
    await desk.log_event(config, line)
    return " ".join([t._("Ticket {ref} is open again.", ref=ticket.ref), *notes])


def _gone(ticket: Ticket, t: Speech) -> str:
    return t._(
        "Ticket {ref} can't be reopened: its thread was deleted, so there is nowhere to talk. "
        "The member can open a new ticket with `/ticket create`.",
        ref=ticket.ref,
    )


async def _welcome_back(
    desk: TicketDesk, thread: discord.Thread, ticket: Ticket, line: str, t: Speech
) -> list[str]:
    """Bring the owner back and say so in the thread; the ticket is open either way."""
    notes: list[str] = []
    try:
        await thread.add_user(discord.Object(ticket.owner_id))
    except discord.HTTPException as error:
        log.info("could not add the owner back to ticket %s: %s", ticket.id, error)
        notes.append(t._("I could not add the owner back to the thread (they may have left)."))
    try:
        message = await thread.send(
            f"<@{ticket.owner_id}> {line}",
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(ticket.owner_id)]
            ),
        )
    except discord.HTTPException as error:
        log.warning("could not announce the reopening of ticket %s: %s", ticket.id, error)
        notes.append(t._("I could not post the reopening in the thread."))
    else:
        await desk.services.tickets.add_system_note(ticket.id, line, message.id)
    return notes


async def _lock_again(thread: discord.Thread, ticket: Ticket) -> None:
    try:
        await thread.edit(archived=True, locked=True)
    except discord.HTTPException as error:
        log.warning("could not lock the thread of ticket %s again: %s", ticket.id, error)


def _why(thread: discord.Thread, error: discord.HTTPException, t: Speech) -> str:
    parent = thread.parent
    if parent is not None and not parent.permissions_for(thread.guild.me).manage_threads:
        return t._(
            "I am missing Manage Threads in {channel}; an admin can give it to me",
            channel=parent.mention,
        )
    return t._("Discord answered with error {status}", status=error.status)
