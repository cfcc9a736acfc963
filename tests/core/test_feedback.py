"""Ratings: the owner of a closed ticket rates it 1–5, once (changeable), with a comment."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, InvalidInput, NotFound
from core.feedback import FeedbackService
from tests.core.conftest import member, staff
from tests.core.said import raises_worded

pytestmark = pytest.mark.usefixtures("set_up")


@pytest.fixture
def feedback(store, clock) -> FeedbackService:
    return FeedbackService(store, clock)


async def closed_ticket(tickets, user_id=1):
    ticket = await tickets.create(member(user_id=user_id), subject="s", message="m")
    return await tickets.close(staff(), ticket.id)


async def test_rating_and_comment_feed_stats(feedback, tickets):
    first = await closed_ticket(tickets)
    second = await closed_ticket(tickets, user_id=2)
    await feedback.rate(1, first.id, 5)
    await feedback.rate(1, first.id, 4)  # a change of mind replaces the rating
    await feedback.comment(1, first.id, "  Quick and kind ")
    await feedback.rate(2, second.id, 1)
    assert await feedback.of(first.id) == (4, "Quick and kind")
    stats = await tickets.stats(staff())
    assert stats.ratings_count == 2 and stats.average_rating == 2.5


async def test_only_the_owner_of_a_closed_ticket_rates(feedback, tickets):
    ticket = await closed_ticket(tickets)
    with pytest.raises(Forbidden):
        await feedback.rate(2, ticket.id, 5)
    open_one = await tickets.create(member(user_id=3), subject="s", message="m")
    with raises_worded(InvalidInput, match="not closed yet"):
        await feedback.rate(3, open_one.id, 5)
    with pytest.raises(NotFound):
        await feedback.rate(1, 424242, 5)


@pytest.mark.parametrize("stars", [0, 6, -1])
async def test_rating_range(feedback, tickets, stars):
    ticket = await closed_ticket(tickets)
    with raises_worded(InvalidInput, match="between 1 and 5"):
        await feedback.rate(1, ticket.id, stars)


async def test_comment_needs_a_rating_first(feedback, tickets):
    ticket = await closed_ticket(tickets)
    with raises_worded(InvalidInput, match="rating"):
        await feedback.comment(1, ticket.id, "hello")
