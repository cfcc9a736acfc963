"""Posting a reply written with `/ticket reply` (or a sent AI draft) in its thread.

The reply is stored first, then posted; a post that fails takes it back. So the database
never lacks a message the thread shows (even if the bot stops between the two steps),
and a member told "nothing was saved" who sends it again stores it once.
"""

from __future__ import annotations

import logging

import discord

from cogs.shared.desk import TicketDesk, is_gone
from cogs.shared.permissions import missing_permissions
from cogs.shared.text import NO_PINGS, give_back, split_text
from core.models import StoredReply

log = logging.getLogger(__name__)


Outcome = tuple[str, discord.File | None]


async def post_reply(desk: TicketDesk, author_name: str, stored: StoredReply) -> Outcome:
    """Post a stored reply in its thread; returns what to tell its author (and, when the
    reply was not saved, their words back, as a file when they don't fit)."""
    ticket, reply = stored.ticket, stored.reply
    header = f"**{discord.utils.escape_markdown(author_name)}** ({reply.author_kind.value}) wrote:"
    thread, gone = await desk.locate_thread(ticket)
    if thread is None:
        await desk.services.tickets.withdraw_reply(stored)
        if gone:
            why = "its thread was deleted"
        elif ticket.waiting_for_thread:
            why = "its thread is still being created; try again in a minute"
        else:
            why = "I can't reach its thread right now"
        return give_back(
            f"I couldn't post your reply in ticket {ticket.ref}: {why}. Nothing was saved.",
            [("message", reply.body)],
        )
    sent: list[discord.Message] = []
    try:
        for chunk in split_text(f"{header}\n{reply.body}"):
            sent.append(await thread.send(chunk, allowed_mentions=NO_PINGS))
    except Exception as error:
        return await _not_posted(desk, stored, thread, sent, error)
    await desk.services.tickets.attach_message(reply.id, sent[0].id)
    return f"Reply posted in {ticket.ref}: {sent[0].jump_url}", None


async def _not_posted(
    desk: TicketDesk,
    stored: StoredReply,
    thread: discord.Thread,
    sent: list[discord.Message],
    error: Exception,
) -> Outcome:
    ticket, reply = stored.ticket, stored.reply
    log.warning(
        "could not post a reply in ticket %s: %s",
        ticket.id,
        error,
        exc_info=not isinstance(error, discord.HTTPException),
    )
    why = _why_not_posted(thread, error)
    try:
        for message in sent:  # half a reply in the thread would be a half-truth
            await message.delete()
    except discord.HTTPException:
        await desk.services.tickets.attach_message(reply.id, sent[0].id)
        return (
            f"Only part of your reply reached the thread of ticket {ticket.ref} ({why}). "
            "The whole reply is saved with the ticket (see `/ticket view`), so don't "
            "send it again.",
            None,
        )
    await desk.services.tickets.withdraw_reply(stored)
    return give_back(
        f"I couldn't post your reply in the thread of ticket {ticket.ref}: {why}. "
        "Nothing was saved, so send it again once that is fixed.",
        [("message", reply.body)],
    )


def _why_not_posted(thread: discord.Thread, error: Exception) -> str:
    if is_gone(error):
        return "its thread was deleted"
    guild = thread.guild
    parent = thread.parent
    if isinstance(error, discord.Forbidden) and parent is not None:
        missing = missing_permissions(parent, guild.me)
        if missing:
            return (
                f"I am missing {', '.join(missing)} in {parent.mention}; an admin can give it to me"
            )
    if isinstance(error, discord.HTTPException):
        return f"Discord answered with error {error.status}"
    return "something went wrong on my side and it has been logged"
