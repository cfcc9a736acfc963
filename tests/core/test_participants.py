"""People staff add to a ticket: recorded with who added them, read and reply like the
owner, can't close or resolve it, and lose access when taken out."""

from __future__ import annotations

import pytest

from core.desk_tool_models import ParticipantKind
from core.errors import FeatureDisabled, Forbidden, InvalidInput, NotFound
from core.models import AuthorKind, Feature, Status
from core.participants import ParticipantService
from tests.core.conftest import GUILD, admin, member, server, staff
from tests.core.said import raises_worded

pytestmark = pytest.mark.usefixtures("set_up")

OWNER, GUEST, STRANGER = 1, 7, 8
HELPERS = 4242  # a role of the server


@pytest.fixture
def people(store, guilds, clock) -> ParticipantService:
    return ParticipantService(store, guilds, clock)


async def opened(tickets, who=OWNER, **fields):
    values = {"subject": "Printer on fire", "message": "It is really on fire."} | fields
    return await tickets.create(member(who), **values)


async def test_an_added_member_reads_and_replies_like_the_owner(tickets, people, clock):
    ticket = await opened(tickets)
    with raises_worded(Forbidden, "belongs to someone else"):
        await tickets.get(member(GUEST), ticket.id)

    clock.advance(minutes=1)
    _, added = await people.add_member(staff(50), ticket.id, GUEST)
    assert added
    assert (await tickets.get(member(GUEST), ticket.id)).id == ticket.id
    _, page = await tickets.view(member(GUEST), ticket.id)
    assert page.total == 1
    updated, reply = await tickets.reply(member(GUEST), ticket.id, "Same here")
    assert reply.author_kind is AuthorKind.MEMBER and reply.author_id == GUEST
    assert updated.status is Status.OPEN

    listed = await tickets.list(member(GUEST))
    assert [t.id for t in listed.items] == [ticket.id]
    assert listed.total == 1
    (entry,) = await people.of_ticket(staff(), ticket.id)
    assert (entry.kind, entry.target_id, entry.added_by) == (ParticipantKind.MEMBER, GUEST, 50)
    assert entry.added_at == clock.now()


async def test_the_list_of_an_added_member_mixes_their_own_tickets_and_keeps_filters(
    tickets, people
):
    theirs = await opened(tickets, GUEST, subject="Mine")
    others = await opened(tickets, OWNER, subject="Other's", priority="high")
    await opened(tickets, OWNER, subject="Not added")
    await people.add_member(staff(), others.id, GUEST)
    listed = await tickets.list(member(GUEST))
    assert [t.id for t in listed.items] == [others.id, theirs.id]
    assert listed.total == 2
    high = await tickets.list(member(GUEST), priority="high")
    assert [t.id for t in high.items] == [others.id]
    second = await tickets.list(member(GUEST), page=1, page_size=1)
    assert [t.id for t in second.items] == [theirs.id]


async def test_an_added_member_cannot_close_resolve_or_reopen(tickets, people):
    ticket = await opened(tickets)
    await people.add_member(staff(), ticket.id, GUEST)
    with raises_worded(Forbidden, r"added to ticket #\d+: you can read and reply, but only"):
        await tickets.close(member(GUEST), ticket.id)
    with raises_worded(Forbidden, "only its owner and staff can resolve it"):
        await tickets.resolve(member(GUEST), ticket.id)
    await tickets.close(member(OWNER), ticket.id)
    with raises_worded(Forbidden, "Only staff can reopen"):
        await tickets.reopen(member(GUEST), ticket.id)
    with raises_worded(Forbidden, "Only staff can reopen"):
        await tickets.check_reopen(member(GUEST), ticket.id)


async def test_adding_is_for_staff_and_refuses_the_owner_closed_tickets_and_unknown_ids(
    tickets, people
):
    ticket = await opened(tickets)
    with raises_worded(Forbidden, "Only staff can add people"):
        await people.add_member(member(OWNER), ticket.id, GUEST)
    with raises_worded(InvalidInput, r"member: opened ticket #\d+, so they are in it already"):
        await people.add_member(staff(), ticket.id, OWNER)
    with raises_worded(NotFound, "was not found"):
        await people.add_member(staff(), 999_999, GUEST)
    with raises_worded(NotFound, "was not found"):
        await people.add_member(staff(guild_id=GUILD + 1), ticket.id, GUEST)
    await tickets.close(member(OWNER), ticket.id)
    with raises_worded(InvalidInput, "reopen it first"):
        await people.add_member(staff(), ticket.id, GUEST)


async def test_adding_twice_records_once(tickets, people):
    ticket = await opened(tickets)
    assert (await people.add_member(staff(50), ticket.id, GUEST))[1]
    assert not (await people.add_member(staff(51), ticket.id, GUEST))[1]
    (entry,) = await people.of_ticket(staff(), ticket.id)
    assert entry.added_by == 50


async def test_removing_takes_access_away_and_never_the_owner(tickets, people):
    ticket = await opened(tickets)
    await people.add_member(staff(), ticket.id, GUEST)
    _, removed = await people.remove_member(staff(), ticket.id, GUEST)
    assert removed
    with raises_worded(Forbidden, "belongs to someone else"):
        await tickets.reply(member(GUEST), ticket.id, "still here?")
    assert (await tickets.list(member(GUEST))).total == 0
    # Someone only brought in by a role has no record: removing them is no error.
    _, removed = await people.remove_member(staff(), ticket.id, STRANGER)
    assert not removed
    with raises_worded(InvalidInput, "can't be taken out of it; close the ticket instead"):
        await people.remove_member(staff(), ticket.id, OWNER)
    with raises_worded(Forbidden, "Only staff"):
        await people.remove_member(member(OWNER), ticket.id, GUEST)


async def test_a_withdrawn_add_leaves_no_record(tickets, people):
    ticket = await opened(tickets)
    await people.add_member(staff(), ticket.id, GUEST)
    await people.withdraw(ticket.id, ParticipantKind.MEMBER, GUEST)
    assert await people.of_ticket(staff(), ticket.id) == []


async def test_a_role_is_recorded_but_gives_no_one_command_access(tickets, people):
    ticket = await opened(tickets)
    here = server(roles=(HELPERS,))
    _, added = await people.add_role(staff(50), ticket.id, HELPERS, server=here)
    assert added
    (entry,) = await people.of_ticket(staff(), ticket.id)
    assert (entry.kind, entry.target_id) == (ParticipantKind.ROLE, HELPERS)
    with raises_worded(Forbidden, "belongs to someone else"):
        await tickets.get(member(GUEST), ticket.id)
    with raises_worded(InvalidInput, "role: is not a role of this server"):
        await people.add_role(staff(), ticket.id, 5555, server=here)
    with raises_worded(InvalidInput, "role: @everyone can't be brought into a ticket"):
        await people.add_role(staff(), ticket.id, GUILD, server=server(roles=(GUILD,)))


async def test_the_record_goes_with_the_ticket_and_the_flag(tickets, people, guilds):
    ticket = await opened(tickets)
    await people.add_member(staff(), ticket.id, GUEST)
    await guilds.forget(admin())
    assert (await tickets.list(member(GUEST))).total == 0
    await guilds.set_feature(admin(), Feature.TICKETING, False)
    with pytest.raises(FeatureDisabled):
        await people.add_member(staff(), ticket.id, GUEST)
