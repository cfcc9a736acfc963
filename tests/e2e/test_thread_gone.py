"""When Discord takes a ticket's thread away: deleted threads and channels, failed reopens,
and Discord making the bot wait before it may create a thread."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.helpers import open_ticket, rows, set_up, status_of

THREADS = "/channels/{channel_id}/threads"


@pytest.mark.postgres
async def test_ticket_whose_thread_is_gone_closes_by_id_and_frees_the_cap(desk):
    await set_up(desk, max_open_tickets=1)
    _, thread = await open_ticket(desk)
    alice = desk.member("alice")
    # Deleted while the bot's session was away: nothing told the bot.
    desk.delete_channel(thread, bot_hears=False)
    capped = await alice.slash("ticket create", subject="Again", message="Still on fire")
    assert "already have 1 open" in capped.text
    closed = await alice.slash("ticket close", ticket_id="1", reason="the thread vanished")
    assert "Ticket #1 is closed" in closed.text, closed.text
    assert "thread was deleted" in closed.text
    assert rows(desk, "SELECT status, close_reason FROM tickets WHERE id = 1") == [
        ("closed", "the thread vanished")
    ]
    log = await desk.next_message("logs", "Ticket #1 was closed")
    _, transcript = log.attachment_named(".txt")
    assert b"It is really on fire." in transcript
    dm = await desk.wait_for(lambda: desk.dms("alice"), message="the closing DM")
    assert dm[-1].attachments
    reopened, _ = await open_ticket(desk, subject="Again")
    assert "Ticket #2 is open" in reopened.text


async def test_bot_closes_a_ticket_when_discord_says_its_thread_was_deleted(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    _, other = await open_ticket(desk, "bob", subject="Bob's")
    desk.delete_channel(thread)
    await desk.wait_for(lambda: status_of(desk, 1) == "closed", message="ticket #1 closed")
    assert rows(desk, "SELECT close_reason FROM tickets WHERE id = 1") == [
        ("its thread was deleted",)
    ]
    log = await desk.next_message("logs", "Ticket #1 was closed automatically")
    assert log.attachment_named(".html")
    dm = await desk.wait_for(lambda: desk.dms("alice"), message="the closing DM")
    assert "thread was deleted" in dm[-1].text
    assert status_of(desk, 2) == "open" and not desk.channel(other).locked
    # Reopening it would leave the member with no thread to talk in: refused, truthfully.
    refused = await desk.member("staff").slash("ticket reopen", ticket_id="1")
    assert refused.ephemeral and "deleted" in refused.text, refused.text
    assert status_of(desk, 1) == "closed"


async def test_deleting_the_ticket_channel_closes_all_its_tickets(desk):
    await set_up(desk, max_open_tickets=5)
    await open_ticket(desk)
    _, quiet = await open_ticket(desk, subject="Quiet one")
    await open_ticket(desk, "bob", subject="Bob's")
    # A thread Discord auto-archived after a quiet week leaves the bot's cache.
    quiet.raw["thread_metadata"]["archived"] = True
    desk.state.dispatch("THREAD_UPDATE", quiet.raw)
    desk.delete_channel("tickets")
    await desk.wait_for(
        lambda: rows(desk, "SELECT COUNT(*) FROM tickets WHERE status = 'closed'") == [(3,)],
        message="all three tickets closed",
    )
    await desk.wait_for(
        lambda: len([m for m in desk.messages("logs") if "was closed" in m.text]) == 3
    )


async def test_tickets_whose_threads_were_deleted_while_offline_close_at_start(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await open_ticket(desk, "bob", subject="Bob's")
    await desk.bot.stop()
    desk.delete_channel(thread)
    await desk.start_bot()
    await desk.wait_for(lambda: status_of(desk, 1) == "closed", message="closed at start")
    assert status_of(desk, 2) == "open"


async def test_failed_reopen_changes_nothing_and_says_why(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    staff = desk.member("staff")
    await staff.slash("ticket close", in_channel=thread)
    await desk.wait_for(lambda: desk.channel(thread).locked, message="thread locked")
    desk.deny_bot("tickets", "manage_threads")
    failed = await staff.slash("ticket reopen", in_channel=thread)
    assert failed.ephemeral and "Manage Threads" in failed.text, failed.text
    assert "still closed" in failed.text
    assert status_of(desk, 1) == "closed"
    assert desk.channel(thread).locked and desk.channel(thread).archived
    desk.deny_bot("tickets")  # an admin gives the permission back
    done = await staff.slash("ticket reopen", ticket_id="1")
    assert "open again" in done.text
    assert status_of(desk, 1) == "open" and not desk.channel(thread).locked


async def test_resolve_and_reopen_take_a_ticket_id_outside_the_thread(desk):
    await set_up(desk)
    await open_ticket(desk)
    resolved = await desk.member("alice").slash("ticket resolve", ticket_id="1")
    assert "marked resolved" in resolved.text and status_of(desk, 1) == "resolved"
    nothing = await desk.member("staff").slash("ticket reopen")
    assert "ticket_id" in nothing.text and "thread" in nothing.text


async def test_long_rate_limit_on_thread_creation_answers_at_once_and_keeps_the_ticket(desk):
    await set_up(desk)
    desk.hold_route("POST", THREADS, seconds=6)
    loop = asyncio.get_running_loop()
    started = loop.time()
    answer = await desk.member("alice").slash(
        "ticket create", subject="Printer", message="My printer is on fire"
    )
    assert loop.time() - started < 3, "the member waited on Discord's rate limit"
    assert "Discord is making me wait" in answer.text, answer.text
    assert "ticket #1 is saved" in answer.text  # its number, so it survives whatever comes
    assert "My printer is on fire" in answer.text  # their words are in their hands
    await desk.wait_for(lambda: "is open" in answer.text, timeout=15, message="the thread link")
    assert desk.rate_limited(THREADS)
    [thread] = desk.threads()
    assert thread.mention in answer.text
    assert desk.member("alice").id in desk.thread_member_ids(thread)
    assert rows(desk, "SELECT id, thread_id FROM tickets") == [(1, thread.id)]
    await desk.next_message(thread, "New ticket #1")
