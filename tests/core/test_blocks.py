"""BlockService (SPEC §12): blocked members (or roles) can't open tickets or submit forms,
whatever the front end; their existing tickets stay; staff are never blocked by a role."""

from __future__ import annotations

import asyncio
import json

import pytest

from core.blocks import BlockService
from core.clock import ManualClock
from core.errors import Forbidden, InvalidInput, NotFound
from core.forms import FormService
from core.guilds import GuildService
from core.models import Actor, Status
from core.notes import NoteService
from core.ports import Store
from core.staff_models import BlockKind
from core.tags import TagService
from core.tickets import TicketService
from tests.core.conftest import GUILD, STAFF_ROLE, admin, member, staff
from tests.core.said import raises_worded

pytestmark = pytest.mark.usefixtures("set_up")

TROUBLE = 4242  # a role admins block
BLOCKED_MEMBER = "You are blocked from opening tickets and submitting forms on this server"
FORM = json.dumps(
    {"title": "Beta", "questions": [{"id": "why", "label": "Why?", "kind": "short_text"}]}
)


@pytest.fixture
def blocks(store: Store, clock: ManualClock) -> BlockService:
    return BlockService(store, clock)


@pytest.fixture
def forms(store: Store, guilds: GuildService, clock: ManualClock) -> FormService:
    return FormService(store, guilds, clock)


def holding(role_id: int, *, user_id: int = 1, is_staff: bool = False) -> Actor:
    return Actor(
        user_id=user_id, guild_id=GUILD, is_staff=is_staff, role_ids=frozenset({GUILD, role_id})
    )


async def open_ticket(tickets: TicketService, who: Actor):
    return await tickets.create(who, subject="Help", message="Please help.")


async def test_a_blocked_member_cannot_open_and_is_told_what_to_do(
    blocks: BlockService, tickets: TicketService
) -> None:
    block = await blocks.block_member(admin(), member().user_id, "  spamming tickets ")
    assert (block.kind, block.reason, block.blocked_by) == (
        BlockKind.MEMBER,
        "spamming tickets",
        99,
    )
    with raises_worded(Forbidden, BLOCKED_MEMBER + r"\. If you think this is a mistake, ask"):
        await open_ticket(tickets, member())
    with raises_worded(Forbidden, BLOCKED_MEMBER):
        await blocks.check(member())
    # Others are not affected.
    assert (await open_ticket(tickets, member(2))).owner_id == 2


async def test_existing_tickets_stay_usable(blocks: BlockService, tickets: TicketService) -> None:
    ticket = await open_ticket(tickets, member())
    await tickets.reply(staff(), ticket.id, "What model?")
    await blocks.block_member(admin(), member().user_id)
    _, reply = await tickets.reply(member(), ticket.id, "Model X")
    assert reply.body == "Model X"
    assert (await tickets.get(member(), ticket.id)).status is Status.OPEN
    await tickets.close(member(), ticket.id, None)


async def test_unblock_lets_them_open_again(blocks: BlockService, tickets: TicketService):
    await blocks.block_member(admin(), member().user_id)
    lifted = await blocks.unblock(admin(), BlockKind.MEMBER, member().user_id)
    assert lifted.target_id == member().user_id
    assert (await open_ticket(tickets, member())).owner_id == member().user_id
    with raises_worded(NotFound, r"<@1> is not blocked\. `/admin blocked` lists who is"):
        await blocks.unblock(admin(), BlockKind.MEMBER, member().user_id)
    with raises_worded(NotFound, "<@&4242> is not blocked"):
        await blocks.unblock(admin(), BlockKind.ROLE, TROUBLE)


async def test_a_blocked_role_blocks_members_holding_it_but_never_staff(
    blocks: BlockService, tickets: TicketService, guilds: GuildService
) -> None:
    await blocks.block_role(admin(), TROUBLE, await guilds.config(GUILD))
    with raises_worded(Forbidden, r"Your role <@&4242> is blocked .* ask a server admin"):
        await open_ticket(tickets, holding(TROUBLE))
    assert (await open_ticket(tickets, holding(555))).owner_id == 1  # another role
    staff_member = holding(TROUBLE, user_id=50, is_staff=True)
    assert (await open_ticket(tickets, staff_member)).owner_id == 50
    await blocks.check(staff_member)


async def test_a_member_block_applies_to_staff_too(blocks: BlockService, tickets):
    await blocks.block_member(admin(), staff().user_id)
    with raises_worded(Forbidden, BLOCKED_MEMBER):
        await open_ticket(tickets, staff())


