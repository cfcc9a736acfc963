"""/forms: members apply, admins define forms from JSON files, staff list submissions.

Discord can only hide a whole command group by permission, and /forms mixes member and
admin subcommands, so the admin ones are guarded by the service (`require_admin`) alone.
"""

from __future__ import annotations

import io
import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.forms.manage import DeleteFormButton, saved_text
from cogs.forms.modals import FORMS_COG, FormFlow, NextPageButton, member_role_ids
from cogs.forms.review import REVIEW_ITEMS
from cogs.forms.submissions import SubmissionsPage, export_csv, render_submissions
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.ownership import server_ids
from cogs.shared.text import COLOUR_OPEN, clip, send_ephemeral, user_mention
from core.errors import DomainError, InvalidInput
from core.form_models import Form
from core.form_schema import RAW_MAX_BYTES, definition_json
from core.form_template import template_json
from core.policy import require_admin
from core.validation import id_digits
from i18n import N_, Speech
from wording.catalogue import say

log = logging.getLogger(__name__)

StatusChoice = Literal["pending", "accepted", "rejected"]
DESCRIPTION_SHOWN = 200
LIST_LIMIT = 4000


def parse_form_id(value: str) -> int:
    # Strict ASCII digits; a number no form has is answered "not found" by the service.
    number = id_digits(value.strip().removeprefix("#"))
    if number is None:
        raise InvalidInput("form", "form.pick")
    return number


def _choice(form: Form, t: Speech) -> app_commands.Choice[str]:
    if form.active:
        name = f"{form.title} · #{form.id}"
    else:
        name = t._("{title} (closed) · #{form_id}", title=form.title, form_id=form.id)
    return app_commands.Choice(name=clip(name, 100), value=str(form.id))


