"""The Discord side of what staff do on the web dashboard (queued as Discord jobs,
core/discord_jobs.py): a triage change said in the thread and the log channel (and a new
department's staff brought in), a review's outcome told to the applicant (a DM, the form's
role) and shown on the review message."""

from __future__ import annotations

import logging

import discord

from cogs.forms.review import Note, decided_embed, grant_role, tell_member
from cogs.lifecycle.triage import bring_in_department
from cogs.shared.desk import TicketDesk
from cogs.shared.ownership import belongs_here
from cogs.shared.text import clip, user_mention
from core.form_models import Form, Submission, SubmissionStatus
from core.models import Ticket
from i18n import Speech

log = logging.getLogger(__name__)


def triage_line(ticket: Ticket, change: str, by: str, t: Speech) -> str | None:
    """What changed on the dashboard, in the server's language `t` (`by`: who, as the
    dashboard names them)."""
    if change == "claimed_by" and ticket.claimed_by:
        return t._(
            "🙋 {user} is handling ticket {ref} ({by}).",
            user=user_mention(ticket.claimed_by),
            ref=ticket.ref,
            by=by,
        )
    if change == "priority":
        return t._(
            "Priority of ticket {ref} set to {priority} by {by}.",
            ref=ticket.ref,
            priority=ticket.priority.value,
            by=by,
        )
    if change == "department":
        return t._(
            "Ticket {ref} moved to {department} by {by}.",
            ref=ticket.ref,
            department=ticket.department.value,
            by=by,
        )
    if change == "resolved":
        return t._(
            "✅ Ticket {ref} was marked resolved by {by}. A new message reopens it.",
            ref=ticket.ref,
            by=by,
        )
    return None


async def announce(desk: TicketDesk, ticket: Ticket, change: str, by: str) -> None:
    config = await desk.services.guilds.config(ticket.guild_id)
    line = triage_line(ticket, change, clip(by, 100), desk.server_speech(config))
    if line is None:
        return
    await desk.post_in_thread(ticket, line)
    await desk.log_event(config, line)
    if change == "department":
        await bring_in_department(desk, ticket, config)


async def tell_review(desk: TicketDesk, form: Form, submission: Submission, by: str) -> None:
    guild = desk.bot.get_guild(submission.guild_id)
    if guild is None:
        return
    config = await desk.services.guilds.config(submission.guild_id)
    server = desk.server_speech(config)
    notes: list[Note] = []
    role_given = False
    accepted = submission.status is SubmissionStatus.ACCEPTED
    if accepted and form.accept_role_id:
        reason = f"Application {submission.ref} accepted by {by}"  # the audit log
        role_given, outcome = await grant_role(guild, submission, form.accept_role_id, reason)
        notes.append(outcome)
    notes.append(await tell_member(desk.bot, guild.name, form, submission, role_given, server))
    said = [note(server) for note in notes]
    await _update_review_message(desk, submission, said, server)
    facts = dict(
        ref=submission.ref,
        title=clip(form.title, 100),
        member=user_mention(submission.user_id),
        by=clip(by, 100),
        notes=" ".join(said),
    )
    await desk.log_event(
        config,
        server._("📝 Application {ref} to “{title}” by {member} accepted by {by}. {notes}", **facts)
        if accepted
        else server._(
            "📝 Application {ref} to “{title}” by {member} rejected by {by}. {notes}", **facts
        ),
    )


async def _update_review_message(
    desk: TicketDesk, submission: Submission, notes: list[str], t: Speech
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
        embed = decided_embed(message, submission, notes, t)
        if embed is not None:
            await message.edit(embed=embed, view=None)
    except discord.HTTPException as error:
        log.info("could not update the review message of %s: %s", submission.id, error)
