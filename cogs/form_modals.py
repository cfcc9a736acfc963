"""Filling in a form: native modals page by page, Continue / Fix answers between them.

Each question is one `Label` holding the native component for its kind (text input,
select menu, checkbox, file upload), so a modal holds five questions. Each page is
checked as it comes in, and the whole form again by the service on the last page; a bad
answer re-opens only the page(s) holding it, with everything typed so far filled in.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from cogs.common import NO_PINGS, clip, send_ephemeral
from cogs.custom_ids import ANY, id_in
from cogs.desk import TicketDesk
from cogs.errors import guarded
from cogs.form_sessions import SESSION_TTL_SECONDS, FormSession, SessionStore
from core.form_answers import FILES_MAX, FormAnswersInvalid, validate_answers
from core.form_schema import TEXT_MAX, Question, QuestionKind

log = logging.getLogger(__name__)

MODAL_TITLE_MAX = 45
HINT_MAX = 100  # a Label's description
# Text input limits for kinds without their own max_length (as form_answers checks them).
TEXT_INPUT_MAX = {QuestionKind.NUMBER: 40, QuestionKind.EMAIL: 254, QuestionKind.URL: 2000}
EXPIRED = (
    "This application is no longer in progress: it was left unfinished for 30 minutes, "
    "started again from `/forms submit`, or the bot restarted meanwhile. "
    "Start again with `/forms submit`."
)


def member_role_ids(interaction: discord.Interaction) -> list[int]:
    return [role.id for role in getattr(interaction.user, "roles", [])]


# -- one page as a modal -----------------------------------------------------------------


def _hint(question: Question, previous: Any) -> str | None:
    parts: list[str] = []
    kind = question.kind
    if kind is QuestionKind.NUMBER:
        low, high = question.min_value, question.max_value
        if low is not None and high is not None:
            parts.append(f"A number from {low:g} to {high:g}")
        elif low is not None:
            parts.append(f"A number of at least {low:g}")
        elif high is not None:
            parts.append(f"A number of at most {high:g}")
        else:
            parts.append("A number")
    elif kind is QuestionKind.EMAIL:
        parts.append("An email address")
    elif kind is QuestionKind.URL:
        parts.append("A link starting with https://")
    elif kind is QuestionKind.MULTI_CHOICE:
        parts.append("Pick one or more")
    elif kind is QuestionKind.FILE:
        if previous:
            names = ", ".join(f["filename"] for f in previous if isinstance(f, dict))
            parts.append(f"Kept: {names}. Upload again to replace")
        else:
            parts.append(f"Up to {FILES_MAX} files")
    elif question.min_length:
        parts.append(f"At least {question.min_length} characters")
    if not question.required:
        parts.append("optional")
    return clip(" · ".join(parts), HINT_MAX) if parts else None


def _text_input(question: Question, previous: Any) -> discord.ui.TextInput:
    paragraph = question.kind is QuestionKind.PARAGRAPH
    text_kind = question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.PARAGRAPH)
    high = (
        question.max_length
        if question.max_length is not None
        else TEXT_INPUT_MAX.get(question.kind, TEXT_MAX)
    )
    high = max(1, min(high, TEXT_MAX))
    low = min(question.min_length or 0, high) if text_kind else 0
    default = None if previous is None else clip(str(previous), high)
    return discord.ui.TextInput(
        custom_id=question.id,
        style=discord.TextStyle.paragraph if paragraph else discord.TextStyle.short,
        placeholder=question.placeholder,
        required=question.required,
        min_length=low or None,
        max_length=high,
        default=default or None,
    )


def _select(question: Question, previous: Any) -> discord.ui.Select:
    chosen = {previous} if isinstance(previous, str) else set(previous or [])
    choices = question.choices or ()
    multi = question.kind is QuestionKind.MULTI_CHOICE
    return discord.ui.Select(
        custom_id=question.id,
        placeholder=question.placeholder,
        min_values=1 if question.required else 0,
        max_values=len(choices) if multi else 1,
        required=question.required,
        options=[
            discord.SelectOption(label=choice, value=choice, default=choice in chosen)
            for choice in choices
        ],
    )


def _component(question: Question, previous: Any) -> discord.ui.Item:
    match question.kind:
        case QuestionKind.CHOICE | QuestionKind.MULTI_CHOICE:
            return _select(question, previous)
        case QuestionKind.CHECKBOX:
            return discord.ui.Checkbox(custom_id=question.id, default=previous is True)
        case QuestionKind.FILE:
            # Discord can't pre-fill an upload: files kept from before need no new one.
            needed = question.required and not previous
            return discord.ui.FileUpload(
                custom_id=question.id,
                required=needed,
                min_values=1 if needed else 0,
                max_values=FILES_MAX,
            )
    return _text_input(question, previous)


def _answer(question: Question, item: discord.ui.Item, previous: Any) -> Any:
    if isinstance(item, discord.ui.TextInput):
        return item.value
    if isinstance(item, discord.ui.Select):
        return list(item.values)
    if isinstance(item, discord.ui.Checkbox):
        return item.value
    if isinstance(item, discord.ui.FileUpload):
        files = [{"filename": a.filename, "url": a.url, "size": a.size} for a in item.values]
        return files or previous
    raise AssertionError(f"no answer reader for {question.kind}")


def modal_title(form_title: str, page: int, pages: int) -> str:
    suffix = f" ({page + 1}/{pages})" if pages > 1 else ""
    return clip(form_title, MODAL_TITLE_MAX - len(suffix)) + suffix


class FormPageModal(discord.ui.Modal):
    def __init__(self, flow: FormFlow, session: FormSession, page: int) -> None:
        pages = session.pages
        # Lives as long as the session: a modal left open longer answers nothing.
        super().__init__(
            title=modal_title(session.form.title, page, len(pages)), timeout=SESSION_TTL_SECONDS
        )
        self.flow, self.session, self.page = flow, session, page
        self.items: list[tuple[Question, discord.ui.Item]] = []
        for question in pages[page]:
            previous = session.answers.get(question.id)
            item = _component(question, previous)
            self.items.append((question, item))
            self.add_item(
                discord.ui.Label(
                    text=question.label, description=_hint(question, previous), component=item
                )
            )

    def answers(self) -> dict[str, Any]:
        return {
            question.id: _answer(question, item, self.session.answers.get(question.id))
            for question, item in self.items
        }

    @guarded
    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.flow.page_submitted(interaction, self.session, self.page, self.answers())


# -- the button between pages -------------------------------------------------------------


class NextPageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"form:next:(?P<form>{ANY}):(?P<fix>[01])",
):
    """Continue (next page) or Fix answers (a page with a bad answer): both open the next
    page waiting in the member's session."""

    def __init__(self, form_id: int, *, fix: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Fix answers" if fix else "Continue",
                style=discord.ButtonStyle.danger if fix else discord.ButtonStyle.primary,
                custom_id=f"form:next:{form_id}:{int(fix)}",
            )
        )
        self.form_id = form_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> NextPageButton:
        return cls(id_in(match["form"]), fix=match["fix"] == "1")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> Any:
        await flow_of(interaction).open_next(interaction, self.form_id)


