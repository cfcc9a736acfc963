"""Inactivity: pending tickets get one reminder, then close with "no reply"; open ones never."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from core.models import Feature, Status, Ticket
from core.upkeep import InactivityService
from tests.core.conftest import admin, member, server

pytestmark = pytest.mark.usefixtures("set_up")


@dataclass
class Swept:
    reminded: list[Ticket] = field(default_factory=list)
    closed: list[Ticket] = field(default_factory=list)


class Sweeper:
    """What the upkeep cog does, without Discord: every reminder "sent" is recorded."""

    def __init__(self, service: InactivityService) -> None:
        self.service = service

    def __getattr__(self, name: str):
        return getattr(self.service, name)

    async def sweep(self) -> Swept:
        result = Swept()
        for ticket in await self.service.due_reminders():
            if await self.service.mark_reminded(ticket):
                result.reminded.append(ticket)
        for ticket in await self.service.due_closes():
            closed = await self.service.close_if_due(ticket.id)
            if closed is not None:
                result.closed.append(closed)
        return result


@pytest.fixture
def inactivity(store, tickets, clock) -> Sweeper:
    return Sweeper(InactivityService(store, tickets, clock))


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


async def test_a_reply_after_the_sweep_picked_the_ticket_prevents_the_close(
    inactivity, tickets, clock
):
    ticket = await waiting_on_member(tickets)
    clock.advance(hours=49)
    assert len((await inactivity.sweep()).reminded) == 1
    clock.advance(hours=25)
    picked = await inactivity.due_closes()
    assert [t.id for t in picked] == [ticket.id]
    # Between picking and closing: the member answers, staff answer back (pending again).
    for author, staff, message_id in ((1, False, 901), (50, True, 902)):
        await tickets.record_message(
            thread_id=ticket.thread_id,
            author_id=author,
            author_is_staff=staff,
            body="…",
            message_id=message_id,
        )
    assert (await tickets.get(admin(), ticket.id)).status is Status.PENDING
    assert await inactivity.close_if_due(ticket.id) is None
    assert (await tickets.get(admin(), ticket.id)).status is Status.PENDING


async def test_a_reminder_is_recorded_only_for_the_ticket_as_picked(inactivity, tickets, clock):
    ticket = await waiting_on_member(tickets)
    clock.advance(hours=49)
    [picked] = await inactivity.due_reminders()
    await tickets.record_message(
        thread_id=ticket.thread_id, author_id=1, author_is_staff=False, body="hi", message_id=903
    )
    assert not await inactivity.mark_reminded(picked)


async def test_a_server_with_ticketing_off_is_left_alone(inactivity, tickets, guilds, clock):
    await waiting_on_member(tickets)
    await guilds.set_feature(admin(), Feature.TICKETING, False)
    clock.advance(days=30)
    result = await inactivity.sweep()
    assert result.reminded == [] and result.closed == []
    await guilds.set_feature(admin(), Feature.TICKETING, True)
    assert len((await inactivity.sweep()).reminded) == 1
