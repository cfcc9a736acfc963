"""Submissions in the review channel: a readable embed with Accept / Reject buttons.

The buttons are DynamicItems carrying the submission id, so they work after a restart.
The service decides who wins when two staff click at once; the loser is told who did.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import discord

from cogs.shared.buttons import TargetButton
from cogs.shared.custom_ids import ANY, id_in
from cogs.shared.desk import TicketDesk, desk_of
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.ownership import belongs_here
from cogs.shared.submitted import Submitted
from cogs.shared.text import COLOUR_BAD, COLOUR_GOOD, COLOUR_OPEN, NO_PINGS, clip, send_ephemeral
from core.form_models import Form, Submission, SubmissionStatus
from core.form_schema import Question, QuestionKind
from core.forms import FormService
from core.models import GuildConfig

log = logging.getLogger(__name__)

FIELD_MAX = 1024
EMBED_BUDGET = 5000  # of Discord's 6000 per message, leaving room for the decision
QUESTION_FIELDS_MAX = 23  # of 25, leaving room for the decision and an overflow note
NO_ANSWER = "*(no answer)*"


# -- rendering ------------------------------------------------------------------------------


def format_answer(question: Question | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return NO_ANSWER
    kind = question.kind if question else None
    if kind is QuestionKind.CHECKBOX or isinstance(value, bool):
        return "✅ Yes" if value else "❌ No"
    if kind is QuestionKind.FILE:
        files = value if isinstance(value, list) else [value]
        return "\n".join(
            f"[{f.get('filename', 'file')}]({f.get('url', '')}) ({f.get('size', 0) // 1024} KB)"
            for f in files
            if isinstance(f, dict)
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _chunks(text: str, size: int = FIELD_MAX) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [NO_ANSWER]


def full_text(form: Form, submission: Submission) -> str:
    lines = [f"Application {submission.ref} to {form.title} by user {submission.user_id}", ""]
    for question in form.questions:
        answer = format_answer(question, submission.answers.get(question.id))
        lines += [f"## {question.label}", answer, ""]
    return "\n".join(lines)


def review_embed(form: Form, submission: Submission) -> tuple[discord.Embed, discord.File | None]:
    """The answers as fields, long ones split over several; what does not fit in one
    message goes, complete, into an attached text file."""
    created = int(submission.created_at.timestamp())
    embed = discord.Embed(
        title=clip(f"Application {submission.ref} · {form.title}", 256),
        description=f"From <@{submission.user_id}> · <t:{created}:f>\nForm {form.ref}",
        colour=COLOUR_OPEN,
    )
    embed.set_footer(text=f"Status: {submission.status}")
    used, overflow = len(embed.title or "") + len(embed.description or ""), False
    for question in form.questions:
        answer = format_answer(question, submission.answers.get(question.id))
        for index, chunk in enumerate(_chunks(answer)):
            name = clip(question.label if index == 0 else f"{question.label} (continued)", 256)
            if len(embed.fields) >= QUESTION_FIELDS_MAX or used + len(name) + len(chunk) > (
                EMBED_BUDGET
            ):
                overflow = True
                break
            embed.add_field(name=name, value=chunk, inline=False)
            used += len(name) + len(chunk)
    if not overflow:
        return embed, None
    embed.add_field(name="…", value="Too long for one message: every answer is in the file.")
    data = io.BytesIO(full_text(form, submission).encode())
    return embed, discord.File(data, filename=f"application-{submission.id}.txt")


def review_view(submission_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AcceptButton(submission_id))
    view.add_item(RejectButton(submission_id))
    return view


async def post_for_review(
    desk: TicketDesk, config: GuildConfig, form: Form, submission: Submission
) -> bool:
    """Post a new submission to its review channel; False when staff could not be shown it
    (the submission is kept either way and listed by `/forms submissions`)."""
    channel_id = FormService.review_channel_for(form, config)
    channel = desk.bot.get_channel(channel_id) if channel_id else None
    # get_channel looks in every server; a review channel elsewhere (saved before ids were
    # checked) must never receive this server's answers.
    if not isinstance(channel, discord.abc.Messageable) or not belongs_here(channel, form.guild_id):
        await desk.log_event(
            config,
            f"⚠️ Application {submission.ref} to “{clip(form.title, 100)}” has no review "
            "channel to go to; set one with `/admin setup review_channel:`.",
        )
        return False
    embed, file = review_embed(form, submission)
    extra: dict[str, Any] = {"file": file} if file else {}
    try:
        message = await channel.send(
            embed=embed, view=review_view(submission.id), allowed_mentions=NO_PINGS, **extra
        )
    except discord.HTTPException as error:
        log.warning("could not post submission %s for review: %s", submission.id, error)
        await desk.log_event(
            config,
            f"⚠️ I could not post application {submission.ref} in <#{channel_id}> "
            f"(error {error.status}); check my permissions there.",
        )
        return False
    await desk.services.forms.attach_review_message(submission.id, message.channel.id, message.id)
    await desk.log_event(
        config,
        f"📝 New application {submission.ref} to “{clip(form.title, 100)}” from "
        f"<@{submission.user_id}>: {message.jump_url}",
    )
    return True


# -- deciding -------------------------------------------------------------------------------


async def _grant_role(
    interaction: discord.Interaction, submission: Submission, role_id: int
) -> str:
    assert interaction.guild is not None
    reason = f"Application {submission.ref} accepted by {interaction.user}"
    return await grant_role(interaction.guild, submission, role_id, reason)


async def grant_role(
    guild: discord.Guild, submission: Submission, role_id: int, reason: str
) -> str:
    """Give an accepted applicant the form's role; what happened, for the reviewer."""
    try:
        member = await guild.fetch_member(submission.user_id)
    except discord.NotFound:
        return f"⚠️ <@{submission.user_id}> has left the server, so no role was given."
    try:
        await member.add_roles(discord.Object(role_id), reason=reason)
    except discord.Forbidden:
        return (
            f"⚠️ I could not give the <@&{role_id}> role: I need the Manage Roles permission "
            "and my highest role must be above it. The decision stands; give the role by hand."
        )
    except discord.HTTPException as error:
        return f"⚠️ Discord refused to give the <@&{role_id}> role (error {error.status})."
    return f"Role <@&{role_id}> given."


