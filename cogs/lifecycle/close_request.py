"""`/ticket close-request`: ask the owner in the thread, with Close / Keep open buttons.

The buttons carry the request's id from the database (`close-request:close:<id>`,
`close-request:keep:<id>`), so they answer it after any restart, and buttons of a request
that was replaced or answered say so. Unanswered requests are closed by the upkeep sweep
(`close_unanswered_requests`), from the deadline stored with the request.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

import discord

from cogs.lifecycle.closing import finish_close
from cogs.shared.buttons import TargetButton
from cogs.shared.desk import TicketDesk
from cogs.shared.text import NO_PINGS, clip, send_ephemeral
from core.desk_tool_models import CloseRequest
from core.models import Ticket
from core.policy import system_actor

log = logging.getLogger(__name__)


def stamp(request: CloseRequest) -> str:
    unix = int(request.due_at.timestamp())
    return f"<t:{unix}:R> (<t:{unix}:F>)"


def question(ticket: Ticket, request: CloseRequest) -> str:
    """The request's message; rebuilt the same from the record whenever it is edited."""
    reason = f"\nReason: {clip(request.reason, 500)}" if request.reason else ""
    return (
        f"<@{ticket.owner_id}> <@{request.requested_by}> would like to close ticket "
        f"{ticket.ref}.{reason}\nIs everything sorted? Press **Close** to close it, or "
        f"**Keep open** if you still need help. Without an answer it closes by itself "
        f"{stamp(request)}."
    )


def request_view(request: CloseRequest) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CloseRequestCloseButton(request.id))
    view.add_item(CloseRequestKeepButton(request.id))
    return view


async def ask_to_close(
    desk: TicketDesk,
    interaction: discord.Interaction,
    ticket_id: int,
    reason: str | None,
    hours: int | None,
) -> None:
    actor, config = await desk.actor(interaction)
    requests = desk.services.close_requests
    request, ticket, replaced = await requests.request(actor, ticket_id, reason, hours)
    await interaction.response.defer(ephemeral=True, thinking=True)
    if replaced is not None:
        await retire(desk, ticket, replaced, "_Replaced by a newer close request._")
    thread = await desk.thread_of(ticket)
    line = question(ticket, request)
    try:
        if thread is None:
            raise LookupError("no thread")
        message = await thread.send(
            line,
            view=request_view(request),
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(ticket.owner_id)]
            ),
        )
    except (discord.HTTPException, LookupError) as error:
        # The owner could never answer a question they can't see: take it back.
        await requests.withdraw(request.id)
        log.warning("could not post the close request of ticket %s: %s", ticket.id, error)
        await send_ephemeral(
            interaction,
            f"I couldn't post the close request in the thread of ticket {ticket.ref} (check "
            "my permissions there), so nothing was asked.",
        )
        return
    await requests.posted(request, line, message.id)
    await send_ephemeral(
        interaction,
        f"Asked <@{ticket.owner_id}> to confirm closing ticket {ticket.ref}. Without an "
        f"answer it closes {stamp(request)}.",
    )
    await desk.log_event(
        config,
        f"❓ <@{actor.user_id}> asked to close ticket {ticket.ref}; without an answer it "
        f"closes {stamp(request)}.",
    )


async def retire(desk: TicketDesk, ticket: Ticket, request: CloseRequest, outcome: str) -> None:
    """Take the buttons off a request's message and say what became of it (best effort:
    the buttons of an answered request refuse by themselves anyway)."""
    if request.message_id is None:
        return
    thread = await desk.thread_of(ticket)
    if thread is None:
        return
    try:
        await thread.get_partial_message(request.message_id).edit(
            content=f"{question(ticket, request)}\n{outcome}", view=None, allowed_mentions=NO_PINGS
        )
    except discord.HTTPException as error:
        log.info("could not retire close request %s: %s", request.id, error)


class CloseRequestCloseButton(TargetButton, prefix="close-request:close"):
    button_label = "Close"
    button_style = discord.ButtonStyle.danger
    button_emoji = "🔒"

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, config = await desk.actor(interaction)
        ticket, request = await desk.services.close_requests.close(actor, self.target_id)
        outcome = f"✅ <@{actor.user_id}> chose to close it."
        await interaction.response.edit_message(
            content=f"{question(ticket, request)}\n{outcome}", view=None, allowed_mentions=NO_PINGS
        )
        notes = await finish_close(desk, actor, config, ticket)
        await send_ephemeral(interaction, " ".join([f"Ticket {ticket.ref} is closed.", *notes]))


class CloseRequestKeepButton(TargetButton, prefix="close-request:keep"):
    button_label = "Keep open"
    button_style = discord.ButtonStyle.secondary

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, config = await desk.actor(interaction)
        ticket, request = await desk.services.close_requests.keep_open(actor, self.target_id)
        outcome = f"↩️ <@{actor.user_id}> chose to keep ticket {ticket.ref} open."
        await interaction.response.edit_message(
            content=f"{question(ticket, request)}\n{outcome}", view=None, allowed_mentions=NO_PINGS
        )
        await desk.services.tickets.add_system_note(ticket.id, outcome)
        await desk.log_event(config, outcome)


async def close_unanswered_requests(
    desk: TicketDesk, *, guild_ids: Collection[int] | None = None
) -> None:
    """Close every ticket whose close request went unanswered past its deadline (the
    upkeep sweep calls this, for the guilds this process holds; None: all); each on its
    own, so one failure never holds up the others."""
    requests = desk.services.close_requests
    for request in await requests.due(guild_ids=guild_ids):
        try:
            ticket = await requests.close_unanswered(request)
            if ticket is None:
                continue
            outcome = f"⌛ No answer within {request.hours} hours, so the ticket was closed."
            await retire(desk, ticket, request, outcome)
            config = await desk.services.guilds.config(ticket.guild_id)
            await finish_close(desk, system_actor(ticket.guild_id), config, ticket)
        except Exception:
            # The close (if it happened) recorded its Discord work: the sweep finishes it.
            log.exception("closing ticket %s after its close request failed", request.ticket_id)


CLOSE_REQUEST_ITEMS = (CloseRequestCloseButton, CloseRequestKeepButton)
