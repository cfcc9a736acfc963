"""Submissions in the review channel: a readable embed with Accept / Reject buttons.

The buttons are DynamicItems carrying the submission id, so they work after a restart.
The service decides who wins when two staff click at once; the loser is told who did.
The review channel and the member's DM speak the server's language; the reviewer is
answered in their own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import discord

from cogs.forms.answers import FIELD_MAX, review_embed, verdict_word
from cogs.shared.buttons import TargetButton
from cogs.shared.custom_ids import ANY, id_in
from cogs.shared.desk import TicketDesk, desk_of
from cogs.shared.language import member_speech
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.ownership import belongs_here
from cogs.shared.submitted import Submitted
from cogs.shared.text import (
    COLOUR_BAD,
    COLOUR_GOOD,
    NO_PINGS,
    channel_mention,
    clip,
    role_mention,
    send_ephemeral,
    user_mention,
)
from core.form_models import Form, Submission, SubmissionStatus
from core.forms import FormService
from core.models import GuildConfig
from i18n import N_, Speech

log = logging.getLogger(__name__)

# A note about a decision, in whichever language it is read in.
Note = Callable[[Speech], str]


def review_view(submission_id: int, t: Speech) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AcceptButton(submission_id, t))
    view.add_item(RejectButton(submission_id, t))
    return view


async def post_for_review(
    desk: TicketDesk, config: GuildConfig, form: Form, submission: Submission
) -> bool:
    """Post a new submission to its review channel; False when staff could not be shown it
    (the submission is kept either way and listed by `/forms submissions`)."""
    channel_id = FormService.review_channel_for(form, config)
    channel = desk.bot.get_channel(channel_id) if channel_id else None
    server = desk.server_speech(config)
    title = clip(form.title, 100)
    # get_channel looks in every server; a review channel elsewhere (saved before ids were
    # checked) must never receive this server's answers.
    if not isinstance(channel, discord.abc.Messageable) or not belongs_here(channel, form.guild_id):
        await desk.log_event(
            config,
            server._(
                "⚠️ Application {ref} to “{title}” has no review channel to go to; set one "
                "with `/admin setup review_channel:`.",
                ref=submission.ref,
                title=title,
            ),
        )
        return False
    embed, file = review_embed(form, submission, server)
    extra: dict[str, Any] = {"file": file} if file else {}
    try:
        message = await channel.send(
            embed=embed,
            view=review_view(submission.id, server),
            allowed_mentions=NO_PINGS,
            **extra,
        )
    except discord.HTTPException as error:
        log.warning("could not post submission %s for review: %s", submission.id, error)
        await desk.log_event(
            config,
            server._(
                "⚠️ I could not post application {ref} in {channel} (error {status}); check "
                "my permissions there.",
                ref=submission.ref,
                channel=channel_mention(channel_id),
                status=error.status,
            ),
        )
        return False
    await desk.services.forms.attach_review_message(submission.id, message.channel.id, message.id)
    await desk.log_event(
        config,
        server._(
            "📝 New application {ref} to “{title}” from {user}: {link}",
            ref=submission.ref,
            title=title,
            user=user_mention(submission.user_id),
            link=message.jump_url,
        ),
    )
    return True


# -- deciding -------------------------------------------------------------------------------


async def _grant_role(
    interaction: discord.Interaction, submission: Submission, role_id: int
) -> tuple[bool, Note]:
    assert interaction.guild is not None
    reason = f"Application {submission.ref} accepted by {interaction.user}"  # audit log
    return await grant_role(interaction.guild, submission, role_id, reason)


async def grant_role(
    guild: discord.Guild, submission: Submission, role_id: int, reason: str
) -> tuple[bool, Note]:
    """Give an accepted applicant the form's role: (given, what to say about it, in any
    language)."""
    user, role = user_mention(submission.user_id), role_mention(role_id)
    try:
        member = await guild.fetch_member(submission.user_id)
    except discord.NotFound:
        return False, lambda t: t._(
            "⚠️ {user} has left the server, so no role was given.", user=user
        )
    try:
        await member.add_roles(discord.Object(role_id), reason=reason)
    except discord.Forbidden:
        return False, lambda t: t._(
            "⚠️ I could not give the {role} role: I need the Manage Roles permission and my "
            "highest role must be above it. The decision stands; give the role by hand.",
            role=role,
        )
    except discord.HTTPException as error:
        status = error.status
        return False, lambda t: t._(
            "⚠️ Discord refused to give the {role} role (error {status}).",
            role=role,
            status=status,
        )
    return True, lambda t: t._("Role {role} given.", role=role)


async def _tell_member(
    interaction: discord.Interaction,
    form: Form,
    submission: Submission,
    role_given: bool,
    server: Speech,
) -> Note:
    name = interaction.guild.name if interaction.guild else server._("the server")
    return await tell_member(interaction.client, name, form, submission, role_given, server)


async def tell_member(
    client: discord.Client,
    name: str,
    form: Form,
    submission: Submission,
    role_given: bool,
    server: Speech,
) -> Note:
    """DM the applicant the outcome in the server's language `server` (server `name`);
    what to say about the DM, in any language."""
    facts = dict(ref=submission.ref, title=clip(form.title, 100), server=name)
    if submission.status is SubmissionStatus.ACCEPTED:
        text = server._(
            "✅ Your application {ref} to “{title}” on **{server}** was accepted!", **facts
        )
        if role_given and form.accept_role_id:
            text += " " + server._("You have been given a new role there.")
    else:
        text = server._(
            "Your application {ref} to “{title}” on **{server}** was not accepted.", **facts
        )
    if submission.review_note:
        text += "\n" + server._("Note from staff: {note}", note=submission.review_note)
    try:
        channel = await client.create_dm(discord.Object(submission.user_id))
        await channel.send(clip(text, 2000), allowed_mentions=NO_PINGS)
    except discord.HTTPException as error:
        log.info("could not DM user %s: %s", submission.user_id, error)
        user = user_mention(submission.user_id)
        return lambda t: t._("📪 {user} does not accept DMs, so they were not told.", user=user)
    return lambda t: t._("Member told by DM.")


def decided_embed(
    message: discord.Message | None, submission: Submission, notes: list[str], t: Speech
) -> discord.Embed | None:
    if message is None or not message.embeds:
        return None
    embed = message.embeds[0].copy()
    accepted = submission.status is SubmissionStatus.ACCEPTED
    embed.colour = COLOUR_GOOD if accepted else COLOUR_BAD
    when = f"<t:{int((submission.reviewed_at or submission.created_at).timestamp())}:f>"
    reviewer = user_mention(submission.reviewer_id)
    lines = [
        t._("✅ Accepted by {user} {when}", user=reviewer, when=when)
        if accepted
        else t._("❌ Rejected by {user} {when}", user=reviewer, when=when)
    ]
    if submission.review_note:
        lines.append(t._("Reason: {reason}", reason=submission.review_note))
    lines += notes
    embed.add_field(name=t._("Decision"), value=clip("\n".join(lines), FIELD_MAX), inline=False)
    embed.set_footer(text=t._("Status: {status}", status=verdict_word(submission.status, t)))
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
    server, t = desk.server_speech(config), member_speech(interaction)
    notes: list[Note] = []
    role_given = False
    if accept and form.accept_role_id:
        role_given, outcome = await _grant_role(interaction, submission, form.accept_role_id)
        notes.append(outcome)
    notes.append(await _tell_member(interaction, form, submission, role_given, server))
    embed = decided_embed(interaction.message, submission, [n(server) for n in notes], server)
    if embed is not None:
        await interaction.edit_original_response(embed=embed, view=None)
    told = " ".join(n(t) for n in notes)
    facts = dict(ref=submission.ref, notes=told)
    await send_ephemeral(
        interaction,
        t._("Application {ref} accepted. {notes}", **facts)
        if accept
        else t._("Application {ref} rejected. {notes}", **facts),
    )
    facts = dict(
        ref=submission.ref,
        title=clip(form.title, 100),
        member=user_mention(submission.user_id),
        user=user_mention(actor.user_id),
    )
    await desk.log_event(
        config,
        server._("📝 Application {ref} to “{title}” by {member} accepted by {user}", **facts)
        if accept
        else server._("📝 Application {ref} to “{title}” by {member} rejected by {user}", **facts),
    )


class AcceptButton(TargetButton, prefix="form:accept"):
    button_label = N_("Accept")
    button_style = discord.ButtonStyle.success

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        await decide(desk, interaction, self.target_id, True, None)


class RejectButton(TargetButton, prefix="form:reject"):
    button_label = N_("Reject")
    button_style = discord.ButtonStyle.danger

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        # Say so now, not after the reviewer has typed a reason.
        current = await desk.services.forms.get_submission(actor, self.target_id)
        t = member_speech(interaction)
        if current.status is not SubmissionStatus.PENDING:
            facts = dict(ref=current.ref, status=verdict_word(current.status, t))
            await send_ephemeral(
                interaction,
                t._(
                    "Application {ref} was already {status} by {user}.",
                    user=user_mention(current.reviewer_id),
                    **facts,
                )
                if current.reviewer_id
                else t._("Application {ref} was already {status}.", **facts),
            )
            return
        await RejectModal(self.target_id, t).show(interaction)


class RejectModal(RoutedModal, template=rf"form:reject-modal:(?P<id>{ANY}):{NONCE}"):
    reason: discord.ui.TextInput = discord.ui.TextInput(
        label=N_("Reason (sent to the member)"),
        style=discord.TextStyle.paragraph,
        max_length=1000,
        required=False,
        custom_id="reason",
    )

    def __init__(self, submission_id: int, t: Speech) -> None:
        super().__init__(
            title=t._("Reject application #{submission_id}", submission_id=submission_id),
            custom_id=f"form:reject-modal:{submission_id}:{nonce()}",
        )
        self.reason.label = t._("Reason (sent to the member)")

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        reason = values.text("reason") or None
        await decide(desk_of(interaction), interaction, id_in(match["id"]), False, reason)


REVIEW_ITEMS = (AcceptButton, RejectButton)
