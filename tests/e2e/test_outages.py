"""Gateway outages and restarts: nothing typed in a ticket thread meanwhile is lost or misjudged."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.helpers import open_ticket, rows, set_up, status_of


def bodies(desk, ticket_id: int = 1) -> list[str]:
    return [r[0] for r in rows(desk, "SELECT body FROM replies WHERE ticket_id = ?", (ticket_id,))]


@pytest.mark.postgres
async def test_messages_typed_while_the_session_was_lost_are_stored(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await desk.member("staff").say(thread, "Which model is it?")
    await desk.wait_for(lambda: status_of(desk, 1) == "pending")
    # The session does not survive: the bot IDENTIFYs again and nothing is replayed.
    async with desk.gateway_outage(end_session=True):
        await desk.member("alice").say(thread, "An X100")
        await desk.member("alice").say(thread, "from 2019")
    await desk.wait_for(
        lambda: bodies(desk)[-2:] == ["An X100", "from 2019"], message="caught-up replies"
    )
    assert status_of(desk, 1) == "open"


async def test_a_newer_stored_message_does_not_hide_an_earlier_one(desk):
    """The bot stores its own post (a staff /ticket reply) after the outage began; the
    member's message typed before it, during the outage, is still caught up."""
    await set_up(desk)
    _, thread = await open_ticket(desk)
    posting = desk.hold_request("POST", "/channels/{channel_id}/messages", channel=thread)
    reply = asyncio.create_task(
        desk.member("staff").slash("ticket reply", message="Try a restart", in_channel=thread)
    )
    await desk.wait_for(lambda: posting.reached, message="the reply on its way")
    async with desk.gateway_outage(end_session=True):
        said = await desk.member("alice").say(thread, "It smells of smoke now")
        posting.release()
        assert "Reply posted" in (await reply).text
        stored = "SELECT message_id FROM replies WHERE body = 'Try a restart'"
        await desk.wait_for(lambda: rows(desk, stored) != [(None,)], message="the staff reply")
        assert int(rows(desk, stored)[0][0]) > said.id
    await desk.wait_for(
        lambda: "It smells of smoke now" in bodies(desk), message="the member's message"
    )


async def test_messages_during_a_short_drop_are_replayed(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    async with desk.gateway_outage(end_session=False):
        await desk.member("alice").say(thread, "Still there?")
    assert desk.fake.gateway.resumes >= 1
    await desk.wait_for(lambda: "Still there?" in bodies(desk), message="the replayed message")


async def test_staff_message_posted_while_down_counts_as_staff(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await desk.bot.stop()
    await desk.member("staff").say(thread, "Posted while the bot was away")
    await desk.start_bot()
    kinds = "SELECT author_kind FROM replies WHERE ticket_id = 1 ORDER BY id"
    await desk.wait_for(lambda: len(rows(desk, kinds)) == 2, message="the caught-up reply")
    assert rows(desk, kinds) == [("member",), ("staff",)]
    assert status_of(desk, 1) == "pending"
    assert rows(desk, "SELECT first_response_seconds IS NOT NULL FROM tickets") == [(1,)]


async def test_edits_after_close_do_not_change_the_record(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    _, other = await open_ticket(desk, "bob", subject="Scanner")
    alice, bob = desk.member("alice"), desk.member("bob")
    said = await alice.say(thread, "The model is X100")
    control = await bob.say(other, "first")
    await desk.wait_for(lambda: len(bodies(desk, 1)) == 2 and len(bodies(desk, 2)) == 2)
    desk.deny_bot("tickets", "manage_threads")  # the thread stays open for edits
    closed = await desk.member("staff").slash("ticket close", in_channel=thread)
    assert "Ticket #1 is closed" in closed.text
    await alice.edit(said, "The model is X200")
    await bob.edit(control, "first, corrected")
    await desk.wait_for(lambda: "first, corrected" in bodies(desk, 2), message="the control edit")
    assert "The model is X100" in bodies(desk, 1)
    assert rows(desk, "SELECT edited_at FROM replies WHERE message_id = ?", (said.id,)) == [(None,)]
