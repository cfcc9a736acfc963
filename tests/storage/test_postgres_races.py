"""The services' rules hold on PostgreSQL when they are hammered at once from several
connections: two stores (two pools, as two bot processes would have) on one database,
each sending its share of the racing calls over several pooled connections."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.clock import ManualClock
from core.errors import InvalidTransition, LimitReached
from core.forms import FormService
from core.guilds import GuildService
from core.models import Status
from core.tickets import TicketService
from storage.postgres.store import PostgresStore
from tests.core.conftest import STAFF_ROLE, TICKET_CHANNEL, admin, member, server, staff
from tests.core.test_forms_service import ANSWERS, definition

RACERS = 16


class Desk:
    """One bot process's view: its own store (pool) and services."""

    def __init__(self, store: PostgresStore, clock: ManualClock) -> None:
        self.store = store
        self.guilds = GuildService(store, clock, ai_configured=True)
        self.tickets = TicketService(store, self.guilds, clock)
        self.forms = FormService(store, self.guilds, clock)


@pytest.fixture
async def desks(postgres_url: str) -> AsyncIterator[list[Desk]]:
    clock = ManualClock()
    stores = [await PostgresStore.open(postgres_url, max_size=8) for _ in range(2)]
    desks = [Desk(store, clock) for store in stores]
    await desks[0].guilds.setup(
        admin(), ticket_channel_id=TICKET_CHANNEL, staff_role_id=STAFF_ROLE, server=server()
    )
    yield desks
    for store in stores:
        await store.close()


async def race(desks: list[Desk], call: Callable[[Desk, int], Awaitable[Any]]) -> list[Any]:
    """RACERS calls at once, alternating between the desks; results and errors."""
    return await asyncio.gather(
        *(call(desks[n % len(desks)], n) for n in range(RACERS)), return_exceptions=True
    )


def outcomes(results: list[Any]) -> Counter[str]:
    return Counter("ok" if not isinstance(r, BaseException) else type(r).__name__ for r in results)


async def create(desk: Desk, user_id: int = 1):
    return await desk.tickets.create(member(user_id), subject="Help", message="Please")


async def test_a_members_open_cap_holds_across_processes(desks):
    await desks[0].guilds.set_limits(admin(), max_open_tickets=3, cooldown_seconds=0)
    assert outcomes(await race(desks, lambda d, _: create(d))) == {
        "ok": 3,
        "LimitReached": RACERS - 3,
    }
    count, _ = await desks[1].store.reads.tickets.owner_activity(1000, 1)
    assert count == 3


async def test_a_double_clicked_create_makes_one_ticket(desks):
    # The default 30 s cooldown: every click after the first is refused.
    results = await race(desks, lambda d, _: create(d))
    assert outcomes(results) == {"ok": 1, "LimitReached": RACERS - 1}
    assert all(r.code == "ticket.cooldown" for r in results if isinstance(r, Exception))


async def test_members_do_not_wait_on_each_others_caps(desks):
    await desks[0].guilds.set_limits(admin(), max_open_tickets=1)
    results = await race(desks, lambda d, n: create(d, user_id=100 + n))
    assert outcomes(results) == {"ok": RACERS}
    assert len({t.id for t in results}) == RACERS


async def test_one_decision_per_submission(desks):
    form = await desks[0].forms.create(admin(), definition())
    submission = await desks[0].forms.submit(member(), form.id, set(), ANSWERS)
    results = await race(
        desks, lambda d, n: d.forms.review(staff(500 + n), submission.id, accept=n % 2 == 0)
    )
    assert outcomes(results) == {"ok": 1, "InvalidTransition": RACERS - 1}
    decided = next(r for r in results if not isinstance(r, Exception))
    refusal = next(r for r in results if isinstance(r, InvalidTransition))
    assert refusal.params["reviewer_id"] == decided.reviewer_id  # who decided first
    stored = await desks[1].store.reads.submissions.get(submission.id)
    assert (stored.status, stored.reviewer_id) == (decided.status, decided.reviewer_id)


async def test_a_members_tries_at_a_form_hold_across_processes(desks):
    form = await desks[0].forms.create(admin(), definition(max_submissions_per_user=2))
    results = await race(desks, lambda d, _: d.forms.submit(member(), form.id, set(), ANSWERS))
    assert outcomes(results) == {"ok": 2, "LimitReached": RACERS - 2}
    assert await desks[1].store.reads.submissions.count_for_user(form.id, 1) == 2


async def test_the_ai_daily_cap_holds_across_processes(desks):
    def reserve(desk: Desk, _: int):
        return desk.store.write(
            lambda uow: uow.ai_usage.reserve_daily_answer(1000, "2026-03-01", 5)
        )

    results = await race(desks, reserve)
    assert Counter(results) == {True: 5, False: RACERS - 5}
    answers = await desks[0].store.pool.fetchval("SELECT answers FROM ai_daily_usage")
    assert answers == 5


