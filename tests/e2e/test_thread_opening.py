"""A ticket is opened, then its thread is attached: "waiting for a thread" is a state the
bot resolves (it creates the thread, or tries again later), never an orphan to delete.

A ticket may be opened by another front end (the service on the same database), or be
left waiting by a crash or a failure Discord says is temporary; the member who was told
its number keeps it, and gets the thread, added and mentioned, as soon as Discord allows.
"""

from __future__ import annotations

import re

import pytest

from core.clock import SystemClock
from core.guilds import GuildService
from core.models import Actor
from core.tickets import TicketService
from tests.e2e.helpers import rows, set_up
from tests.fakes.discord.driver import Desk

# Rules that differ by backend: every test here runs on PostgreSQL too.
pytestmark = pytest.mark.postgres

THREADS = "/channels/{channel_id}/threads"


async def open_elsewhere(desk: Desk, who: str, subject: str, message: str) -> int:
    """Open a ticket as another front end would (an HTTP API): through the core service,
    on the bot's database file, while the bot runs. Returns the ticket's id."""
    async with desk.database.open_store() as store:
        clock = SystemClock()
        tickets = TicketService(store, GuildService(store, clock), clock)
        owner = Actor(user_id=desk.member(who).id, guild_id=desk.guild_id)
        ticket = await tickets.create(owner, subject=subject, message=message)
    assert ticket.thread_id is None
    return ticket.id


def thread_of(desk: Desk, ticket_id: int) -> int | None:
    return rows(desk, "SELECT thread_id FROM tickets WHERE id = ?", (ticket_id,))[0][0]


def told_number(text: str, ticket_id: int = 1) -> bool:
    """The member was shown the ticket's `#id` (not a channel mention like <#123>)."""
    return re.search(rf"(?<!<)#{ticket_id}\b", text) is not None


def made(desk: Desk) -> list[int]:
    """Ids of the threads Discord created for the bot."""
    return [
        int(r["response"]["id"])
        for r in desk.state.request_log
        if r["route"] == THREADS and r["method"] == "POST" and r.get("status") == 201
    ]


async def attached(desk: Desk, ticket_id: int):
    """Wait until the ticket has its thread; returns the thread."""
    thread_id = await desk.wait_for(
        lambda: thread_of(desk, ticket_id), 15.0, f"ticket #{ticket_id}'s thread"
    )
    return desk.channel(thread_id)


@pytest.mark.bot_env(TICKETDESK_SWEEP_SECONDS="0.2")
async def test_a_ticket_opened_by_another_front_end_gets_its_thread(desk):
    await set_up(desk)
    alice = desk.member("alice")
    ticket_id = await open_elsewhere(desk, "alice", "Printer", "It prints only blank pages")
    thread = await attached(desk, ticket_id)
    assert thread.name.startswith(f"#{ticket_id} ")
    assert alice.id in desk.thread_member_ids(thread)
    opening = await desk.next_message(thread, f"New ticket #{ticket_id}")
    assert opening.mentioned_user_ids == [alice.id]  # she is told, wherever she opened it
    assert "It prints only blank pages" in opening.text
    await desk.next_message("logs", f"Ticket #{ticket_id} opened by")
    # What she types in the thread is the conversation, as for any ticket.
    await alice.say(thread, "Still blank")
    await desk.wait_for(
        lambda: (
            rows(desk, "SELECT COUNT(*) FROM replies WHERE ticket_id = ?", (ticket_id,)) == [(2,)]
        ),
        message="the mirrored message",
    )


async def test_a_ticket_the_member_was_told_about_gets_its_thread_after_a_crash(desk):
    await set_up(desk)
    alice = desk.member("alice")
    # Discord makes the thread, but the bot dies before it hears back.
    making = desk.hold_request("POST", THREADS, after=True)
    answer = await alice.slash("ticket create", subject="Printer", message="My printer is on fire")
    await desk.wait_for(lambda: told_number(answer.text), message="the member told the number")
    assert making.reached
    await desk.crash_bot()
    making.release()
    assert thread_of(desk, 1) is None
    await desk.start_bot()
    thread = await attached(desk, 1)
    # The thread Discord already made is used: no second, empty one.
    assert [t.id for t in desk.threads()] == [thread.id]
    assert alice.id in desk.thread_member_ids(thread)
    opening = await desk.next_message(thread, "New ticket #1")
    assert opening.mentioned_user_ids == [alice.id]
    assert len([m for m in desk.bot_messages(thread) if "New ticket #1" in m.text]) == 1
    assert rows(desk, "SELECT COUNT(*) FROM tickets") == [(1,)]


