"""Filling in a form: native modals page by page, Continue / Fix answers between them.

Each question is one `Label` holding the native component for its kind (text input,
select menu, checkbox, file upload), so a modal holds five questions. Each page is
checked as it comes in, and the whole form again by the service on the last page; a bad
answer re-opens only the page(s) holding it, with everything typed so far filled in.
A page is answered from its submit (cogs/shared/modals.py), so however long the member takes
over it, it counts; after a restart it starts a fresh session that asks again for any
page that was lost with the old one.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Self

import discord
from discord.ext.commands import Bot

from cogs.forms.review import post_for_review
from cogs.forms.sessions import FormSession, SessionStore
from cogs.shared.buttons import PersistentButton
from cogs.shared.custom_ids import ANY, id_in, page_in
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.submitted import Submitted
from cogs.shared.text import NO_PINGS, Typed, clip, give_back, send_ephemeral
from core.errors import DomainError
from core.form_answers import FILES_MAX, FormAnswersInvalid, validate_answers
from core.form_schema import TEXT_MAX, Question, QuestionKind
from i18n import N_, Speech
from wording.catalogue import error_text, say

log = logging.getLogger(__name__)

FORMS_COG = "Forms"  # the name of the cog that keeps the flow (cogs/forms/commands.py)

MODAL_TITLE_MAX = 45
HINT_MAX = 100  # a Label's description
# Text input limits for kinds without their own max_length (as form_answers checks them).
TEXT_INPUT_MAX = {QuestionKind.NUMBER: 40, QuestionKind.EMAIL: 254, QuestionKind.URL: 2000}
CHANGED = N_(
    "This form was changed while you were filling it in, so these answers no longer fit "
    "its questions. Start again with `/forms submit`."
)
EXPIRED = N_(
    "This application is no longer in progress: it was left unfinished for 30 minutes, "
    "started again from `/forms submit`, or the bot restarted meanwhile. "
    "Start again with `/forms submit`."
)


def member_role_ids(interaction: discord.Interaction) -> list[int]:
    return [role.id for role in getattr(interaction.user, "roles", [])]


# -- one page as a modal -----------------------------------------------------------------


def _hint(question: Question, previous: Any, t: Speech) -> str | None:
    parts: list[str] = []
    kind = question.kind
    if kind is QuestionKind.NUMBER:
        low, high = question.min_value, question.max_value
        if low is not None and high is not None:
            parts.append(
                t._("A number from {low} to {high}", low=t.number(low), high=t.number(high))
            )
        elif low is not None:
            parts.append(t._("A number of at least {low}", low=t.number(low)))
        elif high is not None:
            parts.append(t._("A number of at most {high}", high=t.number(high)))
        else:
            parts.append(t._("A number"))
    elif kind is QuestionKind.EMAIL:
        parts.append(t._("An email address"))
    elif kind is QuestionKind.URL:
        parts.append(t._("A link starting with https://"))
    elif kind is QuestionKind.MULTI_CHOICE:
        parts.append(t._("Pick one or more"))
    elif kind is QuestionKind.FILE:
        if previous:
            names = ", ".join(f["filename"] for f in previous if isinstance(f, dict))
            parts.append(t._("Kept: {files}. Upload again to replace", files=names))
        else:
            parts.append(t.ngettext("Up to {count} file", "Up to {count} files", FILES_MAX))
    elif question.min_length:
        parts.append(
            t.ngettext(
                "At least {count} character", "At least {count} characters", question.min_length
            )
        )
    if not question.required:
        parts.append(t._("optional"))
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


def _answer(question: Question, values: Submitted, previous: Any) -> Any:
    qid = question.id
    match question.kind:
        case QuestionKind.CHOICE | QuestionKind.MULTI_CHOICE:
            return values.choices(qid)
        case QuestionKind.CHECKBOX:
            return values.checked(qid)
        case QuestionKind.FILE:
            # Discord can't pre-fill an upload, so no new file keeps the ones from before.
            return values.files(qid) or previous
    return values.text(qid)


def modal_title(form_title: str, page: int, pages: int) -> str:
    suffix = f" ({page + 1}/{pages})" if pages > 1 else ""
    return clip(form_title, MODAL_TITLE_MAX - len(suffix)) + suffix


class FormPageModal(RoutedModal, template=rf"form:page:(?P<form>{ANY}):(?P<page>{ANY}):{NONCE}"):
    """One page of questions. The router answers it from the member's session, looked up
    when the submit arrives, so a page submitted late or after a restart is not lost."""

    def __init__(self, session: FormSession, page: int, t: Speech) -> None:
        pages = session.pages
        super().__init__(
            title=modal_title(session.form.title, page, len(pages)),
            custom_id=f"form:page:{session.form.id}:{page}:{nonce()}",
        )
        for question in pages[page]:
            previous = session.answers.get(question.id)
            self.add_item(
                discord.ui.Label(
                    text=question.label,
                    description=_hint(question, previous, t),
                    component=_component(question, previous),
                )
            )

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        await flow_of(interaction).page_submitted(
            interaction, id_in(match["form"]), page_in(match["page"]), values
        )


# -- the button between pages -------------------------------------------------------------


class NextPageButton(PersistentButton, template=rf"form:next:(?P<form>{ANY}):(?P<fix>[01])"):
    """Continue (next page) or Fix answers (a page with a bad answer): both open the next
    page waiting in the member's session."""

    def __init__(self, form_id: int, *, fix: bool = False, t: Speech | None = None) -> None:
        label = "Fix answers" if fix else "Continue"
        if t is not None:
            label = t._("Fix answers") if fix else t._("Continue")
        super().__init__(
            f"form:next:{form_id}:{int(fix)}",
            label=label,
            style=discord.ButtonStyle.danger if fix else discord.ButtonStyle.primary,
        )
        self.form_id = form_id

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        return cls(id_in(match["form"]), fix=match["fix"] == "1")

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        await flow_of(interaction).open_next(interaction, self.form_id)


