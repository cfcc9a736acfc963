"""Managing forms: what an admin is told on saving one, and deleting one."""

from __future__ import annotations

import discord

from cogs.shared.buttons import TargetButton
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.text import clip, user_mention
from core.form_models import Form
from i18n import N_, Speech


def saved_text(t: Speech, created: bool, form: Form, guild_review_channel: int | None) -> str:
    """What an admin is told when a form is created (`created`) or its definition replaced."""
    questions = t.ngettext("{count} question", "{count} questions", len(form.questions))
    per_member = t.ngettext(
        "{count} submission per member",
        "{count} submissions per member",
        form.max_submissions_per_user,
    )
    facts = dict(ref=form.ref, title=form.title, questions=questions, per_member=per_member)
    if created and form.active:
        text = t._("✅ Form {ref} “{title}” created: {questions}, open, {per_member}.", **facts)
    elif created:
        text = t._(
            "✅ Form {ref} “{title}” created: {questions}, closed (open it with "
            "`/forms open`), {per_member}.",
            **facts,
        )
    elif form.active:
        text = t._("✅ Form {ref} “{title}” updated: {questions}, open, {per_member}.", **facts)
    else:
        text = t._(
            "✅ Form {ref} “{title}” updated: {questions}, closed (open it with "
            "`/forms open`), {per_member}.",
            **facts,
        )
    text += " " + t._("Members apply with `/forms submit form:{form_id}`.", form_id=form.id)
    if not (form.review_channel_id or guild_review_channel):
        text += "\n" + t._(
            "⚠️ There is no review channel: set `review_channel_id` in the form or run "
            "`/admin setup review_channel:`, or staff won't see submissions arrive."
        )
    return text


class DeleteFormButton(TargetButton, prefix="form:delete"):
    button_label = N_("Delete the form")
    button_style = discord.ButtonStyle.danger

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, config = await desk.actor(interaction)
        form = await desk.services.forms.get(actor, self.target_id)
        removed = await desk.services.forms.delete(actor, self.target_id)
        t, title = member_speech(interaction), clip(form.title, 100)
        await interaction.response.edit_message(
            content=t.ngettext(
                "Form {ref} “{title}” was deleted with its {count} submission.",
                "Form {ref} “{title}” was deleted with its {count} submissions.",
                removed,
                ref=form.ref,
                title=title,
            ),
            view=None,
        )
        server = desk.server_speech(config)
        await desk.log_event(
            config,
            server.ngettext(
                "🗑️ {user} deleted form {ref} “{title}” ({count} submission)",
                "🗑️ {user} deleted form {ref} “{title}” ({count} submissions)",
                removed,
                user=user_mention(actor.user_id),
                ref=form.ref,
                title=title,
            ),
        )
