"""Buttons under AI answers and AI drafts; DynamicItems, so they work after a restart.

`ai:solved:<id>` and `ai:human:<id>` sit under an answer in the thread; `ai:send:<id>` and
`ai:discard:<id>` under a draft only one staff member sees (the draft text rides in the
ephemeral message itself, so the bot keeps no memory of it).
"""

from __future__ import annotations

import discord

from cogs.shared.buttons import TargetButton
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.text import NO_PINGS, clip, role_mention, send_ephemeral, user_mention
from cogs.tickets.replies import post_reply
from core.models import GuildConfig, Ticket
from i18n import N_, Speech


def answer_buttons(ticket_id: int, t: Speech) -> discord.ui.View:
    """Under an answer in the thread: in the server's language `t`."""
    view = discord.ui.View(timeout=None)
    view.add_item(SolvedButton(ticket_id, t))
    view.add_item(HumanButton(ticket_id, t))
    return view


def draft_buttons(ticket_id: int, t: Speech) -> discord.ui.View:
    """Under a draft only one staff member sees: in their language `t`."""
    view = discord.ui.View(timeout=None)
    view.add_item(SendDraftButton(ticket_id, t))
    view.add_item(DiscardDraftButton(ticket_id, t))
    return view


def staff_mention(
    ticket: Ticket, config: GuildConfig, t: Speech
) -> tuple[str, discord.AllowedMentions]:
    """The department's staff role (else the staff role), and mentions allowing only it."""
    role_id = config.role_for(ticket.department)
    if role_id is None:
        return t._("Staff"), NO_PINGS
    return role_mention(role_id), discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(role_id)]
    )


async def post_hand_off(desk: TicketDesk, ticket: Ticket, line: str) -> discord.Message | None:
    """Tell the member a human will answer and ping staff in the thread; stored as a note.
    `line` is an English sentence marked with N_ taking the member as `{user}`."""
    thread = await desk.thread_of(ticket)
    if thread is None:
        return None
    config = await desk.services.guilds.config(ticket.guild_id)
    server = desk.server_speech(config)
    mention, allowed = staff_mention(ticket, config, server)
    said = server._(line, user=user_mention(ticket.owner_id))
    text = f"{mention} {said}"
    message = await thread.send(text, allowed_mentions=allowed)
    await desk.services.tickets.add_system_note(ticket.id, text, message.id)
    await desk.log_event(
        config, server._("🙋 Ticket {ref} handed to staff: {line}", ref=ticket.ref, line=said)
    )
    return message


class SolvedButton(TargetButton, prefix="ai:solved"):
    button_label = N_("This solved it")
    button_style = discord.ButtonStyle.success
    button_emoji = "✅"

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, config = await desk.actor(interaction)
        ticket = await desk.services.ai.mark_solved(actor, self.target_id)
        await interaction.response.edit_message(view=None)
        server = desk.server_speech(config)
        line = server._(
            "✅ {user} marked the AI answer as the solution: ticket {ref} is resolved. Write "
            "here again if you need more help.",
            user=user_mention(actor.user_id),
            ref=ticket.ref,
        )
        await interaction.followup.send(line, allowed_mentions=NO_PINGS)
        await desk.log_event(
            config, server._("✅ Ticket {ref} resolved by the AI answer.", ref=ticket.ref)
        )


class HumanButton(TargetButton, prefix="ai:human"):
    button_label = N_("Talk to a human")
    button_style = discord.ButtonStyle.primary
    button_emoji = "🙋"

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, config = await desk.actor(interaction)
        ticket, changed = await desk.services.ai.request_human(actor, self.target_id)
        await interaction.response.edit_message(view=None)
        if not changed:
            t = member_speech(interaction)
            await send_ephemeral(
                interaction,
                t._("Staff already have ticket {ref}; they'll answer here.", ref=ticket.ref),
            )
            return
        server = desk.server_speech(config)
        mention, allowed = staff_mention(ticket, config, server)
        line = server._(
            "{staff} {user} asked for a human in ticket {ref}. The AI assistant stays quiet "
            "here from now on; a staff member will answer soon.",
            staff=mention,
            user=user_mention(actor.user_id),
            ref=ticket.ref,
        )
        sent = await interaction.followup.send(line, allowed_mentions=allowed, wait=True)
        await desk.services.tickets.add_system_note(ticket.id, line, sent.id)
        await desk.log_event(
            config, server._("🙋 Ticket {ref}: the member asked for a human.", ref=ticket.ref)
        )


class SendDraftButton(TargetButton, prefix="ai:send"):
    button_label = N_("Send")
    button_style = discord.ButtonStyle.success

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        embeds = interaction.message.embeds if interaction.message else []
        draft = (embeds[0].description or "") if embeds else ""
        await interaction.response.defer()
        # The service checks the clicker is staff (a click can be replayed or forged) and
        # stores it as the staff member's own reply, so the AI steps back.
        stored = await desk.services.ai.send_draft(actor, self.target_id, draft)
        t = member_speech(interaction)
        done, file = await post_reply(desk, interaction.user.display_name, stored, t)
        await interaction.edit_original_response(
            content=clip(done, 2000), embed=None, view=None, attachments=[file] if file else []
        )


class DiscardDraftButton(TargetButton, prefix="ai:discard"):
    button_label = N_("Discard")
    button_style = discord.ButtonStyle.secondary

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        t = member_speech(interaction)
        await interaction.response.edit_message(
            content=t._("Draft discarded. Nothing was posted."), embed=None, view=None
        )


AI_ITEMS = (SolvedButton, HumanButton, SendDraftButton, DiscardDraftButton)