async def test_a_server_error_on_thread_creation_is_retried(desk):
    await set_up(desk)
    alice = desk.member("alice")
    desk.fake.inject("POST", THREADS, status=503, times=1)
    answer = await alice.slash("ticket create", subject="Printer", message="My printer is on fire")
    # Told at once, truthfully: the ticket is kept and its thread is on its way.
    assert answer.ephemeral and "ticket #1 is saved" in answer.text, answer.text
    assert "503" in answer.text and "Nothing was saved" not in answer.text
    thread = await attached(desk, 1)
    await desk.wait_for(lambda: thread.mention in answer.text, message="the link, as promised")
    assert alice.id in desk.thread_member_ids(thread)
    opening = await desk.next_message(thread, "New ticket #1")
    assert opening.mentioned_user_ids == [alice.id]
    failed = [r for r in desk.state.request_log if r["route"] == THREADS and r["status"] == 503]
    assert len(failed) == 1
    assert rows(desk, "SELECT thread_attempts, thread_error FROM tickets") == [(2, None)]


async def test_a_refusal_after_the_member_was_told_keeps_the_ticket_until_fixed(desk):
    await set_up(desk)
    alice = desk.member("alice")
    making = desk.hold_request("POST", THREADS)
    answer = await alice.slash("ticket create", subject="Printer", message="My printer is on fire")
    await desk.wait_for(lambda: told_number(answer.text), message="the member told the number")
    # Meanwhile an admin takes a permission away: Discord refuses the held request.
    desk.deny_bot("tickets", "create_private_threads")
    making.release()
    await desk.wait_for(lambda: "refused" in answer.text, message="the member told why")
    assert "Create Private Threads" in answer.text and "kept" in answer.text, answer.text
    assert "Nothing was saved" not in answer.text
    assert rows(desk, "SELECT id, thread_id FROM tickets") == [(1, None)]
    assert "Missing Permissions" in rows(desk, "SELECT thread_error FROM tickets")[0][0]
    desk.allow_bot("tickets")  # fixed: the ticket gets its thread at the next try
    thread = await attached(desk, 1)
    assert alice.id in desk.thread_member_ids(thread)
    opening = await desk.next_message(thread, "New ticket #1")
    assert opening.mentioned_user_ids == [alice.id]


async def test_a_refusal_before_the_member_was_told_saves_nothing(desk):
    await set_up(desk)
    # The bot's view of its permissions says yes; Discord says no.
    desk.fake.inject("POST", THREADS, status=403, times=1)
    answer = await desk.member("alice").slash(
        "ticket create", subject="Printer", message="My printer is on fire"
    )
    assert "Nothing was saved" in answer.text and "My printer is on fire" in answer.text
    assert not told_number(answer.text)
    assert rows(desk, "SELECT COUNT(*) FROM tickets") == [(0,)]
    assert desk.threads() == []


async def test_a_ticket_closed_while_waiting_gets_no_thread(desk):
    await set_up(desk)
    alice = desk.member("alice")
    desk.fake.inject("POST", THREADS, status=503, times=1)
    making = desk.hold_request("POST", THREADS)  # the retry is held, then the ticket closes
    answer = await alice.slash("ticket create", subject="Printer", message="My printer is on fire")
    assert "ticket #1 is saved" in answer.text, answer.text
    await desk.wait_for(lambda: making.reached, message="the retry")
    closed = await alice.slash("ticket close", ticket_id="1", reason="sorted it myself")
    assert "Ticket #1 is closed" in closed.text, closed.text
    making.release()
    # The thread made for a closed ticket is taken back; the ticket stays closed.
    await desk.wait_for(lambda: made(desk), message="the late thread")
    await desk.wait_for(lambda: not desk.threads(), message="the late thread removed")
    late = f"/channels/{made(desk)[0]}"
    log = desk.state.request_log
    touched = [r for r in log if r["path"] == late or r["path"].startswith(f"{late}/")]
    assert [r["method"] for r in touched] == ["DELETE"]  # nobody was added or pinged
    assert rows(desk, "SELECT status, thread_id FROM tickets") == [("closed", None)]
