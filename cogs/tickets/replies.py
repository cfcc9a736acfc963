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
from cogs.tickets.render import kind_label
from core.models import StoredReply
from i18n import Speech

log = logging.getLogger(__name__)


Outcome = tuple[str, discord.File | None]


async def post_reply(desk: TicketDesk, author_name: str, stored: StoredReply, t: Speech) -> Outcome:
    """Post a stored reply in its thread (in the server's language); returns what to tell
    its author in theirs, `t` (and, when the reply was not saved, their words back, as a
    file when they don't fit)."""
    ticket, reply = stored.ticket, stored.reply
    config = await desk.services.guilds.config(ticket.guild_id)
    server = desk.server_speech(config)
    header = server._(
        "**{name}** ({kind}) wrote:",
        name=discord.utils.escape_markdown(author_name),
        kind=kind_label(reply.author_kind, server),
    )
    thread, gone = await desk.locate_thread(ticket)
    if thread is None:
        await desk.services.tickets.withdraw_reply(stored)
        if gone:
            refusal = t._(
                "I couldn't post your reply in ticket {ref}: its thread was deleted. Nothing "
                "was saved.",
                ref=ticket.ref,
            )
        elif ticket.waiting_for_thread:
            refusal = t._(
                "I couldn't post your reply in ticket {ref}: its thread is still being "
                "created; try again in a minute. Nothing was saved.",
                ref=ticket.ref,
            )
        else:
            refusal = t._(
                "I couldn't post your reply in ticket {ref}: I can't reach its thread right "
                "now. Nothing was saved.",
                ref=ticket.ref,
            )
        return give_back(refusal, [("message", reply.body)], t=t)
    sent: list[discord.Message] = []
    try:
        for chunk in split_text(f"{header}\n{reply.body}"):
            sent.append(await thread.send(chunk, allowed_mentions=NO_PINGS))
    except Exception as error:
        return await _not_posted(desk, stored, thread, sent, error, t)
    await desk.services.tickets.attach_message(reply.id, sent[0].id)
    return t._("Reply posted in {ref}: {link}", ref=ticket.ref, link=sent[0].jump_url), None


async def _not_posted(
    desk: TicketDesk,
    stored: StoredReply,
    thread: discord.Thread,
    sent: list[discord.Message],
    error: Exception,
    t: Speech,
) -> Outcome:
    ticket, reply = stored.ticket, stored.reply
    log.warning(
        "could not post a reply in ticket %s: %s",
        ticket.id,
        error,
        exc_info=not isinstance(error, discord.HTTPException),
    )
    why = _why_not_posted(thread, error, t)
    try:
        for message in sent:  # half a reply in the thread would be a half-truth
            await message.delete()
    except discord.HTTPException:
        await desk.services.tickets.attach_message(reply.id, sent[0].id)
        return (
            t._(
                "Only part of your reply reached the thread of ticket {ref} ({why}). The whole "
                "reply is saved with the ticket (see `/ticket view`), so don't send it again.",
                ref=ticket.ref,
                why=why,
            ),
            None,
        )
    await desk.services.tickets.withdraw_reply(stored)
    return give_back(
        t._(
            "I couldn't post your reply in the thread of ticket {ref}: {why}. Nothing was "
            "saved, so send it again once that is fixed.",
            ref=ticket.ref,
            why=why,
        ),
        [("message", reply.body)],
        t=t,
    )


def _why_not_posted(thread: discord.Thread, error: Exception, t: Speech) -> str:
    if is_gone(error):
        return t._("its thread was deleted")
    guild = thread.guild
    parent = thread.parent
    if isinstance(error, discord.Forbidden) and parent is not None:
        missing = missing_permissions(parent, guild.me, t)
        if missing:
            return t._(
                "I am missing {permissions} in {channel}; an admin can give it to me",
                permissions=", ".join(missing),
                channel=parent.mention,
            )
    if isinstance(error, discord.HTTPException):
        return t._("Discord answered with error {status}", status=error.status)
    return t._("something went wrong on my side and it has been logged")
