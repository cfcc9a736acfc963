"""What the web dashboard reads through the services: the first-response history behind
its chart, a member's own submissions and the staff review queue."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import FeatureDisabled, Forbidden
from core.form_models import SubmissionStatus
from core.forms import FormService
from core.models import Feature
from tests.core.conftest import admin, member, staff
from tests.core.said import raises_worded
from tests.core.test_forms_service import ANSWERS, definition
from tests.core.test_tickets_service import say, threaded

pytestmark = pytest.mark.usefixtures("set_up")


async def test_response_history_gives_each_day_its_median(tickets, clock):
    # Day 1 (2026-01-01): answers after 60 s and 180 s; day 3: one after 30 s.
    a = await threaded(tickets)
    b = await threaded(tickets, member(user_id=7))
    clock.advance(seconds=60)
    await say(tickets, a, 50, is_staff=True)
    clock.advance(seconds=120)
    await say(tickets, b, 50, is_staff=True)
    clock.advance(days=2)
    c = await threaded(tickets, member(user_id=8))
    clock.advance(seconds=30)
    await say(tickets, c, 50, is_staff=True)
    await threaded(tickets, member(user_id=9))  # not answered: not counted

    history = await tickets.response_history(staff(), days=5)
    assert history[0].day == date(2025, 12, 30)
    assert [(h.answered, h.median_seconds) for h in history] == [
        (0, None),
        (0, None),
        (2, 120),
        (0, None),
        (1, 30),
    ]


async def test_response_history_leaves_out_older_tickets_and_is_staff_only(tickets, clock):
    old = await threaded(tickets)
    clock.advance(seconds=10)
    await say(tickets, old, 50, is_staff=True)
    clock.advance(days=40)
    history = await tickets.response_history(staff())
    assert len(history) == 30 and all(h.answered == 0 for h in history)
    with raises_worded(Forbidden, "staff"):
        await tickets.response_history(member())


@pytest.fixture
async def forms(store, guilds, clock) -> FormService:
    return FormService(store, guilds, clock)


async def test_members_see_their_own_submissions_and_staff_the_queue(forms):
    first = await forms.create(admin(), definition())
    second = await forms.create(admin(), definition(title="Artist application"))
    mine = await forms.submit(member(), first.id, set(), ANSWERS)
    await forms.submit(member(user_id=2), second.id, set(), ANSWERS)
    await forms.submit(member(), second.id, set(), ANSWERS)
    await forms.review(staff(), mine.id, accept=False, note="Not this time")

    own = await forms.my_submissions(member())
    assert own.total == 2
    assert [(i.form.title, i.submission.status) for i in own.items] == [
        ("Artist application", SubmissionStatus.PENDING),
        ("Mod application", SubmissionStatus.REJECTED),
    ]
    assert own.items[1].submission.review_note == "Not this time"

    queue = await forms.review_queue(staff())
    assert queue.total == 2 and {i.submission.user_id for i in queue.items} == {1, 2}
    everything = await forms.review_queue(staff(), status=None, page_size=2, page=1)
    assert everything.total == 3 and [i.submission.id for i in everything.items] == [mine.id]
    with raises_worded(Forbidden, "staff"):
        await forms.review_queue(member())


async def test_submission_lists_obey_the_applications_flag(forms, guilds):
    await guilds.set_feature(admin(), Feature.APPLICATIONS, False)
    with pytest.raises(FeatureDisabled):
        await forms.my_submissions(member())
    with pytest.raises(FeatureDisabled):
        await forms.review_queue(staff())
