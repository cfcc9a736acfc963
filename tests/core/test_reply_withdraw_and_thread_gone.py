"""Taking back a reply that never reached the thread; closing a ticket whose thread is gone."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, InvalidTransition
from core.models import Status
from tests.core.conftest import member, staff

pytestmark = pytest.mark.usefixtures("set_up")


async def _threaded(tickets, who=None):
    ticket = await tickets.create(who or member(), subject="Printer", message="On fire")
    return await tickets.attach_thread(ticket.id, 900_000 + ticket.id)


async def test_withdrawn_reply_leaves_no_trace(tickets, clock):
    ticket = await _threaded(tickets)
    clock.advance(minutes=5)
    stored = await tickets.store_reply(staff(), ticket.id, "Try turning it off")
    assert stored.ticket.status is Status.PENDING and stored.before.status is Status.OPEN
    await tickets.withdraw_reply(stored)
    after, page = await tickets.view(member(), ticket.id)
    assert [r.body for r in page.items] == ["On fire"]
    assert after.status is Status.OPEN
    assert after.first_response_seconds is None and after.updated_at == ticket.updated_at
    assert (await tickets.stats(staff())).median_first_response_seconds is None


async def test_withdrawing_keeps_what_happened_since(tickets, clock):
    ticket = await _threaded(tickets)
    stored = await tickets.store_reply(staff(), ticket.id, "Try turning it off")
    clock.advance(seconds=1)
    await tickets.resolve(member(), ticket.id)  # someone acted meanwhile
    await tickets.withdraw_reply(stored)
    after, page = await tickets.view(member(), ticket.id)
    assert after.status is Status.RESOLVED and len(page.items) == 1


async def test_thread_gone_closes_once(tickets):
    ticket = await _threaded(tickets)
    closed = await tickets.close_thread_gone(ticket.thread_id)
    assert closed is not None and closed.status is Status.CLOSED
    assert closed.close_reason == "its thread was deleted" and closed.closed_by == 0
    assert await tickets.close_thread_gone(ticket.thread_id) is None  # already closed
    assert await tickets.close_thread_gone(1) is None  # not a ticket's thread
    assert await tickets.unclosed_threads(ticket.guild_id) == []


async def test_check_reopen_refuses_like_reopen_and_changes_nothing(tickets):
    ticket = await _threaded(tickets)
    with pytest.raises(InvalidTransition):
        await tickets.check_reopen(staff(), ticket.id)
    await tickets.close(member(), ticket.id)
    with pytest.raises(Forbidden):
        await tickets.check_reopen(member(), ticket.id)
    checked = await tickets.check_reopen(staff(), ticket.id)
    assert checked.status is Status.CLOSED
