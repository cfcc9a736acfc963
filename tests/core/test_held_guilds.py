"""With several shard processes, each sweeps only the guilds it holds (SPEC §10).

The sweeps' questions take the held guilds and answer for them alone, in the store, so
a process never sees, let alone touches, another's tickets; None asks for every guild.
"""

from __future__ import annotations

import pytest

from core.closing import LEASE, CloseService
from core.models import Status
from core.upkeep import InactivityService
from tests.core.conftest import GUILD, STAFF_ROLE, TICKET_CHANNEL, admin, member, server

pytestmark = pytest.mark.usefixtures("set_up")

OTHER = GUILD + 1  # another server, held by another process


@pytest.fixture
async def other_guild(guilds) -> int:
    other = admin(guild_id=OTHER)
    await guilds.setup(
        other,
        ticket_channel_id=TICKET_CHANNEL,
        staff_role_id=STAFF_ROLE,
        server=server(guild_id=OTHER),
    )
    await guilds.set_limits(other, cooldown_seconds=0)
    return OTHER


async def with_thread(tickets, guild_id: int):
    ticket = await tickets.create(member(guild_id=guild_id), subject="s", message="m")
    return await tickets.attach_thread(ticket.id, 800_000 + ticket.id)


async def waiting_on_member(tickets, guild_id: int):
    ticket = await with_thread(tickets, guild_id)
    ticket, _ = await tickets.record_message(
        thread_id=ticket.thread_id,
        author_id=50,
        author_is_staff=True,
        body="Did that help?",
        message_id=700_000 + ticket.id,
    )
    assert ticket.status is Status.PENDING
    return ticket


def ids(tickets) -> list[int]:
    return [ticket.id for ticket in tickets]


async def test_reminders_and_closes_of_held_guilds_only(store, tickets, clock, other_guild):
    inactivity = InactivityService(store, tickets, clock)
    theirs = await waiting_on_member(tickets, other_guild)  # the lower id: first in a sweep
    ours = await waiting_on_member(tickets, GUILD)
    clock.advance(hours=49)
    assert ids(await inactivity.due_reminders(guild_ids=[GUILD])) == [ours.id]
    assert ids(await inactivity.due_reminders(guild_ids=[other_guild])) == [theirs.id]
    assert ids(await inactivity.due_reminders()) == [theirs.id, ours.id]
    assert await inactivity.due_reminders(guild_ids=[]) == []
    for ticket in (theirs, ours):
        assert await inactivity.mark_reminded(ticket)
    clock.advance(hours=25)
    assert ids(await inactivity.due_closes(guild_ids=[GUILD])) == [ours.id]
    assert ids(await inactivity.due_closes()) == [theirs.id, ours.id]


async def test_unfinished_closes_of_held_guilds_only(store, tickets, clock, other_guild):
    closing = CloseService(store, clock)
    theirs = await tickets.close(
        member(guild_id=other_guild), (await with_thread(tickets, other_guild)).id
    )
    ours = await tickets.close(member(), (await with_thread(tickets, GUILD)).id)
    clock.advance(seconds=LEASE.total_seconds() + 1)
    [work] = await closing.claim_due(guild_ids=[GUILD])
    assert work.ticket_id == ours.id and work.attempts == 2
    assert await closing.claim_due(guild_ids=[GUILD]) == []
    untouched = await closing.pending(theirs.id)
    assert untouched is not None and untouched.attempts == 1  # the other process's, as it was
    [work] = await closing.claim_due()
    assert work.ticket_id == theirs.id


async def test_catch_up_walks_one_shards_threads(tickets, other_guild):
    theirs = await with_thread(tickets, other_guild)
    ours = await with_thread(tickets, GUILD)
    assert [t for t, _, _ in await tickets.live_threads(guild_ids=[GUILD])] == [ours.id]
    assert [t for t, _, _ in await tickets.live_threads()] == [theirs.id, ours.id]
    assert await tickets.live_threads(guild_ids=[]) == []


async def test_waiting_tickets_of_held_guilds_only(tickets, other_guild):
    theirs = await tickets.create(member(guild_id=other_guild), subject="s", message="m")
    ours = await tickets.create(member(), subject="s", message="m")
    assert ids(await tickets.waiting_for_thread([GUILD])) == [ours.id]
    again = await tickets.get(member(guild_id=other_guild), theirs.id)
    assert again.thread_attempts == 0
