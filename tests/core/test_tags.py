"""TagService (SPEC §12): admins manage canned replies, staff post them as staff replies."""

from __future__ import annotations

import asyncio

import pytest

from core.clock import ManualClock
from core.errors import Forbidden, InvalidInput, LimitReached, NotFound
from core.guilds import GuildService
from core.models import AuthorKind, Feature, Status
from core.ports import Store, UnitOfWork
from core.tags import TAGS_MAX, TagService
from core.tickets import TicketService
from tests.core.conftest import GUILD, admin, member, staff
from tests.core.said import raises_worded

pytestmark = pytest.mark.usefixtures("set_up")

REFUND = "Refunds take 5 working days.\nReply here if it takes longer."


@pytest.fixture
def tags(store: Store, tickets: TicketService, clock: ManualClock) -> TagService:
    return TagService(store, tickets, clock)


async def test_admin_creates_and_staff_finds_by_any_case(tags: TagService) -> None:
    created = await tags.create(admin(), "  Refund   policy ", REFUND)
    assert created.name == "Refund policy" and created.content == REFUND
    assert created.created_by == admin().user_id
    found = await tags.get(staff(), "refund POLICY")
    assert found == created
    assert [t.name for t in await tags.suggest(staff(), "POL")] == ["Refund policy"]
    assert [t.name for t in await tags.suggest(staff(), "")] == ["Refund policy"]
    assert await tags.suggest(staff(), "nothing like it") == []


async def test_names_are_unique_per_server_whatever_the_case(tags: TagService) -> None:
    await tags.create(admin(), "refund", REFUND)
    with raises_worded(InvalidInput, "name: a tag named “REFUND” already exists"):
        await tags.create(admin(), "REFUND", "other")
    with raises_worded(InvalidInput, "already exists"):
        await tags.check_new(admin(), "Refund")
    assert await tags.check_new(admin(), "shipping") == "shipping"
    # Another server may use the same name.
    other = admin(guild_id=GUILD + 1)
    assert (await tags.create(other, "refund", "theirs")).guild_id == GUILD + 1
    assert (await tags.get(staff(), "refund")).content == REFUND


async def test_racing_creates_of_one_name_store_one(tags: TagService) -> None:
    results = await asyncio.gather(
        *(tags.create(admin(), "greeting", f"hello {n}") for n in range(5)),
        return_exceptions=True,
    )
    made = [r for r in results if not isinstance(r, BaseException)]
    assert len(made) == 1
    assert all(isinstance(r, InvalidInput) for r in results if r not in made)


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("", "x", "name: must not be empty"),
        ("x" * 33, "x", "name: must be at most 32 characters"),
        ("two\nlines", "x", "name: must be one line"),
        ("ok", "", "content: must not be empty"),
        ("ok", "y" * 2001, "content: must be at most 2000 characters"),
    ],
)
async def test_name_and_content_rules(tags: TagService, name: str, content: str, rule: str):
    with raises_worded(InvalidInput, rule):
        await tags.create(admin(), name, content)


async def test_staff_and_members_cannot_manage(tags: TagService) -> None:
    await tags.create(admin(), "refund", REFUND)
    for who in (staff(), member()):
        with raises_worded(Forbidden, "Only server admins .* staff can post them with `/tag use`"):
            await tags.create(who, "mine", "text")
        with raises_worded(Forbidden, "Only server admins"):
            await tags.for_edit(who, "refund")
        with raises_worded(Forbidden, "Only server admins"):
            await tags.delete(who, "refund")
    with raises_worded(Forbidden, "Only staff can use tags"):
        await tags.get(member(), "refund")
    with raises_worded(Forbidden, "Only staff can use tags"):
        await tags.page(member())
    assert await tags.suggest(member(), "ref") == []


async def test_edit_renames_and_rewrites_by_id(tags: TagService, clock: ManualClock) -> None:
    tag = await tags.create(admin(), "refund", REFUND)
    await tags.create(admin(), "shipping", "Ships in 2 days.")
    assert (await tags.for_edit(admin(), "REFUND")).id == tag.id
    clock.advance(minutes=1)
    edited = await tags.edit(admin(99), tag.id, "Refunds", "New text")
    assert (edited.name, edited.content, edited.updated_at) == ("Refunds", "New text", clock.now())
    assert edited.created_at == tag.created_at
    with raises_worded(NotFound, "no tag named “refund”"):
        await tags.get(staff(), "refund")
    with raises_worded(InvalidInput, "“Shipping” already exists"):
        await tags.edit(admin(), tag.id, "Shipping", "x")
    # Changing only the case of its own name is fine.
    assert (await tags.edit(admin(), tag.id, "REFUNDS", "x")).name == "REFUNDS"


