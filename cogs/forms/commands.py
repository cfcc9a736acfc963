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

from cogs.forms.modals import FORMS_COG, FormFlow, NextPageButton, member_role_ids
from cogs.forms.review import REVIEW_ITEMS
from cogs.forms.submissions import SubmissionsPage, export_csv, render_submissions
from cogs.shared.buttons import TargetButton
from cogs.shared.desk import TicketDesk
from cogs.shared.ownership import server_ids
from cogs.shared.text import COLOUR_OPEN, clip, send_ephemeral
from core.errors import DomainError, InvalidInput
from core.form_models import Form
from core.form_schema import RAW_MAX_BYTES, definition_json
from core.form_template import template_json
from core.policy import require_admin
from core.validation import id_digits
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


def _choice(form: Form) -> app_commands.Choice[str]:
    state = "" if form.active else " (closed)"
    return app_commands.Choice(
        name=clip(f"{form.title}{state} · #{form.id}", 100), value=str(form.id)
    )


async def _definition_bytes(attachment: discord.Attachment) -> bytes:
    if attachment.size > RAW_MAX_BYTES:
        raise InvalidInput("definition", "definition.file_too_large", kb=RAW_MAX_BYTES // 1000)
    return await attachment.read()


class DeleteFormButton(TargetButton, prefix="form:delete"):
    button_label = "Delete the form"
    button_style = discord.ButtonStyle.danger

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, config = await desk.actor(interaction)
        form = await desk.services.forms.get(actor, self.target_id)
        removed = await desk.services.forms.delete(actor, self.target_id)
        await interaction.response.edit_message(
            content=f"Form {form.ref} “{clip(form.title, 100)}” was deleted with its "
            f"{removed} submission(s).",
            view=None,
        )
        await desk.log_event(
            config,
            f"🗑️ <@{actor.user_id}> deleted form {form.ref} “{clip(form.title, 100)}” "
            f"({removed} submissions)",
        )


@app_commands.guild_only()
class FormCommands(
    commands.GroupCog,
    name=FORMS_COG,
    group_name="forms",
    group_description="Application forms: apply, define, review",
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
        return [_choice(form) for form in found]

    async def _any_form(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        actor, _ = await self.desk.actor(interaction)
        try:
            found = await self.forms.list_all(actor)
        except DomainError:
            return []  # not staff, or applications off: the command itself will say why
        needle = current.strip().casefold().removeprefix("#")
        return [
            _choice(form)
            for form in found
            if needle in form.title.casefold() or needle == str(form.id)
        ][:25]

    # -- members --------------------------------------------------------------------------

    @app_commands.command(name="list", description="Forms you can fill in")
    async def list_forms(self, interaction: discord.Interaction) -> None:
        actor, _ = await self.desk.actor(interaction)
        items = await self.forms.list_for_member(actor, member_role_ids(interaction))
        blocks = []
        for item in items:
            form = item.form
            state = "open" if form.active else "closed"
            head = f"**{form.ref} {form.title}** · {state} · used {item.used}/{item.allowed}"
            lines = [head]
            if form.description:
                lines.append(clip(form.description, DESCRIPTION_SHOWN))
            lines.append(
                f"Apply with `/forms submit form:{form.id}`"
                if item.eligible
                else f"⛔ {say(item.reason) if item.reason else ''}"
            )
            blocks.append("\n".join(lines))
        text = "\n\n".join(blocks) or "There are no forms to fill in on this server right now."
        embed = discord.Embed(
            title="Application forms", description=clip(text, LIST_LIMIT), colour=COLOUR_OPEN
        )
        await send_ephemeral(interaction, "", embed=embed)

    @app_commands.command(name="submit", description="Fill in an application form")
    @app_commands.describe(form="The form to fill in")
    async def submit(self, interaction: discord.Interaction, form: str) -> None:
        await self.flow.start(interaction, parse_form_id(form))

    submit.autocomplete("form")(_eligible)

    # -- admins ---------------------------------------------------------------------------

    async def _admin(self, interaction: discord.Interaction):
        actor, config = await self.desk.actor(interaction)
        require_admin(actor)
        return actor, config

    @app_commands.command(name="template", description="Get an example form definition file")
    async def template(self, interaction: discord.Interaction) -> None:
        actor, _ = await self._admin(interaction)
        await self.forms.require_enabled(actor.guild_id)
        file = discord.File(io.BytesIO(template_json().encode()), filename="form-template.json")
        await send_ephemeral(
            interaction,
            "Here is a staff application using every question kind. Edit it (ids of channels "
            "and roles are numbers in quotes; `null` means none), then upload it with "
            "`/forms create definition:`.",
            file=file,
        )

    @app_commands.command(name="create", description="Create a form from a JSON definition file")
    @app_commands.describe(definition="The form's JSON file (see /forms template)")
    async def create(
        self, interaction: discord.Interaction, definition: discord.Attachment
    ) -> None:
        actor, config = await self._admin(interaction)
        raw = await _definition_bytes(definition)
        await interaction.response.defer(ephemeral=True, thinking=True)
        form = await self.forms.create(actor, raw, server_ids(interaction.guild))
        await send_ephemeral(interaction, self._saved("created", form, config.review_channel_id))
        await self.desk.log_event(
            config, f"📋 <@{actor.user_id}> created form {form.ref} “{clip(form.title, 100)}”"
        )

    @app_commands.command(
        name="edit", description="Replace a form's definition (without a file: get the current one)"
    )
    @app_commands.describe(
        form="The form to edit",
        definition="The new JSON file; leave out to download the current one",
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
                f"The definition of form {current.ref}. Change it and upload it with "
                f"`/forms edit form:{form_id} definition:`.",
                file=file,
            )
            return
        raw = await _definition_bytes(definition)
        await interaction.response.defer(ephemeral=True, thinking=True)
        updated = await self.forms.update(actor, form_id, raw, server_ids(interaction.guild))
        await send_ephemeral(interaction, self._saved("updated", updated, config.review_channel_id))
        await self.desk.log_event(config, f"📋 <@{actor.user_id}> edited form {updated.ref}")

    edit.autocomplete("form")(_any_form)

    @staticmethod
    def _saved(what: str, form: Form, guild_review_channel: int | None) -> str:
        state = "open" if form.active else "closed (open it with `/forms open`)"
        text = (
            f"✅ Form {form.ref} “{form.title}” {what}: {len(form.questions)} question(s), "
            f"{state}, {form.max_submissions_per_user} submission(s) per member. "
            f"Members apply with `/forms submit form:{form.id}`."
        )
        if not (form.review_channel_id or guild_review_channel):
            text += (
                "\n⚠️ There is no review channel: set `review_channel_id` in the form or run "
                "`/admin setup review_channel:`, or staff won't see submissions arrive."
            )
        return text

    async def _set_active(self, interaction: discord.Interaction, form: str, active: bool) -> None:
        actor, config = await self._admin(interaction)
        changed = await self.forms.set_active(actor, parse_form_id(form), active)
        word = "open: members can apply" if active else "closed: no new submissions"
        await send_ephemeral(interaction, f"Form {changed.ref} “{changed.title}” is {word}.")
        await self.desk.log_event(
            config, f"📋 <@{actor.user_id}> {'opened' if active else 'closed'} form {changed.ref}"
        )

    @app_commands.command(name="open", description="Start taking submissions for a form")
    async def open_form(self, interaction: discord.Interaction, form: str) -> None:
        await self._set_active(interaction, form, True)

    @app_commands.command(name="close", description="Stop taking submissions for a form")
    async def close_form(self, interaction: discord.Interaction, form: str) -> None:
        await self._set_active(interaction, form, False)

    open_form.autocomplete("form")(_any_form)
    close_form.autocomplete("form")(_any_form)

    @app_commands.command(name="delete", description="Delete a form and its submissions")
    async def delete(self, interaction: discord.Interaction, form: str) -> None:
        actor, _ = await self._admin(interaction)
        found = await self.forms.get(actor, parse_form_id(form))
        count = (await self.forms.list_submissions(actor, found.id, page_size=1)).total
        view = discord.ui.View(timeout=None)
        view.add_item(DeleteFormButton(found.id))
        await send_ephemeral(
            interaction,
            f"Delete form {found.ref} “{found.title}”? Its {count} submission(s) are deleted "
            "too and this can't be undone. To keep them readable, close the form instead "
            f"(`/forms close form:{found.id}`).",
            view=view,
        )

    delete.autocomplete("form")(_any_form)

    # -- staff ----------------------------------------------------------------------------

    @app_commands.command(name="submissions", description="List a form's submissions (staff)")
    @app_commands.describe(status="Only submissions with this status")
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

    @app_commands.command(name="export", description="Download a form's submissions as CSV (staff)")
    async def export(self, interaction: discord.Interaction, form: str) -> None:
        actor, _ = await self.desk.actor(interaction)
        form_id = parse_form_id(form)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found, file = await export_csv(self.desk.services, actor, form_id)
        await send_ephemeral(
            interaction, f"All submissions to form {found.ref} “{found.title}”.", file=file
        )

    submissions.autocomplete("form")(_any_form)
    export.autocomplete("form")(_any_form)


FORM_ITEMS = (NextPageButton, DeleteFormButton, SubmissionsPage, *REVIEW_ITEMS)