def flow_of(interaction: discord.Interaction) -> FormFlow:
    # Dynamic items are rebuilt by discord.py on every click; the forms cog owns the flow.
    cog = interaction.client.get_cog("Forms")  # type: ignore[attr-defined]
    return cog.flow  # type: ignore[union-attr]


def _next_view(form_id: int, *, fix: bool) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(NextPageButton(form_id, fix=fix))
    return view


def describe_errors(error: FormAnswersInvalid) -> str:
    lines = [f"• **{clip(error.labels[qid], 45)}**: {rule}" for qid, rule in error.errors.items()]
    return "\n".join(lines)


async def show(
    interaction: discord.Interaction, content: str, view: discord.ui.View | None = None
) -> None:
    """Answer a modal submit: a modal opened from a button replaces that button's message
    (so the member sees one message move forward); the first one sends a new message."""
    content = clip(content, 2000)
    if interaction.message is not None:
        if interaction.response.is_done():
            await interaction.edit_original_response(
                content=content, view=view, embed=None, allowed_mentions=NO_PINGS
            )
        else:
            await interaction.response.edit_message(
                content=content, view=view, embed=None, allowed_mentions=NO_PINGS
            )
        return
    if view is None:
        await send_ephemeral(interaction, content)
    else:
        await send_ephemeral(interaction, content, view=view)


