"""Inactivity: pending tickets get one reminder, then close with "no reply"; open ones never."""

from __future__ import annotations

import pytest

from core.models import Status
from core.upkeep import InactivityService
from tests.core.conftest import admin, member, server

pytestmark = pytest.mark.usefixtures("set_up")


@pytest.fixture
def inactivity(db, tickets, clock) -> InactivityService:
    return InactivityService(db, tickets, clock)


async def waiting_on_member(tickets, user_id=1):
    ticket = await tickets.create(member(user_id=user_id), subject="s", message="m")
    ticket = await tickets.attach_thread(ticket.id, 800_000 + ticket.id)
    ticket, _ = await tickets.record_message(
        thread_id=ticket.thread_id,
        author_id=50,
        author_is_staff=True,
        body="Did that help?",
        message_id=700_000 + ticket.id,
    )
    assert ticket.status is Status.PENDING
    return ticket


async def test_reminder_then_autoclose(inactivity, tickets, guilds, clock):
    await guilds.set_limits(admin(), reminder_hours=48, autoclose_hours=24)
    ticket = await waiting_on_member(tickets)
    clock.advance(hours=47)
    assert (await inactivity.sweep()).reminded == []
    clock.advance(hours=2)
    first = await inactivity.sweep()
    assert [t.id for t in first.reminded] == [ticket.id]
    assert (await inactivity.sweep()).reminded == []  # once only
    clock.advance(hours=23)
    assert (await inactivity.sweep()).closed == []
    clock.advance(hours=2)
    closed = (await inactivity.sweep()).closed
    assert [t.id for t in closed] == [ticket.id]
    assert closed[0].status is Status.CLOSED and closed[0].close_reason == "no reply"


async def test_member_reply_resets_the_clock(inactivity, tickets, clock):
    ticket = await waiting_on_member(tickets)
    clock.advance(hours=49)
    assert len((await inactivity.sweep()).reminded) == 1
    await tickets.record_message(
        thread_id=ticket.thread_id,
        author_id=1,
        author_is_staff=False,
        body="still broken",
        message_id=123,
    )
    clock.advance(hours=100)
    result = await inactivity.sweep()
    assert result.closed == [] and result.reminded == []


async def test_ticket_waiting_for_staff_is_never_closed(inactivity, tickets, clock):
    await tickets.create(member(), subject="s", message="waiting for staff")
    clock.advance(days=60)
    result = await inactivity.sweep()
    assert result.reminded == [] and result.closed == []


async def test_custom_hours(inactivity, tickets, guilds, clock):
    await guilds.set_limits(admin(), reminder_hours=2, autoclose_hours=1)
    await waiting_on_member(tickets)
    clock.advance(hours=2, minutes=1)
    assert len((await inactivity.sweep()).reminded) == 1
    clock.advance(hours=1, minutes=1)
    assert len((await inactivity.sweep()).closed) == 1


async def test_a_busy_server_cannot_crowd_others_out_of_a_sweep(inactivity, tickets, guilds, clock):
    """600 tickets long pending on a server with a month-long reminder come first by age,
    yet the one ticket that is due elsewhere is reminded in the very next sweep."""
    other = 2000
    month = admin(guild_id=other)
    await guilds.setup(
        month, ticket_channel_id=1, staff_role_id=2, server=server(other, channels=(1,), roles=(2,))
    )
    await guilds.set_limits(month, reminder_hours=24 * 30, max_open_tickets=50, cooldown_seconds=0)
    for n in range(600):
        quiet = await tickets.create(
            member(user_id=10_000 + n, guild_id=other), subject="s", message="m"
        )
        quiet = await tickets.attach_thread(quiet.id, 500_000 + quiet.id)
        await tickets.record_message(
            thread_id=quiet.thread_id,
            author_id=50,
            author_is_staff=True,
            body="?",
            message_id=600_000 + quiet.id,
        )
    clock.advance(hours=10)
    due = await waiting_on_member(tickets)
    clock.advance(hours=49)
    assert [t.id for t in (await inactivity.sweep()).reminded] == [due.id]
