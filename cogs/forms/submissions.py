"""Staff's view of a form's submissions: a paged list and a CSV export."""

from __future__ import annotations

import csv
import io
import re
from typing import Self

import discord

from cogs.forms.answers import format_answer, verdict_word
from cogs.shared.buttons import PersistentButton
from cogs.shared.custom_ids import ANY, id_in, page_in
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.pager import page_label, pager
from cogs.shared.text import COLOUR_OPEN, clip, user_mention
from core.form_models import Form, Submission
from core.models import Actor, Page
from core.services import Services
from i18n import Speech

EXPORT_PAGE = 100


def submissions_embed(
    form: Form, page: Page[Submission], status: str | None, t: Speech
) -> discord.Embed:
    lines = []
    for item in page.items:
        when = int(item.created_at.timestamp())
        verdict = verdict_word(item.status, t)
        line = f"**{item.ref}** <@{item.user_id}> · {verdict} · <t:{when}:R>"
        if item.reviewer_id:
            line += " · " + t._("by {user}", user=user_mention(item.reviewer_id))
        if item.review_message_id and item.review_channel_id:
            url = "/".join(
                ("https://discord.com/channels", str(form.guild_id), str(item.review_channel_id))
            )
            link = f"{url}/{item.review_message_id}"
            line += " · " + t._("[open]({link})", link=link)
        lines.append(line)
    if status:
        title = t._(
            "Submissions to {title} ({status})",
            title=form.title,
            status=verdict_word(status, t),
        )
    else:
        title = t._("Submissions to {title}", title=form.title)
    embed = discord.Embed(
        title=clip(title, 256),
        description="\n".join(lines) or t._("No submissions yet."),
        colour=COLOUR_OPEN,
    )
    embed.set_footer(
        text=t._(
            "Page {page} of {pages} · {count} in all",
            page=page.page + 1,
            pages=page.page_count,
            count=t.number(page.total),
        )
    )
    return embed


class SubmissionsPage(
    PersistentButton,
    template=rf"form:subs:(?P<form>{ANY}):(?P<status>[a-z]*):(?P<page>{ANY}):(?P<dir>[np])",
):
    """Next / Previous for /forms submissions; form, filter and page ride in the custom_id."""

    def __init__(self, form_id: int, status: str, page: int, *, forward: bool, disabled: bool):
        super().__init__(
            f"form:subs:{form_id}:{status}:{page}:{'n' if forward else 'p'}",
            label=page_label(forward),
            disabled=disabled,
        )
        self.form_id, self.status, self.page = form_id, status, page

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        return cls(
            id_in(match["form"]),
            match["status"],
            page_in(match["page"]),
            forward=match["dir"] == "n",
            disabled=False,
        )

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        embed, view = await render_submissions(
            desk, interaction, self.form_id, self.status, self.page
        )
        await interaction.response.edit_message(embed=embed, view=view)


async def render_submissions(
    desk: TicketDesk, interaction: discord.Interaction, form_id: int, status: str, page: int
) -> tuple[discord.Embed, discord.ui.View | None]:
    actor, _ = await desk.actor(interaction)
    forms = desk.services.forms
    result = await forms.list_submissions(actor, form_id, status or None, page)
    form = await forms.get(actor, form_id)

    def make(target: int, forward: bool, disabled: bool) -> SubmissionsPage:
        return SubmissionsPage(form_id, status, target, forward=forward, disabled=disabled)

    view = pager(make, result.page, result.page_count)
    return submissions_embed(form, result, status or None, member_speech(interaction)), view


async def export_csv(
    services: Services, actor: Actor, form_id: int, t: Speech
) -> tuple[Form, discord.File]:
    """Every submission of a form, one row each, one column per question (oldest first);
    the column names are fixed (tools read them), the answers' own words in `t`'s language."""
    forms = services.forms
    form = await forms.get(actor, form_id)
    found: list[Submission] = []
    page = 0
    while True:
        result = await forms.list_submissions(actor, form_id, page=page, page_size=EXPORT_PAGE)
        found += result.items
        if not result.has_next:
            break
        page += 1
    out = io.StringIO()
    writer = csv.writer(out)
    fixed = ["submission", "user_id", "status", "created_at", "reviewer_id", "reviewed_at", "note"]
    writer.writerow(fixed + [_cell(question.label) for question in form.questions])
    for item in reversed(found):
        reviewed = item.reviewed_at.isoformat() if item.reviewed_at else ""
        row = [item.id, item.user_id, item.status.value, item.created_at.isoformat()]
        row += [item.reviewer_id or "", reviewed, _cell(item.review_note or "")]
        row += [
            _cell(format_answer(question, item.answers.get(question.id), t))
            for question in form.questions
        ]
        writer.writerow(row)
    data = io.BytesIO(out.getvalue().encode("utf-8-sig"))  # the BOM makes Excel read UTF-8
    return form, discord.File(data, filename=f"form-{form.id}-submissions.csv")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    # Spreadsheets run cells starting with these as formulas; people's text (members'
    # answers, staff's notes, admins' labels) must not be.
    return "'" + text if text.startswith(FORMULA_STARTS) else text
