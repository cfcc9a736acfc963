"""TicketService against a real SQLite file: rules of SPEC §2, permissions, concurrency."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import pytest

from core.errors import (
    FeatureDisabled,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    LimitReached,
    NotConfigured,
    NotFound,
)
from core.models import AuthorKind, Department, Feature, Priority, Status
from core.ticket_threads import THREAD_LEASE, thread_retry_pause
from storage.sqlite.store import SqliteStore
from tests.core.conftest import (
    GUILD,
    STAFF_ROLE,
    TICKET_CHANNEL,
    admin,
    member,
    server,
    staff,
)
from tests.core.said import raises_worded, words

pytestmark = pytest.mark.usefixtures("set_up")


async def open_ticket(tickets, who=None, **fields):
    values = {"subject": "Printer on fire", "message": "It is really on fire."} | fields
    return await tickets.create(who or member(), **values)


async def say(tickets, ticket, author_id, *, is_staff=False, message_id=None, body="hello"):
    say.counter = getattr(say, "counter", 10_000) + 1
    return await tickets.record_message(
        thread_id=ticket.thread_id,
        author_id=author_id,
        author_is_staff=is_staff,
        body=body,
        message_id=message_id or say.counter,
    )


async def threaded(tickets, who=None, **fields):
    ticket = await open_ticket(tickets, who, **fields)
    return await tickets.attach_thread(ticket.id, 900_000 + ticket.id, opening_message_id=None)


async def test_create_defaults_and_opening_reply(tickets):
    ticket = await open_ticket(tickets)
    assert ticket.status is Status.OPEN
    assert ticket.priority is Priority.MEDIUM
    assert ticket.department is Department.TECHNICAL_SUPPORT
    assert ticket.ref == f"#{ticket.id}"
    _, page = await tickets.view(member(), ticket.id)
    assert [r.body for r in page.items] == ["It is really on fire."]
    assert page.items[0].author_kind is AuthorKind.MEMBER


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"subject": ""}, "subject", "must not be empty"),
        ({"subject": "   "}, "subject", "must not be empty"),
        ({"subject": "x" * 101}, "subject", "at most 100"),
        ({"subject": "two\nlines"}, "subject", "one line"),
        ({"message": ""}, "message", "must not be empty"),
        ({"message": "y" * 4001}, "message", "at most 4000"),
        ({"message": "bell\x07byte"}, "message", "control characters"),
        ({"priority": "critical"}, "priority", "urgent, high, medium, low"),
        ({"department": "Legal"}, "department", "Technical Support, Billing, Sales, Security"),
    ],
)
async def test_create_validation_names_field_and_rule(tickets, fields, field, rule):
    with pytest.raises(InvalidInput) as caught:
        await open_ticket(tickets, **fields)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert rule in words(caught.value)


async def test_limits_at_edges_are_accepted(tickets):
    ticket = await open_ticket(tickets, subject="s" * 100, message="m" * 4000, priority="URGENT")
    assert len(ticket.subject) == 100 and ticket.priority is Priority.URGENT


async def test_create_without_setup_says_to_run_admin_setup(tickets):
    with raises_worded(NotConfigured, match="/admin setup"):
        await tickets.create(member(guild_id=555), subject="a", message="b")


async def test_open_ticket_cap_and_cooldown(tickets, guilds, clock):
    await guilds.set_limits(admin(), max_open_tickets=2, cooldown_seconds=60)
    first = await open_ticket(tickets)
    with raises_worded(LimitReached, match=f"You just opened ticket {first.ref}"):
        await open_ticket(tickets)
    clock.advance(seconds=61)
    await open_ticket(tickets)
    clock.advance(seconds=61)
    with raises_worded(LimitReached, match="limit is 2"):
        await open_ticket(tickets)
    await tickets.close(member(), first.id)
    await open_ticket(tickets)


async def test_racing_creates_of_one_member_make_one_ticket(tickets, guilds):
    await guilds.set_limits(admin(), cooldown_seconds=30)
    results = await asyncio.gather(
        *(open_ticket(tickets) for _ in range(5)), return_exceptions=True
    )
    made = [r for r in results if not isinstance(r, Exception)]
    assert len(made) == 1
    assert all(isinstance(r, LimitReached) for r in results if isinstance(r, Exception))


async def test_two_hundred_concurrent_creates_all_commit(tickets, guilds, store):
    await guilds.set_limits(admin(), max_open_tickets=50)
    made = await asyncio.gather(*(open_ticket(tickets, member(user_id=1 + n)) for n in range(200)))
    ids = {t.id for t in made}
    assert len(ids) == 200
    if isinstance(store, SqliteStore):  # the rows themselves
        async with store.database.reader.execute("SELECT COUNT(*) FROM tickets") as cursor:
            assert (await cursor.fetchone())[0] == 200
    assert [(await store.reads.tickets.get(i)) is not None for i in ids] == [True] * 200


async def test_member_and_staff_messages_move_status(tickets):
    ticket = await threaded(tickets)
    ticket, _ = await say(tickets, ticket, 50, is_staff=True)
    assert ticket.status is Status.PENDING
    ticket, _ = await say(tickets, ticket, 1)
    assert ticket.status is Status.OPEN
    ticket = await tickets.resolve(member(), ticket.id)
    assert ticket.status is Status.RESOLVED
    ticket, _ = await say(tickets, ticket, 1)
    assert ticket.status is Status.OPEN


async def test_first_response_and_human_takeover(tickets, clock):
    ticket = await threaded(tickets)
    clock.advance(seconds=90)
    ticket, reply = await say(tickets, ticket, 50, is_staff=True)
    assert reply.author_kind is AuthorKind.STAFF
    assert ticket.first_response_seconds == 90
    assert ticket.ai_active is False


async def test_mirroring_is_idempotent_and_edits_update(tickets):
    ticket = await threaded(tickets)
    assert await say(tickets, ticket, 1, message_id=777, body="first") is not None
    assert await say(tickets, ticket, 1, message_id=777, body="first") is None
    edited = await tickets.record_edit(777, "first, corrected")
    assert edited.body == "first, corrected" and edited.edited_at is not None
    _, page = await tickets.view(member(), ticket.id)
    assert [r.body for r in page.items].count("first, corrected") == 1


async def test_message_in_unknown_thread_is_ignored(tickets):
    result = await tickets.record_message(
        thread_id=1, author_id=1, author_is_staff=False, body="x", message_id=5
    )
    assert result is None


@pytest.mark.parametrize(
    ("path", "event", "expected"),
    [
        ([], "resolve", Status.RESOLVED),
        ([], "close", Status.CLOSED),
        (["close"], "reopen", Status.OPEN),
        (["resolve"], "close", Status.CLOSED),
    ],
)
async def test_allowed_transitions(tickets, path, event, expected):
    ticket = await open_ticket(tickets)
    for step in [*path, event]:
        ticket = await getattr(tickets, step)(staff(), ticket.id)
    assert ticket.status is expected


@pytest.mark.parametrize(
    ("path", "event", "message"),
    [
        (["resolve"], "resolve", "already resolved"),
        (["close"], "close", "already closed"),
        (["close"], "resolve", "is closed"),
        ([], "reopen", "is not closed"),
        (["resolve"], "reopen", "is not closed"),
    ],
)
async def test_refused_transitions(tickets, path, event, message):
    ticket = await open_ticket(tickets)
    for step in path:
        ticket = await getattr(tickets, step)(staff(), ticket.id)
    with raises_worded(InvalidTransition, match=message):
        await getattr(tickets, event)(staff(), ticket.id)


async def test_reply_to_closed_ticket_is_refused(tickets):
    ticket = await open_ticket(tickets)
    await tickets.close(member(), ticket.id, "sorted")
    with raises_worded(InvalidTransition, match="reopen"):
        await tickets.reply(member(), ticket.id, "one more thing")


async def test_close_records_reason_and_who(tickets):
    ticket = await open_ticket(tickets)
    closed = await tickets.close(staff(), ticket.id, "  fixed the toner ")
    assert closed.close_reason == "fixed the toner"
    assert closed.closed_by == 50 and closed.closed_at is not None
    reopened = await tickets.reopen(staff(), ticket.id)
    assert reopened.closed_at is None and reopened.status is Status.OPEN


@pytest.mark.parametrize(
    ("operation", "member_may", "other_may", "staff_may", "admin_may"),
    [
        ("view", True, False, True, True),
        ("reply", True, False, True, True),
        ("resolve", True, False, True, True),
        ("close", True, False, True, True),
        ("claim", False, False, True, True),
        ("set_priority", False, False, True, True),
        ("set_department", False, False, True, True),
        ("stats", False, False, True, True),
    ],
)
async def test_permission_matrix(tickets, operation, member_may, other_may, staff_may, admin_may):
    for actor, allowed in (
        (member(), member_may),
        (member(user_id=2), other_may),
        (staff(), staff_may),
        (admin(), admin_may),
    ):
        ticket = await open_ticket(tickets, member(user_id=1))
        calls = {
            "view": lambda a, t=ticket: tickets.view(a, t.id),
            "reply": lambda a, t=ticket: tickets.reply(a, t.id, "hi"),
            "resolve": lambda a, t=ticket: tickets.resolve(a, t.id),
            "close": lambda a, t=ticket: tickets.close(a, t.id),
            "claim": lambda a, t=ticket: tickets.claim(a, t.id),
            "set_priority": lambda a, t=ticket: tickets.set_priority(a, t.id, "high"),
            "set_department": lambda a, t=ticket: tickets.set_department(a, t.id, "Billing"),
            "stats": lambda a, t=ticket: tickets.stats(a),
        }
        if allowed:
            await calls[operation](actor)
        else:
            with pytest.raises(Forbidden):
                await calls[operation](actor)
        with contextlib.suppress(InvalidTransition):  # "close" closed it already
            await tickets.close(staff(), ticket.id)


async def test_reopen_is_staff_only(tickets):
    ticket = await open_ticket(tickets)
    await tickets.close(member(), ticket.id)
    with pytest.raises(Forbidden):
        await tickets.reopen(member(), ticket.id)


@pytest.mark.parametrize("bad_id", [0, -1, 999_999, 2**70])
async def test_unknown_ticket_names_the_id(tickets, bad_id):
    with raises_worded(NotFound, match=f"#{bad_id}"):
        await tickets.view(member(), bad_id)


async def test_other_guild_ticket_is_not_found(tickets, guilds):
    ticket = await open_ticket(tickets)
    with pytest.raises(NotFound):
        await tickets.view(staff(guild_id=4242), ticket.id)


async def test_list_visibility_filters_and_pages(tickets, guilds):
    await guilds.set_limits(admin(), max_open_tickets=50)
    for n in range(12):
        await open_ticket(tickets, member(user_id=1), subject=f"a{n}", priority="high")
    await open_ticket(tickets, member(user_id=2), subject="bob's", department="Billing")
    mine = await tickets.list(member(user_id=1))
    assert mine.total == 12 and len(mine.items) == 10 and mine.has_next
    assert [t.subject for t in mine.items][:2] == ["a11", "a10"]
    second = await tickets.list(member(user_id=1), page=1)
    assert [t.subject for t in second.items] == ["a1", "a0"] and not second.has_next
    assert all(t.owner_id == 1 for t in mine.items + second.items)
    everyone = await tickets.list(staff())
    assert everyone.total == 13
    billing = await tickets.list(staff(), department="billing")
    assert [t.subject for t in billing.items] == ["bob's"]
    assert (await tickets.list(staff(), priority="high", status="open")).total == 12
    with raises_worded(InvalidInput, match="status"):
        await tickets.list(staff(), status="lost")


async def test_stats_on_known_data(tickets, guilds, clock):
    await guilds.set_limits(admin(), max_open_tickets=50)
    a = await threaded(tickets, priority="urgent")
    b = await threaded(tickets, department="Billing")
    c = await threaded(tickets, department="Sales", priority="low")
    await threaded(tickets)
    clock.advance(seconds=60)
    await say(tickets, a, 50, is_staff=True)  # 60 s
    clock.advance(seconds=60)
    await say(tickets, b, 50, is_staff=True)  # 120 s
    clock.advance(seconds=180)
    await say(tickets, c, 50, is_staff=True)  # 300 s
    await tickets.close(staff(), c.id)
    stats = await tickets.stats(staff())
    assert stats.by_status == {
        Status.OPEN: 1,
        Status.PENDING: 2,
        Status.RESOLVED: 0,
        Status.CLOSED: 1,
    }
    assert stats.by_department[Department.BILLING] == 1
    assert stats.by_department[Department.TECHNICAL_SUPPORT] == 2
    assert stats.by_priority[Priority.URGENT] == 1 and stats.by_priority[Priority.MEDIUM] == 2
    assert stats.median_first_response_seconds == 120


async def test_stats_median_of_even_count(tickets, clock):
    a = await threaded(tickets)
    b = await threaded(tickets, member(user_id=7))
    clock.advance(seconds=10)
    await say(tickets, a, 50, is_staff=True)
    clock.advance(seconds=20)
    await say(tickets, b, 50, is_staff=True)
    assert (await tickets.stats(staff())).median_first_response_seconds == 20


async def test_discard_removes_half_made_ticket(tickets):
    ticket = await open_ticket(tickets)
    await tickets.discard(ticket.id)
    with pytest.raises(NotFound):
        await tickets.view(member(), ticket.id)
    assert (await tickets.stats(staff())).total == 0


@pytest.mark.parametrize("feature_call", ["create", "list", "view", "stats", "close"])
async def test_ticketing_flag_off_refuses_with_spec_message(tickets, guilds, feature_call):
    ticket = await open_ticket(tickets)
    await guilds.set_feature(admin(), Feature.TICKETING, False)
    calls = {
        "create": lambda: open_ticket(tickets),
        "list": lambda: tickets.list(member()),
        "view": lambda: tickets.view(member(), ticket.id),
        "stats": lambda: tickets.stats(staff()),
        "close": lambda: tickets.close(member(), ticket.id),
    }
    with pytest.raises(FeatureDisabled) as caught:
        await calls[feature_call]()
    assert words(caught.value) == (
        "Ticketing is disabled on this server. An admin can turn it on with "
        "`/admin feature name:ticketing enabled:True`."
    )


async def test_ai_active_only_when_flag_on_and_not_urgent(tickets, guilds):
    assert (await open_ticket(tickets)).ai_active is False
    await guilds.set_feature(admin(), Feature.AI, True)
    assert (await open_ticket(tickets, member(user_id=3))).ai_active is True
    assert (await open_ticket(tickets, member(user_id=4), priority="urgent")).ai_active is False


async def test_tickets_waiting_for_a_thread_are_kept_whatever_their_age(tickets, clock):
    """Issue 13: a ticket without a thread waits for one; it is never deleted for its age
    (it used to be, as an orphan, which would drop tickets other front ends open)."""
    waiting = await open_ticket(tickets)
    kept = await threaded(tickets, member(user_id=2))
    clock.advance(days=3)
    assert waiting.waiting_for_thread and not kept.waiting_for_thread
    await tickets.view(staff(), waiting.id)
    [due] = await tickets.waiting_for_thread([GUILD])
    assert due.id == waiting.id and due.thread_attempts == 1


async def test_waiting_for_thread_takes_due_tickets_of_the_given_guilds_once(
    tickets, guilds, clock
):
    other_admin = admin(guild_id=GUILD + 1)
    await guilds.setup(
        other_admin,
        ticket_channel_id=TICKET_CHANNEL,
        staff_role_id=STAFF_ROLE,
        server=server(GUILD + 1),
    )
    here = await open_ticket(tickets)
    elsewhere = await open_ticket(tickets, member(guild_id=GUILD + 1))
    assert await tickets.waiting_for_thread([]) == []
    [taken] = await tickets.waiting_for_thread([GUILD])
    assert taken.id == here.id
    # Held while its attempt runs: nobody else takes it meanwhile.
    assert await tickets.waiting_for_thread([GUILD]) == []
    clock.advance(seconds=THREAD_LEASE.total_seconds() + 1)
    [again] = await tickets.waiting_for_thread([GUILD])
    assert again.id == here.id and again.thread_attempts == 2
    [other] = await tickets.waiting_for_thread([GUILD + 1])
    assert other.id == elsewhere.id


async def test_a_ticket_whose_opener_claimed_it_is_not_due_until_the_lease_ends(tickets, clock):
    claimed = await tickets.create(member(), subject="s", message="m", claim_thread=True)
    assert claimed.thread_attempts == 1
    assert await tickets.waiting_for_thread([GUILD]) == []
    # At start-up the process holding the guild takes it anyway: no earlier life holds it.
    [taken] = await tickets.waiting_for_thread([GUILD], due_only=False)
    assert taken.id == claimed.id and taken.thread_attempts == 2


async def test_a_failed_thread_attempt_is_retried_after_a_growing_pause(tickets, clock):
    await open_ticket(tickets)
    pauses = []
    for _ in range(3):
        [ticket] = await tickets.waiting_for_thread([GUILD], due_only=False)
        failed = await tickets.thread_failed(ticket, "503 Service Unavailable")
        assert failed is not None and failed.thread_error == "503 Service Unavailable"
        pauses.append(failed.thread_retry_at - clock.now())
        assert await tickets.waiting_for_thread([GUILD]) == []
        clock.advance(seconds=pauses[-1].total_seconds())
    assert pauses == [thread_retry_pause(n) for n in (1, 2, 3)] and pauses[0] < pauses[2]
    assert thread_retry_pause(100) == timedelta(hours=1)


async def test_attaching_the_thread_ends_the_wait_once(tickets):
    ticket = await open_ticket(tickets)
    await tickets.thread_failed(ticket, "403 Missing Permissions")
    attached = await tickets.attach_thread(ticket.id, 4242, opening_message_id=4243)
    assert attached is not None and attached.thread_id == 4242
    assert attached.thread_error is None and not attached.waiting_for_thread
    # Another attempt's thread comes too late: the caller removes it.
    assert await tickets.attach_thread(ticket.id, 5555) is None
    assert (await tickets.by_thread(4242)).id == ticket.id
    assert await tickets.waiting_for_thread([GUILD], due_only=False) == []
    # A discard never removes a ticket that has its thread.
    await tickets.discard(ticket.id)
    await tickets.view(staff(), ticket.id)


async def test_a_ticket_closed_while_waiting_waits_no_more(tickets):
    ticket = await open_ticket(tickets)
    await tickets.close(member(), ticket.id)
    assert not await tickets.still_waiting_for_thread(ticket.id)
    assert await tickets.waiting_for_thread([GUILD], due_only=False) == []
    assert await tickets.attach_thread(ticket.id, 4242) is None
    assert await tickets.thread_failed(ticket, "late") is None