async def test_a_tickets_ai_answers_are_all_counted(desks):
    await desks[0].guilds.set_limits(admin(), cooldown_seconds=0)
    ticket = await create(desks[0])
    ticket = await desks[0].tickets.attach_thread(ticket.id, 4242)
    results = await race(
        desks,
        lambda d, n: d.tickets.record_ai_reply(
            ticket.id, author_id=9, body=f"answer {n}", message_id=70_000 + n
        ),
    )
    assert outcomes(results) == {"ok": RACERS}
    stored = await desks[1].store.reads.tickets.get(ticket.id)
    assert stored.ai_replies == RACERS  # none lost to a concurrent read-modify-write


async def test_each_close_is_claimed_by_one_process(desks):
    await desks[0].guilds.set_limits(admin(), cooldown_seconds=0, max_open_tickets=50)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    tickets = [await create(desks[0], user_id=200 + n) for n in range(30)]
    for ticket in tickets:
        await desks[0].store.write(
            lambda uow, t=ticket: uow.close_work.add(t.id, now - timedelta(seconds=1))
        )

    def claim(desk: Desk, _: int):
        return desk.store.write(
            lambda uow: uow.close_work.claim_due(now, now + timedelta(minutes=5), 4)
        )

    claimed = list(itertools.chain.from_iterable(await race(desks, claim)))
    assert sorted(work.ticket_id for work in claimed) == [t.id for t in tickets]
    assert all(work.attempts == 2 for work in claimed)  # one attempt each, no more


async def test_counters_stay_exact_under_opposite_transitions(desks):
    await desks[0].guilds.set_limits(admin(), cooldown_seconds=0, max_open_tickets=50)
    tickets = [await create(desks[0], user_id=300 + n) for n in range(RACERS)]
    # Half move open -> closed while the other half (closed first) move back: the counter
    # rows are touched in opposite directions at once.
    for ticket in tickets[1::2]:
        await desks[0].tickets.close(staff(), ticket.id)

    def flip(desk: Desk, n: int):
        ticket = tickets[n]
        if n % 2 == 0:
            return desk.tickets.close(staff(), ticket.id)
        return desk.tickets.reopen(staff(), ticket.id)

    assert outcomes(await race(desks, flip)) == {"ok": RACERS}
    by_status = {
        status: n for status, _, _, n in await desks[1].store.reads.tickets.status_counts(1000)
    }
    pool = desks[0].store.pool
    assert by_status.get(Status.CLOSED, 0) == await pool.fetchval(
        "SELECT COUNT(*) FROM tickets WHERE status = 'closed'"
    )
    assert sum(by_status.values()) == RACERS


async def test_the_locks_hold_however_long_a_unit_dawdles(desks):
    """Check-then-write with a pause in between, at the repository level: the pause
    would let every racer pass the check, but the lock a check takes lasts until commit."""
    form = await desks[0].forms.create(admin(), definition())
    now = datetime(2026, 3, 1, tzinfo=UTC)

    async def submit_if_under_two(uow):
        used = await uow.submissions.count_for_user(form.id, 1)
        await asyncio.sleep(0.01)
        if used >= 2:
            raise LimitReached("used up")
        return await uow.submissions.insert(
            form_id=form.id, guild_id=1000, user_id=1, answers={}, now=now
        )

    async def open_if_none(uow):
        unclosed, _ = await uow.tickets.owner_activity(1000, 1)
        await asyncio.sleep(0.01)
        if unclosed:
            raise LimitReached("one is open")
        return await uow.tickets.insert(
            guild_id=1000,
            owner_id=1,
            subject="s",
            message="m",
            priority="low",
            department="Sales",
            ai_active=False,
            now=now,
        )

    for work, allowed in ((submit_if_under_two, 2), (open_if_none, 1)):
        results = await race(desks, lambda d, _, w=work: d.store.write(w))
        assert outcomes(results) == {"ok": allowed, "LimitReached": RACERS - allowed}


async def test_a_unit_aborted_by_a_deadlock_runs_again(desks):
    """Two units lock two tickets in opposite orders: PostgreSQL aborts one, the store
    runs it again, and both changes land."""
    await desks[0].guilds.set_limits(admin(), cooldown_seconds=0)
    first, second = [await create(desks[0], user_id=400 + n) for n in range(2)]
    both_hold_one = asyncio.Barrier(2)
    attempts: list[int] = []

    def claim_both(one: int, other: int, staff_id: int):
        async def work(uow):
            attempts.append(staff_id)
            await uow.tickets.get(one)  # FOR NO KEY UPDATE inside a unit of work
            if attempts.count(staff_id) == 1:
                await both_hold_one.wait()
            await uow.tickets.get(other)
            await uow.tickets.update(one, claimed_by=staff_id)
            return await uow.tickets.update(other, claimed_by=staff_id)

        return work

    await asyncio.gather(
        desks[0].store.write(claim_both(first.id, second.id, 61)),
        desks[1].store.write(claim_both(second.id, first.id, 62)),
    )
    assert len(attempts) == 3  # the one PostgreSQL chose ran twice
    claimed = {(await desks[0].store.reads.tickets.get(t.id)).claimed_by for t in (first, second)}
    assert len(claimed) == 1  # the second to commit claimed both, as if one ran first