# -- the flow -------------------------------------------------------------------------------


class FormFlow:
    def __init__(self, desk: TicketDesk, store: SessionStore | None = None) -> None:
        self.desk = desk
        self.store = store or SessionStore()

    async def start(self, interaction: discord.Interaction, form_id: int) -> None:
        """`/forms submit`: check the member may apply, then open the first page."""
        actor, _ = await self.desk.actor(interaction)
        availability = await self.desk.services.forms.check_can_submit(
            actor, form_id, member_role_ids(interaction)
        )
        session = self.store.start(actor.user_id, availability.form)
        await interaction.response.send_modal(FormPageModal(self, session, session.queue[0]))

    async def open_next(self, interaction: discord.Interaction, form_id: int) -> None:
        session = self.store.get(interaction.user.id, form_id)
        if session is None:
            await send_ephemeral(interaction, EXPIRED)
            return
        if not session.queue:
            session.restart()
        await interaction.response.send_modal(FormPageModal(self, session, session.queue[0]))

    async def page_submitted(
        self,
        interaction: discord.Interaction,
        session: FormSession,
        page: int,
        answers: dict[str, Any],
    ) -> None:
        if self.store.get(session.user_id, session.form.id) is not session:
            await send_ephemeral(interaction, EXPIRED)
            return
        session.answers.update(answers)
        if page in session.queue:
            session.queue.remove(page)
        # Check this page now, so a mistake is fixed while the member still remembers it.
        questions = session.pages[page]
        only_page = session.form.definition.model_copy(update={"questions": questions})
        try:
            validate_answers(only_page, {q.id: session.answers.get(q.id) for q in questions})
        except FormAnswersInvalid as bad:
            session.queue.insert(0, page)
            await self._ask_to_fix(interaction, session, bad)
            return
        if session.queue:
            total = len(session.pages)
            await show(
                interaction,
                f"**{clip(session.form.title, 100)}**: page {total - len(session.queue)} of "
                f"{total} saved. Press **Continue** for the next questions.",
                _next_view(session.form.id, fix=False),
            )
            return
        await self._submit(interaction, session)

    async def _ask_to_fix(
        self, interaction: discord.Interaction, session: FormSession, bad: FormAnswersInvalid
    ) -> None:
        await show(
            interaction,
            "Some answers need fixing:\n"
            + describe_errors(bad)
            + "\nYour other answers are kept. Press **Fix answers** to correct them.",
            _next_view(session.form.id, fix=True),
        )

    async def _submit(self, interaction: discord.Interaction, session: FormSession) -> None:
        from cogs.form_review import post_for_review

        if interaction.message is not None:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
        actor, config = await self.desk.actor(interaction)
        forms = self.desk.services.forms
        try:
            submission = await forms.submit(
                actor, session.form.id, member_role_ids(interaction), session.answers
            )
        except FormAnswersInvalid as bad:
            known = {q.id for q in session.form.questions}
            if not set(bad.errors) <= known:  # the form was edited meanwhile
                self.store.finish(session.user_id, session.form.id)
                await show(interaction, str(bad))
                return
            session.ask_again(list(bad.errors))
            await self._ask_to_fix(interaction, session, bad)
            return
        self.store.finish(session.user_id, session.form.id)
        form = session.form  # as the member saw it; the review channel rarely changes
        posted = await post_for_review(self.desk, config, form, submission)
        text = (
            f"✅ Thank you! Your application {submission.ref} to “{clip(form.title, 100)}” "
            "was received. Staff will review it and you'll be told the outcome by DM."
        )
        if not posted:
            text += " (Staff were not notified automatically; they can find it with "
            text += "`/forms submissions`.)"
        await show(interaction, text)
