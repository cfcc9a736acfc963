"""Application forms: admins define them, members submit, staff review (SPEC §2, §3).

Every rule is checked here, whatever the front end. Rules that depend on other writes
(the per-member limit, "still pending") are checked again inside the write transaction,
so racing clicks can't get past them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from core import policy
from core.access import ServerIds, foreign_ids
from core.blocks import ensure_not_blocked
from core.clock import Clock
from core.errors import (
    Forbidden,
    InvalidTransition,
    LimitReached,
    Message,
    NotFound,
)
from core.form_answers import validate_answers
from core.form_listings import submissions_page
from core.form_models import (
    Form,
    FormAvailability,
    FormSubmission,
    Submission,
    SubmissionStatus,
)
from core.form_schema import DefinitionInvalid, FormDefinition, parse_definition
from core.guilds import GuildService, ensure_enabled
from core.models import Actor, Feature, GuildConfig, Page
from core.policy import is_admin, is_staff, require_admin
from core.ports import Reads, Store, UnitOfWork
from core.validation import clamp_page, clean_text, is_row_id, parse_choice

log = logging.getLogger(__name__)

PAGE_SIZE = 10
AUTOCOMPLETE_MAX = 25  # Discord shows at most 25 autocomplete choices
NOTE_MAX = 1000


def require_staff(actor: Actor) -> None:
    """Staff only (`core.policy`), refused as the reviewing of submissions."""
    policy.require_staff(actor, "staff_only.review_submissions")


def _form_not_found(form_id: int) -> NotFound:
    return NotFound("form.not_found", form_id=form_id)


def _submission_not_found(submission_id: int) -> NotFound:
    return NotFound("submission.not_found", submission_id=submission_id)


class FormService:
    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

    # -- admins: defining forms --------------------------------------------------------

    async def create(
        self, actor: Actor, raw_definition: bytes | str, server: ServerIds | None = None
    ) -> Form:
        """`server` holds the channels and roles of the actor's server; a definition's
        channel and role ids must be among them (without it, no id is accepted)."""
        require_admin(actor)
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        definition = _own_ids(parse_definition(raw_definition), actor, server)
        now = self._clock.now()
        form = await self._store.write(
            lambda uow: uow.forms.insert(actor.guild_id, definition, now)
        )
        log.info("form %s created in guild %s", form.id, form.guild_id)
        return form

    async def update(
        self,
        actor: Actor,
        form_id: int,
        raw_definition: bytes | str,
        server: ServerIds | None = None,
    ) -> Form:
        """Replace a form's definition. Submissions already made keep their answers.

        A definition that leaves `active` out keeps the form open or closed as it was:
        editing a closed form's questions must not silently reopen it.
        """
        require_admin(actor)
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        definition = _own_ids(parse_definition(raw_definition), actor, server)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Form:
            current = await self._load(uow, actor, form_id)
            final = definition
            if "active" not in definition.model_fields_set:
                final = definition.model_copy(update={"active": current.active})
            return await uow.forms.replace_definition(form_id, final, now) or current

        form = await self._store.write(work)
        log.info("form %s updated in guild %s", form.id, form.guild_id)
        return form

    async def set_active(self, actor: Actor, form_id: int, active: bool) -> Form:
        """Open or close a form for submissions; doing it twice is harmless."""
        require_admin(actor)
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Form:
            current = await self._load(uow, actor, form_id)
            if current.active == active:
                return current
            return await uow.forms.set_active(form_id, active, now) or current

        return await self._store.write(work)

    async def delete(self, actor: Actor, form_id: int) -> int:
        """Delete a form and its submissions; return how many submissions went with it."""
        require_admin(actor)
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)

        async def work(uow: UnitOfWork) -> int:
            await self._load(uow, actor, form_id)
            return await uow.forms.delete(form_id)

        removed = await self._store.write(work)
        log.info("form %s deleted in guild %s (%s submissions)", form_id, actor.guild_id, removed)
        return removed

    # -- reading forms -----------------------------------------------------------------

    async def _load(self, reads: Reads, actor: Actor, form_id: int) -> Form:
        form = await reads.forms.get(form_id) if is_row_id(form_id) else None
        if form is None or form.guild_id != actor.guild_id:
            raise _form_not_found(form_id)
        return form

    async def require_enabled(self, guild_id: int) -> None:
        """Refuse when applications are off in the guild (for a front end's own steps,
        such as handing out the template; the operations check it themselves)."""
        await self._guilds.require_feature(guild_id, Feature.APPLICATIONS)

    async def get(self, actor: Actor, form_id: int) -> Form:
        """Any member may read an open form; staff and admins also closed ones."""
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        form = await self._load(self._store.reads, actor, form_id)
        if not form.active and not is_staff(actor):
            raise Forbidden(_closed(form))
        return form

    async def list_all(self, actor: Actor) -> list[Form]:
        """Every form of the guild, open or closed (staff: for edit/open/close pickers)."""
        require_staff(actor)
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        return await self._store.reads.forms.of_guild(actor.guild_id)

    async def list_for_member(
        self, actor: Actor, member_role_ids: Iterable[int]
    ) -> list[FormAvailability]:
        """The list of forms: open forms with used/allowed counts and whether the member may
        apply (role-restricted and used-up forms are listed, not hidden, with the reason).
        Staff also see closed forms, marked as closed."""
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        roles = set(member_role_ids)
        reads = self._store.reads
        forms = await reads.forms.of_guild(actor.guild_id, active_only=not is_staff(actor))
        counts = await reads.submissions.counts_for_user(actor.guild_id, actor.user_id)
        return [self._availability(actor, form, roles, counts.get(form.id, 0)) for form in forms]

    async def eligible_forms(
        self, actor: Actor, role_ids: Iterable[int], query: str = ""
    ) -> list[Form]:
        """Autocomplete for submitting: forms the member may submit now whose title
        contains `query` (or whose id is `query`). Empty when applications are off: the
        command itself then gives the refusal."""
        flags = await self._guilds.flags(actor.guild_id)
        if not flags.is_on(Feature.APPLICATIONS):
            return []
        needle = query.strip().casefold()
        by_id = needle.removeprefix("#")
        found = []
        for item in await self.list_for_member(actor, role_ids):
            form = item.form
            # "#4" means form #4 only; other text is searched in titles (and as an id).
            if needle.startswith("#"):
                matches = by_id == str(form.id)
            else:
                matches = needle in form.title.casefold() or needle == str(form.id)
            if item.eligible and matches:
                found.append(form)
        return found[:AUTOCOMPLETE_MAX]

    def _availability(
        self, actor: Actor, form: Form, roles: set[int], used: int
    ) -> FormAvailability:
        allowed = form.max_submissions_per_user
        reason = None
        if not form.active:
            reason = _closed(form)
        elif not _has_role(actor, form, roles):
            reason = Message("form.role_required", title=form.title, role_id=form.required_role_id)
        elif used >= allowed:
            reason = _used_up(form, used)
        return FormAvailability(
            form=form, used=used, allowed=allowed, eligible=reason is None, reason=reason
        )

    # -- members: submitting -----------------------------------------------------------

    async def _check(
        self, reads: Reads, actor: Actor, form_id: int, roles: set[int]
    ) -> FormAvailability:
        ensure_enabled(await reads.guilds.flags(actor.guild_id), Feature.APPLICATIONS)
        form = await self._load(reads, actor, form_id)
        await ensure_not_blocked(reads.blocks, actor, roles)
        used = await reads.submissions.count_for_user(form.id, actor.user_id)
        availability = self._availability(actor, form, roles, used)
        if availability.reason is not None:
            used_up = availability.reason.code == "form.used_up"
            raise (LimitReached if used_up else Forbidden)(availability.reason)
        return availability

    async def check_can_submit(
        self, actor: Actor, form_id: int, role_ids: Iterable[int]
    ) -> FormAvailability:
        """Before opening the modals: may this member submit this form now?"""
        return await self._check(self._store.reads, actor, form_id, set(role_ids))

    async def submit(
        self,
        actor: Actor,
        form_id: int,
        role_ids: Iterable[int],
        answers: Mapping[str, object],
    ) -> Submission:
        """Store a submission (status pending). Raises `FormAnswersInvalid` for bad
        answers; the form's rules are checked again inside the write."""
        roles = set(role_ids)
        # Fast refusals from committed data, before queueing a write.
        checked = await self._check(self._store.reads, actor, form_id, roles)
        cleaned = validate_answers(checked.form.definition, answers)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Submission:
            fresh = await self._check(uow, actor, form_id, roles)
            final = cleaned
            if fresh.form.updated_at != checked.form.updated_at:
                # Edited meanwhile: the answers must fit the questions being stored against.
                final = validate_answers(fresh.form.definition, answers)
            return await uow.submissions.insert(
                form_id=form_id,
                guild_id=actor.guild_id,
                user_id=actor.user_id,
                answers=final,
                now=now,
            )

        submission = await self._store.write(work)
        log.info("submission %s to form %s in guild %s", submission.id, form_id, actor.guild_id)
        return submission

    async def attach_review_message(
        self, submission_id: int, channel_id: int, message_id: int
    ) -> Submission:
        """Remember where the front end posted a submission for review."""
        submission = await self._store.write(
            lambda uow: uow.submissions.set_review_message(submission_id, channel_id, message_id)
        )
        if submission is None:
            raise _submission_not_found(submission_id)
        return submission

    # -- staff: reviewing --------------------------------------------------------------

    async def list_submissions(
        self,
        actor: Actor,
        form_id: int,
        status: SubmissionStatus | str | None = None,
        page: int = 0,
        page_size: int = PAGE_SIZE,
    ) -> Page[Submission]:
        """A form's submissions: newest first, optionally one status only."""
        require_staff(actor)
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        wanted = None if status is None else parse_choice("status", status, SubmissionStatus, None)
        form = await self._load(self._store.reads, actor, form_id)
        page = clamp_page(page)
        items, total = await self._store.reads.submissions.page(
            form.id, status=wanted, offset=page * page_size, limit=page_size
        )
        return Page(items=tuple(items), page=page, page_size=page_size, total=total)

    async def my_submissions(
        self, actor: Actor, page: int = 0, page_size: int = PAGE_SIZE
    ) -> Page[FormSubmission]:
        """The member's own submissions to any form of the guild, newest first, with their
        outcome (status and the reviewer's note)."""
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        return await submissions_page(
            self._store.reads,
            actor.guild_id,
            user_id=actor.user_id,
            status=None,
            page=page,
            page_size=page_size,
        )

    async def review_queue(
        self,
        actor: Actor,
        status: SubmissionStatus | str | None = SubmissionStatus.PENDING,
        page: int = 0,
        page_size: int = PAGE_SIZE,
    ) -> Page[FormSubmission]:
        """Staff: submissions to every form of the guild, newest first; pending by default."""
        require_staff(actor)
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        wanted = None if status is None else parse_choice("status", status, SubmissionStatus, None)
        return await submissions_page(
            self._store.reads,
            actor.guild_id,
            user_id=None,
            status=wanted,
            page=page,
            page_size=page_size,
        )

    async def get_submission(self, actor: Actor, submission_id: int) -> Submission:
        """Staff see any submission of their guild; a member only their own."""
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        submission = await self._submission(self._store.reads, actor, submission_id)
        if submission.user_id != actor.user_id and not is_staff(actor):
            raise Forbidden("submission.not_yours", submission_id=submission_id)
        return submission

    async def _submission(self, reads: Reads, actor: Actor, submission_id: int) -> Submission:
        found = None
        if is_row_id(submission_id):
            found = await reads.submissions.get(submission_id)
        if found is None or found.guild_id != actor.guild_id:
            raise _submission_not_found(submission_id)
        return found

    async def review(
        self, actor: Actor, submission_id: int, accept: bool, note: str | None = None
    ) -> Submission:
        """Accept or reject a pending submission. Of two racing reviews the second is
        refused with who decided first (`InvalidTransition`)."""
        require_staff(actor)
        await self._guilds.require_feature(actor.guild_id, Feature.APPLICATIONS)
        clean_note = None
        if note is not None and note.strip():
            clean_note = clean_text("note", note, max_length=NOTE_MAX, multiline=True)
        status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.REJECTED
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Submission:
            current = await self._submission(uow, actor, submission_id)
            if current.user_id == actor.user_id and not is_admin(actor):
                raise Forbidden("submission.own")
            decided = await uow.submissions.decide(
                submission_id,
                status=status,
                reviewer_id=actor.user_id,
                note=clean_note,
                now=now,
            )
            if decided is None:  # someone else decided first
                raise InvalidTransition(_already_reviewed(current))
            return decided

        submission = await self._store.write(work)
        log.info("submission %s %s by %s", submission.id, status, actor.user_id)
        return submission

    @staticmethod
    def review_channel_for(form: Form, config: GuildConfig) -> int | None:
        """Where a submission is posted: the form's own review channel, else the server's."""
        return form.review_channel_id or config.review_channel_id