async def _tell_member(
    interaction: discord.Interaction, form: Form, submission: Submission, role_given: bool
) -> str:
    server = interaction.guild.name if interaction.guild else "the server"
    return await tell_member(interaction.client, server, form, submission, role_given)


async def tell_member(
    client: discord.Client, server: str, form: Form, submission: Submission, role_given: bool
) -> str:
    """DM the applicant the outcome; what happened, for the reviewer."""
    title = clip(form.title, 100)
    if submission.status is SubmissionStatus.ACCEPTED:
        text = f"✅ Your application {submission.ref} to “{title}” on **{server}** was accepted!"
        if role_given and form.accept_role_id:
            text += " You have been given a new role there."
    else:
        text = f"Your application {submission.ref} to “{title}” on **{server}** was not accepted."
    if submission.review_note:
        text += f"\nNote from staff: {submission.review_note}"
    try:
        channel = await client.create_dm(discord.Object(submission.user_id))
        await channel.send(clip(text, 2000), allowed_mentions=NO_PINGS)
    except discord.HTTPException as error:
        log.info("could not DM user %s: %s", submission.user_id, error)
        return f"📪 <@{submission.user_id}> does not accept DMs, so they were not told."
    return "Member told by DM."


def decided_embed(
    message: discord.Message | None, submission: Submission, notes: list[str]
) -> discord.Embed | None:
    if message is None or not message.embeds:
        return None
    embed = message.embeds[0].copy()
    accepted = submission.status is SubmissionStatus.ACCEPTED
    embed.colour = COLOUR_GOOD if accepted else COLOUR_BAD
    when = int((submission.reviewed_at or submission.created_at).timestamp())
    verdict = "✅ Accepted" if accepted else "❌ Rejected"
    lines = [f"{verdict} by <@{submission.reviewer_id}> <t:{when}:f>"]
    if submission.review_note:
        lines.append(f"Reason: {submission.review_note}")
    lines += notes
    embed.add_field(name="Decision", value=clip("\n".join(lines), FIELD_MAX), inline=False)
    embed.set_footer(text=f"Status: {submission.status}")
    return embed


async def decide(
    desk: TicketDesk,
    interaction: discord.Interaction,
    submission_id: int,
    accept: bool,
    note: str | None,
) -> None:
    await interaction.response.defer()  # we edit the review message itself, later
    actor, config = await desk.actor(interaction)
    forms = desk.services.forms
    submission = await forms.review(actor, submission_id, accept, note)
    form = await forms.get(actor, submission.form_id)
    notes: list[str] = []
    role_given = False
    if accept and form.accept_role_id:
        outcome = await _grant_role(interaction, submission, form.accept_role_id)
        role_given = outcome.startswith("Role")
        notes.append(outcome)
    notes.append(await _tell_member(interaction, form, submission, role_given))
    embed = decided_embed(interaction.message, submission, notes)
    if embed is not None:
        await interaction.edit_original_response(embed=embed, view=None)
    verdict = "accepted" if accept else "rejected"
    await send_ephemeral(interaction, f"Application {submission.ref} {verdict}. " + " ".join(notes))
    await desk.log_event(
        config,
        f"📝 Application {submission.ref} to “{clip(form.title, 100)}” by "
        f"<@{submission.user_id}> {verdict} by <@{actor.user_id}>",
    )


class AcceptButton(TargetButton, prefix="form:accept"):
    button_label = "Accept"
    button_style = discord.ButtonStyle.success

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        await decide(desk, interaction, self.target_id, True, None)


class RejectButton(TargetButton, prefix="form:reject"):
    button_label = "Reject"
    button_style = discord.ButtonStyle.danger

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        # Say so now, not after the reviewer has typed a reason.
        current = await desk.services.forms.get_submission(actor, self.target_id)
        if current.status is not SubmissionStatus.PENDING:
            who = f" by <@{current.reviewer_id}>" if current.reviewer_id else ""
            await send_ephemeral(
                interaction, f"Application {current.ref} was already {current.status}{who}."
            )
            return
        await RejectModal(self.target_id).show(interaction)


class RejectModal(RoutedModal, template=rf"form:reject-modal:(?P<id>{ANY}):{NONCE}"):
    reason: discord.ui.TextInput = discord.ui.TextInput(
        label="Reason (sent to the member)",
        style=discord.TextStyle.paragraph,
        max_length=1000,
        required=False,
        custom_id="reason",
    )

    def __init__(self, submission_id: int) -> None:
        super().__init__(
            title=f"Reject application #{submission_id}",
            custom_id=f"form:reject-modal:{submission_id}:{nonce()}",
        )

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        reason = values.text("reason") or None
        await decide(desk_of(interaction), interaction, id_in(match["id"]), False, reason)


REVIEW_ITEMS = (AcceptButton, RejectButton)
