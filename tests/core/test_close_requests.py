"""Close requests: staff ask, the owner answers (or doesn't), the deadline closes it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.close_requests import NO_ANSWER, CloseRequestService
from core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from core.models import AuthorKind, Feature, Status
from core.participants import ParticipantService
from tests.core.conftest import GUILD, admin, member, staff
from tests.core.said import raises_worded

pytestmark = pytest.mark.usefixtures("set_up")

OWNER, GUEST = 1, 7


@pytest.fixture
def requests(store, guilds, tickets, clock) -> CloseRequestService:
    return CloseRequestService(store, guilds, tickets, clock)


async def opened(tickets):
    ticket = await tickets.create(member(OWNER), subject="Printer", message="On fire")
    return await tickets.attach_thread(ticket.id, 900_000 + ticket.id)


async def test_a_request_waits_the_given_hours_and_replaces_the_last_one(tickets, requests, clock):
    ticket = await opened(tickets)
    first, _, replaced = await requests.request(staff(), ticket.id, "Fixed?", 2)
    assert replaced is None
    assert (first.hours, first.reason) == (2, "Fixed?")
    assert first.due_at == clock.now() + timedelta(hours=2)
    second, _, replaced = await requests.request(staff(), ticket.id)
    assert replaced == first
    assert second.id != first.id and second.hours == 24 and second.reason is None
    assert await requests.get(first.id) is None
    with raises_worded(NotFound, "no longer open"):
        await requests.keep_open(member(OWNER), first.id)


async def test_the_owner_closes_with_the_reason(tickets, requests):
    ticket = await opened(tickets)
    request, _, _ = await requests.request(staff(), ticket.id, "All sorted")
    closed, answered = await requests.close(member(OWNER), request.id)
    assert closed.status is Status.CLOSED and closed.close_reason == "All sorted"
    assert closed.closed_by == OWNER and answered == request
    assert await requests.get(request.id) is None
    with raises_worded(NotFound, "no longer open"):
        await requests.close(member(OWNER), request.id)


async def test_keep_open_withdraws_it_and_the_deadline_then_does_nothing(tickets, requests, clock):
    ticket = await opened(tickets)
    request, _, _ = await requests.request(staff(), ticket.id, hours=1)
    kept, _ = await requests.keep_open(member(OWNER), request.id)
    assert kept.status is Status.OPEN
    clock.advance(hours=2)
    assert await requests.due() == []
    assert await requests.close_unanswered(request) is None
    assert (await tickets.get(staff(), ticket.id)).status is Status.OPEN


async def test_no_answer_closes_with_its_reason_once_due(tickets, requests, clock):
    ticket = await opened(tickets)
    await requests.request(staff(), ticket.id, hours=3)
    clock.advance(hours=2, minutes=59)
    assert await requests.due() == []
    # A reply by the owner does not cancel the request (see core/close_requests.py).
    await tickets.reply(member(OWNER), ticket.id, "thanks!")
    clock.advance(minutes=1)
    assert await requests.due(guild_ids=[GUILD + 1]) == []  # another process's guilds
    assert await requests.due(guild_ids=[]) == []
    (due,) = await requests.due(guild_ids=[GUILD])
    closed = await requests.close_unanswered(due)
    assert closed is not None and closed.status is Status.CLOSED
    assert closed.close_reason == NO_ANSWER and closed.closed_by == 0
    assert await requests.due() == []
    assert await requests.close_unanswered(due) is None


async def test_an_answer_after_the_sweep_picked_it_wins(tickets, requests, clock):
    ticket = await opened(tickets)
    request, _, _ = await requests.request(staff(), ticket.id, hours=1)
    clock.advance(hours=2)
    (picked,) = await requests.due()
    await requests.keep_open(member(OWNER), request.id)
    assert await requests.close_unanswered(picked) is None
    assert (await tickets.get(staff(), ticket.id)).status is Status.OPEN
    # A newer request with a later deadline is not closed by the old pick either.
    newer, _, _ = await requests.request(staff(), ticket.id, hours=5)
    assert await requests.close_unanswered(newer) is None


async def test_a_ticket_closed_by_hand_drops_its_request_at_the_deadline(tickets, requests, clock):
    ticket = await opened(tickets)
    await requests.request(staff(), ticket.id, hours=1)
    await tickets.close(staff(), ticket.id)
    clock.advance(hours=2)
    (due,) = await requests.due()
    assert await requests.close_unanswered(due) is None
    assert await requests.due() == []


async def test_a_paused_desk_keeps_the_request_until_ticketing_is_back(
    tickets, requests, guilds, clock
):
    ticket = await opened(tickets)
    await requests.request(staff(), ticket.id, hours=1)
    await guilds.set_feature(admin(), Feature.TICKETING, False)
    clock.advance(hours=2)
    (due,) = await requests.due()
    assert await requests.close_unanswered(due) is None
    await guilds.set_feature(admin(), Feature.TICKETING, True)
    assert (await requests.close_unanswered(due)).status is Status.CLOSED


async def test_only_the_owner_or_staff_answer(tickets, requests, store, guilds, clock):
    ticket = await opened(tickets)
    await ParticipantService(store, guilds, clock).add_member(staff(), ticket.id, GUEST)
    request, _, _ = await requests.request(staff(), ticket.id)
    with raises_worded(Forbidden, r"Only the member who opened ticket #\d+, or staff"):
        await requests.close(member(GUEST), request.id)
    with raises_worded(Forbidden, r"Only the member who opened ticket #\d+, or staff"):
        await requests.keep_open(member(GUEST), request.id)
    with raises_worded(Forbidden, "belongs to someone else"):
        await requests.keep_open(member(99), request.id)
    with raises_worded(NotFound, "no longer open"):
        await requests.close(staff(guild_id=1), request.id)
    with raises_worded(NotFound, "no longer open"):
        await requests.close(member(OWNER), 10**30)
    kept, _ = await requests.keep_open(staff(), request.id)
    assert kept.status is Status.OPEN


async def test_asking_is_for_staff_with_hours_in_bounds_on_unclosed_tickets(tickets, requests):
    ticket = await opened(tickets)
    with raises_worded(Forbidden, "Only staff can ask to close"):
        await requests.request(member(OWNER), ticket.id)
    for hours in (0, 721, "soon"):
        with raises_worded(InvalidInput, "hours: must be between 1 and 720"):
            await requests.request(staff(), ticket.id, hours=hours)
    with raises_worded(NotFound, "was not found"):
        await requests.request(staff(), 424242)
    await tickets.close(staff(), ticket.id)
    with raises_worded(InvalidTransition, "already closed"):
        await requests.request(staff(), ticket.id)


async def test_the_posted_question_is_kept_in_the_record(tickets, requests):
    ticket = await opened(tickets)
    request, _, _ = await requests.request(staff(), ticket.id)
    await requests.posted(request, "Can we close this?", 777)
    assert (await requests.get(request.id)).message_id == 777
    _, replies = await tickets.all_replies(staff(), ticket.id)
    assert (replies[-1].author_kind, replies[-1].body) == (AuthorKind.SYSTEM, "Can we close this?")
