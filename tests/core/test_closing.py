"""A close records its Discord side as to do; parts are marked done; leftovers come back due."""

from __future__ import annotations

import pytest

from core.closing import LEASE, CloseService, pause_after
from core.models import ClosePart, Status
from tests.core.conftest import member, staff

pytestmark = pytest.mark.usefixtures("set_up")


@pytest.fixture
def closing(store, clock) -> CloseService:
    return CloseService(store, clock)


async def closed_ticket(tickets):
    ticket = await tickets.create(member(), subject="s", message="m")
    await tickets.attach_thread(ticket.id, 800_000 + ticket.id)
    return await tickets.close(member(), ticket.id, "done")


async def test_closing_records_every_part_as_to_do(tickets, closing):
    ticket = await closed_ticket(tickets)
    work = await closing.pending(ticket.id)
    assert work is not None and work.done == 0 and work.attempts == 1
    for part in ClosePart:
        assert work.needs(part)


async def test_parts_done_one_by_one_then_the_record_goes(tickets, closing):
    ticket = await closed_ticket(tickets)
    for part in ClosePart:
        assert await closing.done(ticket.id, part)
    assert await closing.pending(ticket.id) is None


async def test_the_sweep_waits_out_the_lease_then_backs_off(tickets, closing, clock):
    ticket = await closed_ticket(tickets)
    await closing.done(ticket.id, ClosePart.NOTE)
    assert await closing.claim_due() == []  # the closer is still working on it
    clock.advance(seconds=LEASE.total_seconds() + 1)
    [work] = await closing.claim_due()
    assert work.attempts == 2 and work.done == ClosePart.NOTE
    assert await closing.claim_due() == []  # claimed: leased again
    await closing.failed(work, "403 Missing Permissions")
    clock.advance(seconds=pause_after(2).total_seconds() - 1)
    assert await closing.claim_due() == []
    clock.advance(seconds=2)
    assert [w.ticket_id for w in await closing.claim_due()] == [ticket.id]


async def test_reopening_cancels_what_was_left(tickets, closing):
    ticket = await closed_ticket(tickets)
    reopened = await tickets.reopen(staff(), ticket.id)
    assert reopened.status is Status.OPEN
    assert await closing.pending(ticket.id) is None
    assert not await closing.done(ticket.id, ClosePart.ARCHIVE)


async def test_the_closing_note_is_kept_once(tickets, closing):
    ticket = await closed_ticket(tickets)
    for _ in range(2):
        await closing.note_posted(ticket.id, "🔒 closed", 555)
    _, replies = await closing.record(ticket.id)
    assert [r.body for r in replies].count("🔒 closed") == 1


async def test_edits_after_close_leave_the_record_alone(tickets):
    ticket = await tickets.create(member(), subject="s", message="m")
    ticket = await tickets.attach_thread(ticket.id, 800_001)
    await tickets.record_message(
        thread_id=800_001, author_id=1, author_is_staff=False, body="X100", message_id=777
    )
    await tickets.close(member(), ticket.id)
    assert await tickets.record_edit(777, "X200") is None
    _, replies = await tickets.all_replies(member(), ticket.id)
    assert "X100" in [r.body for r in replies]