class NoFormFlow(RuntimeError):
    """No cog holds the forms flow (the forms package was not registered)."""


def flow_of(interaction: discord.Interaction) -> FormFlow:
    """The one FormFlow, kept by the forms cog: the members' sessions live in it."""
    cog = interaction.client.get_cog(FORMS_COG) if isinstance(interaction.client, Bot) else None
    flow = getattr(cog, "flow", None)
    if not isinstance(flow, FormFlow):
        raise NoFormFlow("the forms cog is not loaded")
    return flow


def _next_view(form_id: int, *, fix: bool, t: Speech) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(NextPageButton(form_id, fix=fix, t=t))
    return view


def describe_errors(error: FormAnswersInvalid, t: Speech) -> str:
    lines = [
        t._("• **{label}**: {rule}", label=clip(error.labels[qid], 45), rule=say(rule, t))
        for qid, rule in error.errors.items()
    ]
    return "\n".join(lines)


async def show(
    interaction: discord.Interaction,
    content: str,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer a modal submit: a modal opened from a button replaces that button's message
    (so the member sees one message move forward); the first one sends a new message."""
    content = clip(content, 2000)
    extra: dict[str, Any] = {}
    if interaction.message is not None:
        if file is not None:
            extra["attachments"] = [file]
        if interaction.response.is_done():
            await interaction.edit_original_response(
                content=content, view=view, embed=None, allowed_mentions=NO_PINGS, **extra
            )
        else:
            await interaction.response.edit_message(
                content=content, view=view, embed=None, allowed_mentions=NO_PINGS, **extra
            )
        return
    if view is not None:
        extra["view"] = view
    if file is not None:
        extra["file"] = file
    await send_ephemeral(interaction, content, **extra)


def typed_answers(session: FormSession) -> Typed:
    """The text the member typed into the form so far (picks and files are not typing)."""
    return [
        (question.label, answer)
        for question in session.form.questions
        if isinstance(answer := session.answers.get(question.id), str) and answer
    ]


def _pages_named(pages: list[int], t: Speech) -> str:
    """ "page 2", "pages 1, 2 and 3", as `t` says it."""
    numbers = t.and_list([str(page + 1) for page in pages])
    return t.ngettext("page {pages}", "pages {pages}", len(pages), pages=numbers)


# -- the flow -------------------------------------------------------------------------------


class FormFlow:
    def __init__(self, desk: TicketDesk, store: SessionStore | None = None) -> None:
        self.desk = desk
        self.store = store or SessionStore(desk.bot.settings.FORM_SESSION_SECONDS)

    async def start(self, interaction: discord.Interaction, form_id: int) -> None:
        """`/forms submit`: check the member may apply, then open the first page."""
        actor, _ = await self.desk.actor(interaction)
        availability = await self.desk.services.forms.check_can_submit(
            actor, form_id, member_role_ids(interaction)
        )
        session = self.store.start(actor.user_id, availability.form)
        await self._show_page(interaction, session)

    async def open_next(self, interaction: discord.Interaction, form_id: int) -> None:
        session = self.store.get(interaction.user.id, form_id)
        if session is None:
            await send_ephemeral(interaction, member_speech(interaction)._(EXPIRED))
            return
        if not session.queue:
            session.restart()
        await self._show_page(interaction, session)

    @staticmethod
    async def _show_page(interaction: discord.Interaction, session: FormSession) -> None:
        t = member_speech(interaction)
        await FormPageModal(session, session.queue[0], t).show(interaction)
        session.typing = True

    async def refuse(self, interaction: discord.Interaction, refusal: str, typed: Typed) -> None:
        content, file = give_back(refusal, typed, t=member_speech(interaction))
        await show(interaction, content, file=file)

    async def page_submitted(
        self, interaction: discord.Interaction, form_id: int, page: int, values: Submitted
    ) -> None:
        session = self.store.get(interaction.user.id, form_id)
        resumed = session is None
        if session is None:
            # Left open past the session's life, or shown before a restart: the member's
            # answers on this page still count, in a fresh session.
            session = await self._resume(interaction, form_id, values)
            if session is None:
                return
        session.typing = False
        t = member_speech(interaction)
        questions = session.pages[page] if page < len(session.pages) else ()
        if {question.id for question in questions} != values.ids():
            await self.refuse(interaction, t._(CHANGED), values.typed())
            return
        session.answers.update(
            {q.id: _answer(q, values, session.answers.get(q.id)) for q in questions}
        )
        if page in session.queue:
            session.queue.remove(page)
        # Check this page now, so a mistake is fixed while the member still remembers it.
        only_page = session.form.definition.model_copy(update={"questions": questions})
        try:
            validate_answers(only_page, {q.id: session.answers.get(q.id) for q in questions})
        except FormAnswersInvalid as bad:
            session.queue.insert(0, page)
            await self._ask_to_fix(interaction, session, bad)
            return
        if session.queue:
            title, total = clip(session.form.title, 100), len(session.pages)
            text = t._(
                "**{title}**: page {page} of {pages} saved.",
                title=title,
                page=page + 1,
                pages=total,
            )
            lost = [p for p in session.queue if p < page] if resumed else []
            if lost:
                text += " " + t._(
                    "Your answers on {pages} were not kept (the bot restarted, or the "
                    "application was left unfinished too long): press **Continue** to answer "
                    "them again.",
                    pages=_pages_named(lost, t),
                )
            else:
                text += " " + t._("Press **Continue** for the next questions.")
            await show(interaction, text, _next_view(session.form.id, fix=False, t=t))
            return
        await self._submit(interaction, session)

    async def _resume(
        self, interaction: discord.Interaction, form_id: int, values: Submitted
    ) -> FormSession | None:
        actor, _ = await self.desk.actor(interaction)
        try:
            availability = await self.desk.services.forms.check_can_submit(
                actor, form_id, member_role_ids(interaction)
            )
        except DomainError as refusal:
            t = member_speech(interaction)
            await self.refuse(interaction, error_text(refusal, t=t), values.typed())
            return None
        return self.store.start(actor.user_id, availability.form)

    async def _ask_to_fix(
        self, interaction: discord.Interaction, session: FormSession, bad: FormAnswersInvalid
    ) -> None:
        t = member_speech(interaction)
        await show(
            interaction,
            t._(
                "Some answers need fixing:\n{problems}\nYour other answers are kept. Press "
                "**Fix answers** to correct them.",
                problems=describe_errors(bad, t),
            ),
            _next_view(session.form.id, fix=True, t=t),
        )

    async def _submit(self, interaction: discord.Interaction, session: FormSession) -> None:
        if interaction.message is not None:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
        actor, config = await self.desk.actor(interaction)
        t = member_speech(interaction)
        forms = self.desk.services.forms
        try:
            submission = await forms.submit(
                actor, session.form.id, member_role_ids(interaction), session.answers
            )
        except FormAnswersInvalid as bad:
            known = {q.id for q in session.form.questions}
            if not set(bad.errors) <= known:  # the form was edited meanwhile
                self.store.finish(session.user_id, session.form.id)
                await self.refuse(interaction, error_text(bad, t=t), typed_answers(session))
                return
            session.ask_again(list(bad.errors))
            await self._ask_to_fix(interaction, session, bad)
            return
        except DomainError as refusal:
            # Closed, limit reached, role changed...: the answers stay in the session too,
            # so `/forms submit` brings them back while it lasts.
            await self.refuse(interaction, error_text(refusal, t=t), typed_answers(session))
            return
        self.store.finish(session.user_id, session.form.id)
        form = session.form  # as the member saw it; the review channel rarely changes
        posted = await post_for_review(self.desk, config, form, submission)
        text = t._(
            "✅ Thank you! Your application {ref} to “{title}” was received. Staff will review "
            "it and you'll be told the outcome by DM.",
            ref=submission.ref,
            title=clip(form.title, 100),
        )
        if not posted:
            text += " " + t._(
                "(Staff were not notified automatically; they can find it with "
                "`/forms submissions`.)"
            )
        await show(interaction, text)