def _own_ids(definition: FormDefinition, actor: Actor, server: ServerIds | None) -> FormDefinition:
    """Refuse channel and role ids from another server, each named by its key: a review
    channel elsewhere would hand this server's applicants' answers to strangers."""
    known = server if server is not None and server.guild_id == actor.guild_id else None
    problems = foreign_ids(
        known or ServerIds(guild_id=actor.guild_id),
        channels={"review_channel_id": definition.review_channel_id},
        roles={
            "accept_role_id": definition.accept_role_id,
            "required_role_id": definition.required_role_id,
        },
    )
    if problems:
        raise DefinitionInvalid(problems)
    return definition


def _has_role(actor: Actor, form: Form, roles: set[int]) -> bool:
    required = form.required_role_id
    # The @everyone role's id is the guild's id; every member holds it.
    return required is None or required == actor.guild_id or required in roles


def _closed(form: Form) -> Message:
    return Message("form.closed", title=form.title)


def _used_up(form: Form, used: int) -> Message:
    return Message(
        "form.used_up", title=form.title, used=used, allowed=form.max_submissions_per_user
    )


def _already_reviewed(submission: Submission) -> Message:
    facts = {"submission_id": submission.id, "status": submission.status.value}
    if submission.reviewer_id:
        return Message(
            "submission.already_reviewed_by", **facts, reviewer_id=submission.reviewer_id
        )
    return Message("submission.already_reviewed", **facts)
