"""The Discord side of what staff do on the web dashboard (queued as Discord jobs,
core/discord_jobs.py): a triage change said in the thread and the log channel (and a new
department's staff brought in), a review's outcome told to the applicant (a DM, the form's
role) and shown on the review message."""

from __future__ import annotations

import logging

import discord

from cogs.forms.review import decided_embed, grant_role, tell_member
from cogs.lifecycle.triage import bring_in_department
from cogs.shared.desk import TicketDesk
from cogs.shared.ownership import belongs_here
from cogs.shared.text import clip
from core.form_models import Form, Submission, SubmissionStatus
from core.models import Ticket

log = logging.getLogger(__name__)


def triage_line(ticket: Ticket, change: str, by: str) -> str | None:
    if change == "claimed_by" and ticket.claimed_by:
        return f"🙋 <@{ticket.claimed_by}> is handling ticket {ticket.ref} ({by})."
    if change == "priority":
        return f"Priority of ticket {ticket.ref} set to {ticket.priority.value} by {by}."
    if change == "department":
        return f"Ticket {ticket.ref} moved to {ticket.department.value} by {by}."
    if change == "resolved":
        return f"✅ Ticket {ticket.ref} was marked resolved by {by}. A new message reopens it."
    return None


async def announce(desk: TicketDesk, ticket: Ticket, change: str, by: str) -> None:
    line = triage_line(ticket, change, clip(by, 100))
    if line is None:
        return
    config = await desk.services.guilds.config(ticket.guild_id)
    await desk.post_in_thread(ticket, line)
    await desk.log_event(config, line)
    if change == "department":
        await bring_in_department(desk, ticket, config)


async def tell_review(desk: TicketDesk, form: Form, submission: Submission, by: str) -> None:
    guild = desk.bot.get_guild(submission.guild_id)
    if guild is None:
        return
    notes: list[str] = []
    role_given = False
    accepted = submission.status is SubmissionStatus.ACCEPTED
    if accepted and form.accept_role_id:
        reason = f"Application {submission.ref} accepted by {by}"
        outcome = await grant_role(guild, submission, form.accept_role_id, reason)
        role_given = outcome.startswith("Role")
        notes.append(outcome)
    notes.append(await tell_member(desk.bot, guild.name, form, submission, role_given))
    await _update_review_message(desk, submission, notes)
    config = await desk.services.guilds.config(submission.guild_id)
    verdict = "accepted" if accepted else "rejected"
    await desk.log_event(
        config,
        f"📝 Application {submission.ref} to “{clip(form.title, 100)}” by "
        f"<@{submission.user_id}> {verdict} by {clip(by, 100)}. " + " ".join(notes),
    )


async def _update_review_message(
    desk: TicketDesk, submission: Submission, notes: list[str]
) -> None:
    """The decision on the review message, its buttons gone, as after a click."""
    if submission.review_channel_id is None or submission.review_message_id is None:
        return
    channel = desk.bot.get_channel(submission.review_channel_id)
    if not isinstance(channel, discord.TextChannel) or not belongs_here(
        channel, submission.guild_id
    ):
        return
    try:
        message = await channel.fetch_message(submission.review_message_id)
        embed = decided_embed(message, submission, notes)
        if embed is not None:
            await message.edit(embed=embed, view=None)
    except discord.HTTPException as error:
        log.info("could not update the review message of %s: %s", submission.id, error)