async def test_blocked_members_cannot_submit_forms(
    blocks: BlockService, forms: FormService, guilds: GuildService
) -> None:
    form = await forms.create(admin(), FORM)
    await blocks.block_member(admin(), member().user_id)
    with raises_worded(Forbidden, BLOCKED_MEMBER):
        await forms.check_can_submit(member(), form.id, [])
    with raises_worded(Forbidden, BLOCKED_MEMBER):
        await forms.submit(member(), form.id, [], {"why": "fun"})
    # A role block counts the roles the front end read, as well as the actor's own.
    await blocks.block_role(admin(), TROUBLE, await guilds.config(GUILD))
    with raises_worded(Forbidden, "Your role <@&4242> is blocked"):
        await forms.submit(member(2), form.id, [TROUBLE], {"why": "fun"})
    assert (await forms.submit(member(3), form.id, [], {"why": "fun"})).user_id == 3


async def test_a_block_racing_a_submission_keeps_it_out(
    blocks: BlockService, forms: FormService
) -> None:
    form = await forms.create(admin(), FORM)
    # Whichever check sees the block first (the fast one or the one inside the write),
    # the submission never gets in.
    results = await asyncio.gather(
        blocks.block_member(admin(), member().user_id),
        forms.submit(member(), form.id, [], {"why": "fun"}),
        return_exceptions=True,
    )
    assert isinstance(results[1], Forbidden), results


async def test_only_admins_block(blocks: BlockService, guilds: GuildService) -> None:
    config = await guilds.config(GUILD)
    for who in (staff(), member()):
        with raises_worded(Forbidden, "Only server admins"):
            await blocks.block_member(who, 5)
        with raises_worded(Forbidden, "Only server admins"):
            await blocks.block_role(who, TROUBLE, config)
        with raises_worded(Forbidden, "Only server admins"):
            await blocks.unblock(who, BlockKind.MEMBER, 5)
        with raises_worded(Forbidden, "Only server admins"):
            await blocks.page(who)


async def test_what_cannot_be_blocked(blocks: BlockService, guilds: GuildService) -> None:
    config = await guilds.config(GUILD)
    with raises_worded(InvalidInput, "member: you can't block yourself"):
        await blocks.block_member(admin(), admin().user_id)
    with raises_worded(InvalidInput, "role: the everyone role can't be blocked"):
        await blocks.block_role(admin(), GUILD, config)
    with raises_worded(InvalidInput, "role: <@&2000> is a staff role"):
        await blocks.block_role(admin(), STAFF_ROLE, config)
    with raises_worded(InvalidInput, "reason: must be at most 500 characters"):
        await blocks.block_member(admin(), 5, "x" * 501)


async def test_blocking_again_updates_and_the_list_pages(
    blocks: BlockService, guilds: GuildService, clock: ManualClock
) -> None:
    await blocks.block_role(admin(), TROUBLE, await guilds.config(GUILD))
    for user_id in (7, 8, 9):
        clock.advance(minutes=1)
        await blocks.block_member(admin(), user_id, f"reason {user_id}")
    clock.advance(minutes=1)
    again = await blocks.block_member(admin(98), 7, "worse")
    assert (again.reason, again.blocked_by) == ("worse", 98)
    first = await blocks.page(admin(), 0, page_size=3)
    assert [(b.kind, b.target_id) for b in first.items] == [
        (BlockKind.MEMBER, 8),
        (BlockKind.MEMBER, 9),
        (BlockKind.MEMBER, 7),
    ]
    assert first.total == 4
    second = await blocks.page(admin(), 1, page_size=3)
    assert [(b.kind, b.target_id) for b in second.items] == [(BlockKind.ROLE, TROUBLE)]
    # Other servers have their own lists.
    assert (await blocks.page(admin(guild_id=GUILD + 1))).total == 0


async def test_forgetting_the_server_forgets_its_blocks_tags_and_notes(
    blocks: BlockService,
    guilds: GuildService,
    store: Store,
    tickets: TicketService,
    clock: ManualClock,
) -> None:
    tags = TagService(store, tickets, clock)
    notes = NoteService(store, guilds, clock)
    ticket = await open_ticket(tickets, member())
    await notes.add(staff(), ticket.id, "note")
    await tags.create(admin(), "refund", "text")
    await tags.create(admin(guild_id=GUILD + 1), "refund", "theirs")
    await blocks.block_member(admin(), 7)
    await guilds.forget(admin())
    assert (await blocks.page(admin())).total == 0
    assert (await tags.page(staff())).total == 0
    assert (await tags.page(staff(guild_id=GUILD + 1))).total == 1
    assert await store.reads.notes.of_ticket(ticket.id) == []