async def _definition_bytes(attachment: discord.Attachment) -> bytes:
    if attachment.size > RAW_MAX_BYTES:
        raise InvalidInput("definition", "definition.file_too_large", kb=RAW_MAX_BYTES // 1000)
    return await attachment.read()


@app_commands.guild_only()
class FormCommands(
    commands.GroupCog,
    name=FORMS_COG,
    group_name="forms",
    group_description=N_("Application forms: apply, define, review"),
):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.forms = desk.services.forms
        self.flow = FormFlow(desk)
        super().__init__()

    # -- autocomplete ---------------------------------------------------------------------

    async def _eligible(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        actor, _ = await self.desk.actor(interaction)
        found = await self.forms.eligible_forms(actor, member_role_ids(interaction), current)
        return [_choice(form, member_speech(interaction)) for form in found]

    async def _any_form(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        actor, _ = await self.desk.actor(interaction)
        try:
            found = await self.forms.list_all(actor)
        except DomainError:
            return []  # not staff, or applications off: the command itself will say why
        needle = current.strip().casefold().removeprefix("#")
        t = member_speech(interaction)
        return [
            _choice(form, t)
            for form in found
            if needle in form.title.casefold() or needle == str(form.id)
        ][:25]

    # -- members --------------------------------------------------------------------------

    @app_commands.command(name="list", description=N_("Forms you can fill in"))
    async def list_forms(self, interaction: discord.Interaction) -> None:
        actor, _ = await self.desk.actor(interaction)
        t = member_speech(interaction)
        items = await self.forms.list_for_member(actor, member_role_ids(interaction))
        blocks = []
        for item in items:
            form = item.form
            facts = dict(ref=form.ref, title=form.title, used=item.used, allowed=item.allowed)
            head = (
                t._("**{ref} {title}** · open · used {used}/{allowed}", **facts)
                if form.active
                else t._("**{ref} {title}** · closed · used {used}/{allowed}", **facts)
            )
            lines = [head]
            if form.description:
                lines.append(clip(form.description, DESCRIPTION_SHOWN))
            lines.append(
                t._("Apply with `/forms submit form:{form_id}`", form_id=form.id)
                if item.eligible
                else f"⛔ {say(item.reason, t) if item.reason else ''}"
            )
            blocks.append("\n".join(lines))
        text = "\n\n".join(blocks) or t._("There are no forms to fill in on this server right now.")
        embed = discord.Embed(
            title=t._("Application forms"), description=clip(text, LIST_LIMIT), colour=COLOUR_OPEN
        )
        await send_ephemeral(interaction, "", embed=embed)

    @app_commands.command(name="submit", description=N_("Fill in an application form"))
    @app_commands.describe(form=N_("The form to fill in"))
    async def submit(self, interaction: discord.Interaction, form: str) -> None:
        await self.flow.start(interaction, parse_form_id(form))

    submit.autocomplete("form")(_eligible)

    # -- admins ---------------------------------------------------------------------------

    async def _admin(self, interaction: discord.Interaction):
        actor, config = await self.desk.actor(interaction)
        require_admin(actor)
        return actor, config

    @app_commands.command(name="template", description=N_("Get an example form definition file"))
    async def template(self, interaction: discord.Interaction) -> None:
        actor, _ = await self._admin(interaction)
        await self.forms.require_enabled(actor.guild_id)
        file = discord.File(io.BytesIO(template_json().encode()), filename="form-template.json")
        await send_ephemeral(
            interaction,
            member_speech(interaction)._(
                "Here is a staff application using every question kind. Edit it (ids of "
                "channels and roles are numbers in quotes; `null` means none), then upload it "
                "with `/forms create definition:`."
            ),
            file=file,
        )

    @app_commands.command(
        name="create", description=N_("Create a form from a JSON definition file")
    )
    @app_commands.describe(definition=N_("The form's JSON file (see /forms template)"))
    async def create(
        self, interaction: discord.Interaction, definition: discord.Attachment
    ) -> None:
        actor, config = await self._admin(interaction)
        raw = await _definition_bytes(definition)
        await interaction.response.defer(ephemeral=True, thinking=True)
        form = await self.forms.create(actor, raw, server_ids(interaction.guild))
        t = member_speech(interaction)
        await send_ephemeral(interaction, saved_text(t, True, form, config.review_channel_id))
        await self.desk.log_event(
            config,
            self.desk.server_speech(config)._(
                "📋 {user} created form {ref} “{title}”",
                user=user_mention(actor.user_id),
                ref=form.ref,
                title=clip(form.title, 100),
            ),
        )

    @app_commands.command(
        name="edit",
        description=N_("Replace a form's definition (without a file: get the current one)"),
    )
    @app_commands.describe(
        form=N_("The form to edit"),
        definition=N_("The new JSON file; leave out to download the current one"),
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        form: str,
        definition: discord.Attachment | None = None,
    ) -> None:
        actor, config = await self._admin(interaction)
        form_id = parse_form_id(form)
        if definition is None:
            current = await self.forms.get(actor, form_id)
            file = discord.File(
                io.BytesIO(definition_json(current.definition).encode()),
                filename=f"form-{form_id}.json",
            )
            await send_ephemeral(
                interaction,
                member_speech(interaction)._(
                    "The definition of form {ref}. Change it and upload it with "
                    "`/forms edit form:{form_id} definition:`.",
                    ref=current.ref,
                    form_id=form_id,
                ),
                file=file,
            )
            return
        raw = await _definition_bytes(definition)
        await interaction.response.defer(ephemeral=True, thinking=True)
        updated = await self.forms.update(actor, form_id, raw, server_ids(interaction.guild))
        t = member_speech(interaction)
        await send_ephemeral(interaction, saved_text(t, False, updated, config.review_channel_id))
        await self.desk.log_event(
            config,
            self.desk.server_speech(config)._(
                "📋 {user} edited form {ref}", user=user_mention(actor.user_id), ref=updated.ref
            ),
        )

    edit.autocomplete("form")(_any_form)

    async def _set_active(self, interaction: discord.Interaction, form: str, active: bool) -> None:
        actor, config = await self._admin(interaction)
        changed = await self.forms.set_active(actor, parse_form_id(form), active)
        t, server = member_speech(interaction), self.desk.server_speech(config)
        facts = dict(ref=changed.ref, title=changed.title)
        await send_ephemeral(
            interaction,
            t._("Form {ref} “{title}” is open: members can apply.", **facts)
            if active
            else t._("Form {ref} “{title}” is closed: no new submissions.", **facts),
        )
        user = user_mention(actor.user_id)
        await self.desk.log_event(
            config,
            server._("📋 {user} opened form {ref}", user=user, ref=changed.ref)
            if active
            else server._("📋 {user} closed form {ref}", user=user, ref=changed.ref),
        )

    @app_commands.command(name="open", description=N_("Start taking submissions for a form"))
    @app_commands.describe(form=N_("The form to open"))
    async def open_form(self, interaction: discord.Interaction, form: str) -> None:
        await self._set_active(interaction, form, True)

    @app_commands.command(name="close", description=N_("Stop taking submissions for a form"))
    @app_commands.describe(form=N_("The form to close"))
    async def close_form(self, interaction: discord.Interaction, form: str) -> None:
        await self._set_active(interaction, form, False)

    open_form.autocomplete("form")(_any_form)
    close_form.autocomplete("form")(_any_form)

    @app_commands.command(name="delete", description=N_("Delete a form and its submissions"))
    @app_commands.describe(form=N_("The form to delete"))
    async def delete(self, interaction: discord.Interaction, form: str) -> None:
        actor, _ = await self._admin(interaction)
        found = await self.forms.get(actor, parse_form_id(form))
        count = (await self.forms.list_submissions(actor, found.id, page_size=1)).total
        t = member_speech(interaction)
        view = discord.ui.View(timeout=None)
        view.add_item(DeleteFormButton(found.id, t))
        await send_ephemeral(
            interaction,
            t.ngettext(
                "Delete form {ref} “{title}”? Its {count} submission is deleted too and this "
                "can't be undone. To keep it readable, close the form instead "
                "(`/forms close form:{form_id}`).",
                "Delete form {ref} “{title}”? Its {count} submissions are deleted too and this "
                "can't be undone. To keep them readable, close the form instead "
                "(`/forms close form:{form_id}`).",
                count,
                ref=found.ref,
                title=found.title,
                form_id=found.id,
            ),
            view=view,
        )

    delete.autocomplete("form")(_any_form)

    # -- staff ----------------------------------------------------------------------------

    @app_commands.command(name="submissions", description=N_("List a form's submissions (staff)"))
    @app_commands.describe(
        form=N_("The form whose submissions to list"),
        status=N_("Only submissions with this status"),
    )
    async def submissions(
        self, interaction: discord.Interaction, form: str, status: StatusChoice | None = None
    ) -> None:
        embed, view = await render_submissions(
            self.desk, interaction, parse_form_id(form), status or "", 0
        )
        if view is None:
            await send_ephemeral(interaction, "", embed=embed)
        else:
            await send_ephemeral(interaction, "", embed=embed, view=view)

    @app_commands.command(
        name="export", description=N_("Download a form's submissions as CSV (staff)")
    )
    @app_commands.describe(form=N_("The form whose submissions to export"))
    async def export(self, interaction: discord.Interaction, form: str) -> None:
        actor, _ = await self.desk.actor(interaction)
        form_id = parse_form_id(form)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found, file = await export_csv(
            self.desk.services, actor, form_id, member_speech(interaction)
        )
        text = member_speech(interaction)._(
            "All submissions to form {ref} “{title}”.", ref=found.ref, title=found.title
        )
        await send_ephemeral(interaction, text, file=file)

    submissions.autocomplete("form")(_any_form)
    export.autocomplete("form")(_any_form)


FORM_ITEMS = (NextPageButton, DeleteFormButton, SubmissionsPage, *REVIEW_ITEMS)