async def test_edit_of_a_deleted_or_foreign_tag_is_refused(tags: TagService) -> None:
    tag = await tags.create(admin(), "refund", REFUND)
    with raises_worded(NotFound, "deleted meanwhile"):
        await tags.edit(admin(guild_id=GUILD + 1), tag.id, "refund", "stolen")
    deleted = await tags.delete(admin(), "Refund")
    assert deleted.id == tag.id
    with raises_worded(NotFound, "deleted meanwhile.*`/tag create`"):
        await tags.edit(admin(), tag.id, "refund", "again")
    with raises_worded(NotFound, "no tag named “refund”.*`/tag list`"):
        await tags.delete(admin(), "refund")


async def test_list_pages_by_name(tags: TagService) -> None:
    for name in ["delta", "Alpha", "charlie", "bravo"]:
        await tags.create(admin(), name, f"{name} text")
    first = await tags.page(staff(), 0, page_size=3)
    assert [t.name for t in first.items] == ["Alpha", "bravo", "charlie"]
    assert (first.total, first.page_count, first.has_next) == (4, 2, True)
    second = await tags.page(staff(), 1, page_size=3)
    assert [t.name for t in second.items] == ["delta"]


async def test_a_server_keeps_at_most_so_many_tags(
    tags: TagService, store: Store, clock: ManualClock
) -> None:
    async def fill(uow: UnitOfWork) -> None:
        for n in range(TAGS_MAX):
            name = f"t{n}"
            await uow.tags.insert(
                guild_id=GUILD, name=name, key=name, content="x", author_id=1, now=clock.now()
            )

    await store.write(fill)
    with raises_worded(LimitReached, f"has {TAGS_MAX} tags"):
        await tags.create(admin(), "one more", "x")


async def test_use_is_a_staff_reply(tags: TagService, tickets: TicketService) -> None:
    ticket = await tickets.create(member(), subject="Money", message="Where is my refund?")
    await tags.create(admin(), "refund", REFUND)
    tag, stored = await tags.use(staff(), ticket.id, "Refund")
    assert tag.name == "refund"
    assert stored.reply.body == REFUND and stored.reply.author_kind is AuthorKind.STAFF
    assert stored.reply.author_id == staff().user_id
    assert stored.ticket.status is Status.PENDING  # waiting for the member, as after any answer
    assert stored.ticket.first_response_seconds is not None
    _, replies = await tickets.all_replies(staff(), ticket.id)
    assert [r.body for r in replies] == ["Where is my refund?", REFUND]


async def test_use_takes_the_ticket_over_from_the_ai(
    tags: TagService, tickets: TicketService, guilds: GuildService
) -> None:
    await guilds.set_feature(admin(), Feature.AI, True)
    ticket = await tickets.create(member(), subject="Money", message="Where is my refund?")
    assert ticket.ai_active
    await tags.create(admin(), "refund", REFUND)
    _, stored = await tags.use(staff(), ticket.id, "refund")
    assert not stored.ticket.ai_active


async def test_use_refusals(tags: TagService, tickets: TicketService) -> None:
    ticket = await tickets.create(member(), subject="Money", message="Where is my refund?")
    await tags.create(admin(), "refund", REFUND)
    with raises_worded(Forbidden, "Only staff can use tags"):
        await tags.use(member(), ticket.id, "refund")
    with raises_worded(NotFound, "no tag named “nope”"):
        await tags.use(staff(), ticket.id, "nope")
    with raises_worded(NotFound, "Ticket #999 was not found"):
        await tags.use(staff(), 999, "refund")
    await tags.create(admin(guild_id=GUILD + 1), "refund", "theirs")
    with raises_worded(NotFound, f"Ticket #{ticket.id} was not found"):
        await tags.use(staff(guild_id=GUILD + 1), ticket.id, "refund")
    await tickets.close(staff(), ticket.id, None)
    with raises_worded(match="closed"):
        await tags.use(staff(), ticket.id, "refund")
