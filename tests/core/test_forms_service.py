"""FormService against a real SQLite file: who may do what, limits, races, flags."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from core.errors import (
    FeatureDisabled,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    LimitReached,
    NotFound,
)
from core.form_answers import FormAnswersInvalid
from core.form_models import SubmissionStatus
from core.forms import FormService
from core.guilds import GuildService
from core.models import Feature, GuildConfig
from core.ports import Store
from storage.sqlite.store import SqliteStore
from tests.core.conftest import GUILD, admin, member, server, staff
from tests.core.said import raises_worded, words

MOD_ROLE = 777
REVIEW_CHANNEL = 4000


def definition(**overrides: Any) -> str:
    data: dict[str, Any] = {
        "title": "Mod application",
        "description": "Help us moderate.",
        "questions": [
            {"id": "name", "label": "Your name", "kind": "short_text", "required": True},
            {"id": "age", "label": "Your age", "kind": "number", "required": True,
             "min_value": 13, "max_value": 120},
        ],
    }  # fmt: skip
    data.update(overrides)
    return json.dumps(data)


ANSWERS = {"name": "Jane", "age": "30"}


@pytest.fixture
def forms(store: Store, guilds: GuildService, clock) -> FormService:
    return FormService(store, guilds, clock)


async def test_admin_creates_a_form_and_a_member_sees_it(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    assert form.guild_id == GUILD and form.active and form.max_submissions_per_user == 5
    listed = await forms.list_for_member(member(), set())
    assert [(a.form.id, a.used, a.allowed, a.eligible) for a in listed] == [(form.id, 0, 5, True)]
    assert (await forms.get(member(), form.id)).questions[1].min_value == 13


async def test_bad_definition_is_refused_with_its_path(forms: FormService) -> None:
    questions = [{"id": "x", "label": "L" * 46, "kind": "short_text"}]
    with raises_worded(InvalidInput, match=r"questions\[0\]\.label: at most 45 characters"):
        await forms.create(admin(), definition(questions=questions))


async def test_member_can_submit_up_to_the_default_limit_of_five(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    for _ in range(5):
        submission = await forms.submit(member(), form.id, set(), ANSWERS)
    assert submission.answers == {"name": "Jane", "age": 30}
    assert submission.status is SubmissionStatus.PENDING
    with raises_worded(LimitReached, match="You have used 5 of 5 submissions"):
        await forms.submit(member(), form.id, set(), ANSWERS)
    # Another member has their own count.
    await forms.submit(member(user_id=2), form.id, set(), ANSWERS)


async def test_custom_limit_refuses_the_third_even_when_racing(forms: FormService) -> None:
    form = await forms.create(admin(), definition(max_submissions_per_user=2))
    results = await asyncio.gather(
        *(forms.submit(member(), form.id, set(), ANSWERS) for _ in range(3)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], LimitReached)
    assert words(refused[0]) == (
        "You have used 2 of 2 submissions for “Mod application”. Ask staff if you need another."
    )
    [status] = await forms.list_for_member(member(), set())
    assert (status.used, status.allowed, status.eligible) == (2, 2, False)
    assert await forms.eligible_forms(member(), set(), "") == []


async def test_rejected_submissions_still_count(forms: FormService) -> None:
    form = await forms.create(admin(), definition(max_submissions_per_user=1))
    first = await forms.submit(member(), form.id, set(), ANSWERS)
    await forms.review(staff(), first.id, accept=False, note="Too soon")
    with pytest.raises(LimitReached):
        await forms.check_can_submit(member(), form.id, set())


async def test_closed_form_is_refused_and_hidden_from_members(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    await forms.set_active(admin(), form.id, False)
    with raises_worded(Forbidden, match="“Mod application” is closed"):
        await forms.submit(member(), form.id, set(), ANSWERS)
    assert await forms.list_for_member(member(), set()) == []
    [seen_by_staff] = await forms.list_for_member(staff(), set())
    assert not seen_by_staff.eligible and "closed" in words(seen_by_staff.reason)
    await forms.set_active(admin(), form.id, True)
    await forms.submit(member(), form.id, set(), ANSWERS)


async def test_role_restricted_form_is_listed_but_refused_without_the_role(
    forms: FormService,
) -> None:
    form = await forms.create(
        admin(), definition(required_role_id=str(MOD_ROLE)), server(roles=(MOD_ROLE,))
    )
    [item] = await forms.list_for_member(member(), {1, 2})
    assert not item.eligible
    assert (
        words(item.reason) == f"“Mod application” is only for members with the <@&{MOD_ROLE}> role."
    )
    with raises_worded(Forbidden, match="only for members with"):
        await forms.submit(member(), form.id, {1, 2}, ANSWERS)
    assert await forms.eligible_forms(member(), {1}, "mod") == []
    assert await forms.eligible_forms(member(), {MOD_ROLE}, "MOD") == [form]
    await forms.submit(member(), form.id, {MOD_ROLE}, ANSWERS)


async def test_autocomplete_matches_title_or_id_and_stops_at_25(forms: FormService) -> None:
    created = [await forms.create(admin(), definition(title=f"Form {i}")) for i in range(30)]
    assert len(await forms.eligible_forms(member(), set(), "form")) == 25
    assert await forms.eligible_forms(member(), set(), "Form 7") == [created[7]]
    assert await forms.eligible_forms(member(), set(), f"#{created[3].id}") == [created[3]]


async def test_bad_answers_are_refused_with_the_valid_ones_kept(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    with pytest.raises(FormAnswersInvalid) as caught:
        await forms.submit(member(), form.id, set(), {"name": "Jane", "age": "9"})
    assert words(caught.value) == "Your age: must be a number between 13 and 120"
    assert caught.value.valid == {"name": "Jane"}
    [item] = await forms.list_for_member(member(), set())
    assert item.used == 0  # nothing was stored


async def test_two_concurrent_reviews_make_one_decision(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    submission = await forms.submit(member(), form.id, set(), ANSWERS)
    results = await asyncio.gather(
        forms.review(staff(user_id=50), submission.id, accept=True, note=" Welcome! "),
        forms.review(staff(user_id=51), submission.id, accept=False),
        return_exceptions=True,
    )
    decided, refused = results
    assert decided.status is SubmissionStatus.ACCEPTED
    assert (decided.reviewer_id, decided.review_note) == (50, "Welcome!")
    assert decided.reviewed_at is not None
    assert isinstance(refused, InvalidTransition)
    assert (
        words(refused)
        == f"Submission #{submission.id} was already accepted by <@50>; nothing was changed."
    )
    stored = await forms.get_submission(staff(), submission.id)
    assert stored.status is SubmissionStatus.ACCEPTED


async def test_staff_list_submissions_by_status_newest_first(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    made = [await forms.submit(member(user_id=u), form.id, set(), ANSWERS) for u in (1, 2, 3)]
    await forms.review(staff(), made[0].id, accept=True)
    page = await forms.list_submissions(staff(), form.id)
    assert [s.id for s in page.items] == [made[2].id, made[1].id, made[0].id]
    pending = await forms.list_submissions(staff(), form.id, status="pending")
    assert pending.total == 2
    with raises_worded(InvalidInput, match="status"):
        await forms.list_submissions(staff(), form.id, status="maybe")


async def test_permission_matrix(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    submission = await forms.submit(member(), form.id, set(), ANSWERS)
    for attempt in (
        forms.create(member(), definition()),
        forms.create(staff(), definition()),
        forms.update(member(), form.id, definition()),
        forms.set_active(staff(), form.id, False),
        forms.delete(member(), form.id),
        forms.review(member(user_id=2), submission.id, accept=True),
        forms.list_submissions(member(), form.id),
        forms.get_submission(member(user_id=2), submission.id),
        forms.review(member(), submission.id, accept=True),  # not even their own
    ):
        with pytest.raises(Forbidden):
            await attempt
    # The submitter may read their own; staff may review; admins may do everything.
    assert (await forms.get_submission(member(), submission.id)).id == submission.id
    assert (await forms.review(admin(), submission.id, accept=True)).reviewer_id == admin().user_id


async def test_staff_cannot_review_their_own_submission(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    mine = await forms.submit(staff(), form.id, set(), ANSWERS)
    with raises_worded(Forbidden, match="your own submission"):
        await forms.review(staff(), mine.id, accept=True)


async def test_flag_off_gives_the_exact_spec_message(
    forms: FormService, guilds: GuildService
) -> None:
    form = await forms.create(admin(), definition())
    await guilds.set_feature(admin(), Feature.APPLICATIONS, False)
    expected = (
        "Applications is disabled on this server. An admin can turn it on with "
        "`/admin feature name:applications enabled:True`."
    )
    for attempt in (
        forms.create(admin(), definition()),
        forms.list_for_member(member(), set()),
        forms.check_can_submit(member(), form.id, set()),
        forms.submit(member(), form.id, set(), ANSWERS),
        forms.list_submissions(staff(), form.id),
    ):
        with pytest.raises(FeatureDisabled) as caught:
            await attempt
        assert words(caught.value) == expected
    assert await forms.eligible_forms(member(), set(), "") == []


async def test_other_guilds_and_unknown_ids_are_not_found(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    for form_id in (form.id + 1, 0, -1, 2**70):
        with raises_worded(NotFound, match=f"Form #{form_id} was not found"):
            await forms.get(member(), form_id)
    with pytest.raises(NotFound):
        await forms.submit(member(guild_id=GUILD + 1), form.id, set(), ANSWERS)
    with raises_worded(NotFound, match="Submission #99 was not found"):
        await forms.review(staff(), 99, accept=True)


async def test_update_keeps_open_state_unless_given_and_keeps_old_answers(
    forms: FormService,
) -> None:
    form = await forms.create(admin(), definition())
    old = await forms.submit(member(), form.id, set(), ANSWERS)
    await forms.set_active(admin(), form.id, False)
    questions = [{"id": "why", "label": "Why us?", "kind": "paragraph", "required": True}]
    updated = await forms.update(admin(), form.id, definition(questions=questions))
    assert not updated.active and [q.id for q in updated.questions] == ["why"]
    reopened = await forms.update(admin(), form.id, definition(questions=questions, active=True))
    assert reopened.active
    assert (await forms.get_submission(staff(), old.id)).answers == {"name": "Jane", "age": 30}
    with raises_worded(FormAnswersInvalid, match="is not a question of this form"):
        await forms.submit(member(), form.id, set(), ANSWERS)


async def test_delete_removes_the_form_and_its_submissions(forms: FormService) -> None:
    form = await forms.create(admin(), definition())
    submission = await forms.submit(member(), form.id, set(), ANSWERS)
    assert await forms.delete(admin(), form.id) == 1
    with pytest.raises(NotFound):
        await forms.get_submission(staff(), submission.id)


async def test_review_channel_and_message_are_remembered(forms: FormService) -> None:
    own = await forms.create(
        admin(), definition(review_channel_id="5000"), server(channels=(5000,))
    )
    plain = await forms.create(admin(), definition())
    config = GuildConfig(guild_id=GUILD, review_channel_id=REVIEW_CHANNEL)
    assert FormService.review_channel_for(own, config) == 5000
    assert FormService.review_channel_for(plain, config) == REVIEW_CHANNEL
    submission = await forms.submit(member(), plain.id, set(), ANSWERS)
    stored = await forms.attach_review_message(submission.id, REVIEW_CHANNEL, 123)
    assert (stored.review_channel_id, stored.review_message_id) == (REVIEW_CHANNEL, 123)


async def test_forms_survive_reopening_the_database(tmp_path, guilds: GuildService, clock) -> None:
    path = tmp_path / "t.db"
    store = await SqliteStore.open(path)
    try:
        form = await FormService(store, guilds, clock).create(admin(), definition())
    finally:
        await store.close()
    store = await SqliteStore.open(path)
    try:
        again = await FormService(store, guilds, clock).get(member(), form.id)
        assert again.definition == form.definition
    finally:
        await store.close()
