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
from cogs.shared.language import member_speech
from cogs.shared.text import NO_PINGS, clip, send_ephemeral, user_mention
from core.desk_tool_models import CloseRequest
from core.models import Ticket
from core.policy import system_actor
from i18n import N_, NP_, Speech

log = logging.getLogger(__name__)


def stamp(request: CloseRequest) -> str:
    unix = int(request.due_at.timestamp())
    return f"<t:{unix}:R> (<t:{unix}:F>)"


def question(ticket: Ticket, request: CloseRequest, t: Speech) -> str:
    """The request's message in the server's language `t`; rebuilt the same from the
    record whenever it is edited."""
    lines = [
        t._(
            "{owner} {user} would like to close ticket {ref}.",
            owner=user_mention(ticket.owner_id),
            user=user_mention(request.requested_by),
            ref=ticket.ref,
        )
    ]
    if request.reason:
        lines.append(t._("Reason: {reason}", reason=clip(request.reason, 500)))
    lines.append(
        t._(
            "Is everything sorted? Press **{close}** to close it, or **{keep}** if you still "
            "need help. Without an answer it closes by itself {when}.",
            close=t.pgettext("button", CLOSE),
            keep=t._(KEEP_OPEN),
            when=stamp(request),
        )
    )
    return "\n".join(lines)


def request_view(request: CloseRequest, t: Speech) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CloseRequestCloseButton(request.id, t))
    view.add_item(CloseRequestKeepButton(request.id, t))
    return view


async def _server(desk: TicketDesk, ticket: Ticket) -> Speech:
    return desk.server_speech(await desk.services.guilds.config(ticket.guild_id))


async def ask_to_close(
    desk: TicketDesk,
    interaction: discord.Interaction,
    ticket_id: int,
    reason: str | None,
    hours: int | None,
) -> None:
    actor, config = await desk.actor(interaction)
    t, server = member_speech(interaction), desk.server_speech(config)
    requests = desk.services.close_requests
    request, ticket, replaced = await requests.request(actor, ticket_id, reason, hours)
    await interaction.response.defer(ephemeral=True, thinking=True)
    if replaced is not None:
        await retire(desk, ticket, replaced, server._("_Replaced by a newer close request._"))
    thread = await desk.thread_of(ticket)
    line = question(ticket, request, server)
    try:
        if thread is None:
            raise LookupError("no thread")
        message = await thread.send(
            line,
            view=request_view(request, server),
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
            t._(
                "I couldn't post the close request in the thread of ticket {ref} (check my "
                "permissions there), so nothing was asked.",
                ref=ticket.ref,
            ),
        )
        return
    await requests.posted(request, line, message.id)
    await send_ephemeral(
        interaction,
        t._(
            "Asked {owner} to confirm closing ticket {ref}. Without an answer it closes {when}.",
            owner=user_mention(ticket.owner_id),
            ref=ticket.ref,
            when=stamp(request),
        ),
    )
    await desk.log_event(
        config,
        server._(
            "❓ {user} asked to close ticket {ref}; without an answer it closes {when}.",
            user=user_mention(actor.user_id),
            ref=ticket.ref,
            when=stamp(request),
        ),
    )


async def retire(desk: TicketDesk, ticket: Ticket, request: CloseRequest, outcome: str) -> None:
    """Take the buttons off a request's message and say what became of it (best effort:
    the buttons of an answered request refuse by themselves anyway). `outcome` is in the
    server's language, as the question is."""
    if request.message_id is None:
        return
    thread = await desk.thread_of(ticket)
    if thread is None:
        return
    asked = question(ticket, request, await _server(desk, ticket))
    try:
        await thread.get_partial_message(request.message_id).edit(
            content=f"{asked}\n{outcome}", view=None, allowed_mentions=NO_PINGS
        )
    except discord.HTTPException as error:
        log.info("could not retire close request %s: %s", request.id, error)


CLOSE = NP_("button", "Close")
KEEP_OPEN = N_("Keep open")


class CloseRequestCloseButton(TargetButton, prefix="close-request:close"):
    button_label = CLOSE
    button_context = "button"  # "Close" alone is ambiguous
    button_style = discord.ButtonStyle.danger
    button_emoji = "🔒"

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, config = await desk.actor(interaction)
        t, server = member_speech(interaction), desk.server_speech(config)
        await desk.stored_so_far(interaction.channel)
        ticket, request = await desk.services.close_requests.close(actor, self.target_id)
        outcome = server._("✅ {user} chose to close it.", user=user_mention(actor.user_id))
        await interaction.response.edit_message(
            content=f"{question(ticket, request, server)}\n{outcome}",
            view=None,
            allowed_mentions=NO_PINGS,
        )
        notes = await finish_close(desk, actor, config, ticket, t)
        closed = t._("Ticket {ref} is closed.", ref=ticket.ref)
        await send_ephemeral(interaction, " ".join([closed, *notes]))


class CloseRequestKeepButton(TargetButton, prefix="close-request:keep"):
    button_label = KEEP_OPEN
    button_style = discord.ButtonStyle.secondary

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, config = await desk.actor(interaction)
        server = desk.server_speech(config)
        ticket, request = await desk.services.close_requests.keep_open(actor, self.target_id)
        outcome = server._(
            "↩️ {user} chose to keep ticket {ref} open.",
            user=user_mention(actor.user_id),
            ref=ticket.ref,
        )
        await interaction.response.edit_message(
            content=f"{question(ticket, request, server)}\n{outcome}",
            view=None,
            allowed_mentions=NO_PINGS,
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
            config = await desk.services.guilds.config(ticket.guild_id)
            server = desk.server_speech(config)
            outcome = server.ngettext(
                "⌛ No answer within {count} hour, so the ticket was closed.",
                "⌛ No answer within {count} hours, so the ticket was closed.",
                request.hours,
            )
            await retire(desk, ticket, request, outcome)
            await finish_close(desk, system_actor(ticket.guild_id), config, ticket)
        except Exception:
            # The close (if it happened) recorded its Discord work: the sweep finishes it.
            log.exception("closing ticket %s after its close request failed", request.ticket_id)


CLOSE_REQUEST_ITEMS = (CloseRequestCloseButton, CloseRequestKeepButton)
