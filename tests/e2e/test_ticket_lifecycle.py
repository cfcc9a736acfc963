"""A ticket's whole life: close, transcript, reopen, triage, inactivity, feedback."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up, status_of


@pytest.mark.postgres
async def test_owner_closes_with_reason_and_everything_is_recorded(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, message="<script>alert('x')</script> & more")
    alice = desk.member("alice")
    await desk.member("staff").say(thread, "Fixed <b>it</b>?")
    # A person reads the reply before closing; wait until the bot has stored it too.
    stored = "SELECT COUNT(*) FROM replies WHERE body = 'Fixed <b>it</b>?'"
    await desk.wait_for(lambda: rows(desk, stored) == [(1,)], message="staff reply stored")
    reply = await alice.slash("ticket close", reason="Works now", in_channel=thread)
    assert "Ticket #1 is closed" in reply.text
    await desk.wait_for(lambda: desk.channel(thread).locked, message="thread locked")
    assert desk.channel(thread).archived
    closing = await desk.next_message(thread, "was closed by")
    assert "Works now" in closing.text
    log = await desk.next_message("logs", "Ticket #1 was closed")
    _, html = log.attachment_named(".html")
    _, text = log.attachment_named(".txt")
    assert b"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html
    assert b"<script>" not in html
    assert b"Fixed <b>it</b>?" in text and b"Status: closed" in text
    assert b"staff" in html and b"member" in html
    dm = await desk.wait_for(lambda: desk.dms("alice"), message="the closing DM")
    assert "closed" in dm[-1].text and dm[-1].attachments
    assert rows(desk, "SELECT status, close_reason FROM tickets") == [("closed", "Works now")]


@pytest.mark.postgres
async def test_a_reply_sent_just_before_the_close_is_in_the_transcript(desk):
    # No waiting between the two: the close waits for the messages already received.
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await desk.member("staff").say(thread, "Last words before closing")
    reply = await desk.member("alice").slash("ticket close", in_channel=thread)
    assert "Ticket #1 is closed" in reply.text
    log = await desk.next_message("logs", "Ticket #1 was closed")
    _, text = log.attachment_named(".txt")
    assert b"Last words before closing" in text


async def test_close_button_with_reason_modal_by_staff(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    opening = await desk.next_message(thread, "New ticket #1")
    confirm = await desk.member("staff").click(opening, "Close")
    modal = await desk.member("staff").click(confirm, "Close with a reason…")
    done = await desk.member("staff").submit_modal(modal, {"Reason": "Duplicate of #7"})
    assert "Ticket #1 is closed" in done.text
    assert rows(desk, "SELECT close_reason, closed_by FROM tickets") == [
        ("Duplicate of #7", desk.member("staff").id)
    ]


async def test_others_cannot_close_and_closed_stays_closed(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    refused = await raw_slash(desk, "bob", "ticket close", thread)
    assert refused.ephemeral and "belongs to someone else" in refused.text
    assert status_of(desk, 1) == "open"
    outside = await desk.member("alice").slash("ticket close")
    assert "inside a ticket's thread" in outside.text


async def test_closed_dm_is_not_an_error(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    desk.close_dms("alice")
    reply = await desk.member("staff").slash("ticket close", in_channel=thread)
    assert "Ticket #1 is closed" in reply.text and "DMs are closed" in reply.text
    assert status_of(desk, 1) == "closed"


async def test_resolve_then_member_reply_reopens(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    reply = await desk.member("alice").slash("ticket resolve", in_channel=thread)
    assert "marked resolved" in reply.text and status_of(desk, 1) == "resolved"
    again = await desk.member("alice").slash("ticket resolve", in_channel=thread)
    assert "already resolved" in again.text
    await desk.member("alice").say(thread, "Actually it broke again")
    await desk.wait_for(lambda: status_of(desk, 1) == "open")


async def test_staff_reopen_restores_thread_and_owner(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await desk.member("alice").slash("ticket close", in_channel=thread)
    await desk.wait_for(lambda: desk.channel(thread).locked)
    member_try = await raw_slash(desk, "alice", "ticket reopen", thread)
    assert "Only staff" in member_try.text
    reply = await desk.member("staff").slash("ticket reopen", in_channel=thread)
    assert "open again" in reply.text
    channel = desk.channel(thread)
    assert not channel.archived and not channel.locked
    assert desk.member("alice").id in desk.thread_member_ids(thread)
    assert status_of(desk, 1) == "open"
    await desk.member("alice").say(thread, "Thanks for reopening")


async def test_triage_shows_in_view_and_list(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    staff = desk.member("staff")
    claim = await staff.slash("ticket claim", in_channel=thread)
    assert "is handling ticket #1" in claim.text
    await staff.slash("ticket priority", level="urgent", in_channel=thread)
    moved = await staff.slash("ticket department", name="Billing", ticket_id="1")
    assert moved.ephemeral  # run outside the thread: the thread hears about it instead
    await desk.next_message(thread, "moved to Billing")
    view = await staff.slash("ticket view", ticket_id="1")
    assert "Priority: urgent" in view.text and "Department: Billing" in view.text
    assert f"Claimed by: <@{staff.id}>" in view.text
    listed = await staff.slash("ticket list", department="Billing", priority="urgent")
    assert "**#1**" in listed.text
    refused = await desk.member("alice").slash("ticket claim", in_channel=thread)
    assert "Only staff" in refused.text
    log = [m.text for m in desk.messages("logs")]
    assert any("is handling ticket #1" in line for line in log)


async def test_transcript_command_for_owner_and_staff_only(desk):
    await set_up(desk)
    await open_ticket(desk)
    mine = await desk.member("alice").slash("ticket transcript", ticket_id="1")
    assert mine.ephemeral and mine.visible.attachments
    refused = await desk.member("bob").slash("ticket transcript", ticket_id="1")
    assert "belongs to someone else" in refused.text


@pytest.fixture
def clock_file(tmp_path):
    path = tmp_path / "clock-offset"
    path.write_text("0")
    return path


async def test_inactivity_reminds_then_closes(desk_factory, clock_file):
    desk = await desk_factory(
        {"TICKETDESK_CLOCK_OFFSET_FILE": str(clock_file), "TICKETDESK_SWEEP_SECONDS": "0.1"}
    )
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await desk.member("staff").say(thread, "Does it work now?")
    await desk.wait_for(lambda: status_of(desk, 1) == "pending")
    clock_file.write_text(str(49 * 3600))
    reminder = await desk.next_message(thread, "are you still there?")
    assert desk.member("alice").id in reminder.mentioned_user_ids
    assert status_of(desk, 1) == "pending"
    clock_file.write_text(str((49 + 25) * 3600))
    await desk.wait_for(lambda: status_of(desk, 1) == "closed", timeout=10)
    assert rows(desk, "SELECT close_reason FROM tickets") == [("no reply",)]
    await desk.wait_for(lambda: desk.channel(thread).locked)
    await desk.next_message("logs", "closed automatically")


async def test_waiting_for_staff_is_never_auto_closed(desk_factory, clock_file):
    desk = await desk_factory(
        {"TICKETDESK_CLOCK_OFFSET_FILE": str(clock_file), "TICKETDESK_SWEEP_SECONDS": "0.1"}
    )
    await set_up(desk)
    _, thread = await open_ticket(desk)
    # Bob's ticket waits on Bob: its reminder and close prove the sweeps ran at the new time.
    _, probe = await open_ticket(desk, "bob", subject="probe")
    await desk.member("staff").say(probe, "Over to you, Bob")
    await desk.wait_for(lambda: status_of(desk, 2) == "pending")
    clock_file.write_text(str(90 * 24 * 3600))
    await desk.next_message(probe, "are you still there?")
    clock_file.write_text(str(91 * 24 * 3600))
    await desk.wait_for(lambda: status_of(desk, 2) == "closed", timeout=10)
    assert status_of(desk, 1) == "open"
    assert not any("still there" in m.text for m in desk.messages(thread))


async def test_feedback_rating_and_comment_counted_in_stats(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await desk.member("staff").slash("ticket close", in_channel=thread)
    dm = (await desk.wait_for(lambda: desk.dms("alice")))[-1]
    assert "★★★★★" in dm.buttons
    thanks = await desk.member("alice").click(dm, "★★★★")
    assert "rated ticket #1 4 out of 5" in thanks.text
    modal = await desk.member("alice").click(thanks, "Add a comment")
    saved = await desk.member("alice").submit_modal(modal, {"Your comment": "Quick and kind"})
    assert "saved" in saved.text
    assert rows(desk, "SELECT rating, comment FROM feedback") == [(4, "Quick and kind")]
    stats = await desk.member("staff").slash("ticket stats")
    assert "4.0 / 5 from 1 rating" in stats.text
