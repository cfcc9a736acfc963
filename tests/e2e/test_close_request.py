"""`/ticket close-request`: Close, Keep open, and no answer in time, across restarts."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up, status_of

# Rules that differ by backend: every test here runs on PostgreSQL too.
pytestmark = pytest.mark.postgres

HOUR = 3600
REQUESTS = "SELECT id, due_at, message_id FROM close_requests WHERE ticket_id = ?"


@pytest.fixture
def clock_file(tmp_path):
    path = tmp_path / "clock-offset"
    path.write_text("0")
    return path


@pytest.fixture
async def timed_desk(desk_factory, clock_file):
    env = {"TEST_CLOCK_OFFSET_FILE": str(clock_file), "SWEEP_INTERVAL_SECONDS": "0.1"}
    return await desk_factory(env)


async def asked(desk, thread, **options):
    """Staff ask to close the ticket in `thread`; the message with the buttons."""
    answer = await desk.member("staff").slash("ticket close-request", in_channel=thread, **options)
    assert "Asked" in answer.text and answer.ephemeral, answer.text
    return await desk.wait_for(
        lambda: next((m for m in desk.messages(thread) if "Keep open" in m.buttons), None),
        message="the close request in the thread",
    )


async def test_the_owner_presses_close(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    question = await asked(desk, thread, reason="The printer is replaced")
    alice = desk.member("alice")
    assert alice.id in question.mentioned_user_ids
    assert desk.member("staff").id not in question.mentioned_user_ids
    assert "The printer is replaced" in question.text and "<t:" in question.text
    assert question.buttons == ["Close", "Keep open"]
    await desk.next_message("logs", "asked to close ticket #1")

    pressed = await alice.click(question, "Close")
    await desk.wait_for(lambda: "is closed" in pressed.text, message="the closing answer")
    assert status_of(desk, 1) == "closed"
    reason = rows(desk, "SELECT close_reason, closed_by FROM tickets WHERE id = 1")
    assert reason == [("The printer is replaced", alice.id)]
    await desk.wait_for(lambda: desk.channel(thread).locked, message="locked")
    assert desk.channel(question).id == thread.id
    assert question.buttons == [] and "chose to close it" in question.text
    assert rows(desk, REQUESTS, (1,)) == []
    await desk.next_message("logs", "Ticket #1 was closed by")


async def test_keep_open_withdraws_it(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    question = await asked(desk, thread)
    await desk.member("alice").click(question, "Keep open")
    assert question.buttons == [] and "chose to keep ticket #1 open" in question.text
    assert status_of(desk, 1) == "open" and rows(desk, REQUESTS, (1,)) == []
    await desk.next_message("logs", "chose to keep ticket #1 open")
    kept = (
        "SELECT 1 FROM replies WHERE author_kind = 'system' AND body LIKE '%keep ticket #1 open%'"
    )
    assert rows(desk, kept)
    # The buttons are gone; a forged click on the old custom_id finds nothing to answer.
    custom_id = f"close-request:close:{rows(desk, 'SELECT MAX(id) FROM close_requests')[0][0]}"
    late = await desk.member("alice").press(question, custom_id)
    assert "no longer open" in late.text and status_of(desk, 1) == "open"


async def test_only_the_owner_or_staff_may_answer(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    await desk.member("staff").slash("ticket add member", member="bob", in_channel=thread)
    question = await asked(desk, thread)
    refused = await desk.member("bob").click(question, "Close")
    assert "Only the member who opened ticket #1, or staff, can answer" in refused.text
    refused = await desk.member("bob").click(question, "Keep open")
    assert "Only the member who opened ticket #1, or staff" in refused.text
    assert question.buttons == ["Close", "Keep open"] and status_of(desk, 1) == "open"
    refused = await desk.member("alice").slash("ticket close-request", in_channel=thread)
    assert "Only staff can ask to close a ticket." in refused.text
    hours = await raw_slash(desk, "staff", "ticket close-request", thread, hours=0)
    assert "hours: must be between 1 and 720" in hours.text


async def test_a_new_request_replaces_the_old_one(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    first = await asked(desk, thread, reason="first")
    await desk.member("staff").slash("ticket close-request", reason="second", in_channel=thread)
    await desk.wait_for(lambda: first.buttons == [], message="the first request retired")
    assert "Replaced by a newer close request" in first.text
    second = next(m for m in desk.messages(thread) if "Keep open" in m.buttons)
    assert "second" in second.text
    assert len(rows(desk, REQUESTS, (1,))) == 1


async def test_buttons_and_the_deadline_survive_a_restart(timed_desk, clock_file):
    desk = timed_desk
    await set_up(desk)
    _, first_thread = await open_ticket(desk, "alice")
    _, second_thread = await open_ticket(desk, "bob", subject="Scanner")
    unanswered = await asked(desk, first_thread, hours=2)
    answered = await asked(desk, second_thread, hours=2)
    await desk.restart_bot()

    # After the restart, the buttons still answer their request.
    await desk.member("bob").click(answered, "Keep open")
    assert "chose to keep ticket #2 open" in answered.text
    await desk.restart_bot()
    clock_file.write_text(str(1 * HOUR))
    await desk.member("alice").say(first_thread, "thanks!")  # a reply does not cancel it
    clock_file.write_text(str(2 * HOUR + 60))
    await desk.wait_for(lambda: desk.channel(first_thread).locked, timeout=10, message="locked")
    assert status_of(desk, 1) == "closed" and status_of(desk, 2) == "open"
    reason = rows(desk, "SELECT close_reason, closed_by FROM tickets WHERE id = 1")
    assert reason == [("no answer to close request", 0)]
    assert unanswered.buttons == [] and "No answer within 2 hours" in unanswered.text
    await desk.next_message(first_thread, "was closed automatically")
    await desk.next_message("logs", "Ticket #1 was closed automatically")
    assert rows(desk, "SELECT COUNT(*) FROM close_requests") == [(0,)]
