"""`/ticket add member|role`, `/ticket remove member`: through the fake Discord, as staff
and members would use them."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up, status_of

PEOPLE = "SELECT kind, target_id, added_by FROM ticket_participants WHERE ticket_id = ?"


@pytest.mark.postgres
async def test_an_added_member_joins_replies_and_cannot_close(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    staff, bob = desk.member("staff"), desk.member("bob")
    assert bob.id not in desk.thread_member_ids(thread)

    added = await staff.slash("ticket add member", member="bob", in_channel=thread)
    assert "Added" in added.text and "#1" in added.text and added.ephemeral
    assert bob.id in desk.thread_member_ids(thread)
    said = await desk.next_message(thread, "was added to ticket #1")
    assert bob.id in said.mentioned_user_ids and staff.mention in said.text
    await desk.next_message("logs", "was added to ticket #1")
    assert rows(desk, PEOPLE, (1,)) == [("member", bob.id, staff.id)]
    again = await desk.member("admin").slash("ticket add member", member="bob", ticket_id="1")
    assert "already added" in again.text
    assert rows(desk, PEOPLE, (1,)) == [("member", bob.id, staff.id)]
    assert len([m for m in desk.messages(thread) if "was added to ticket" in m.text]) == 1

    # Bob talks in the thread like the owner: stored as a member reply.
    await bob.say(thread, "Same here, mine is smoking too")
    stored = "SELECT author_kind FROM replies WHERE author_id = ? AND body LIKE 'Same here%'"
    await desk.wait_for(lambda: rows(desk, stored, (bob.id,)), message="bob's message stored")
    assert rows(desk, stored, (bob.id,)) == [("member",)]
    replied = await bob.slash("ticket reply", message="Any news?", in_channel=thread)
    assert "refus" not in replied.text.lower()
    await desk.next_message(thread, "Any news?")
    viewed = await bob.slash("ticket view", ticket_id="1")
    assert "Status: open" in viewed.text and "Any news?" in viewed.text
    assert f"Added to the ticket: <@{bob.id}>" in viewed.text
    listed = await bob.slash("ticket list")
    assert "#1" in listed.text

    # Closing stays with the owner and staff.
    refused = await bob.slash("ticket close", in_channel=thread)
    assert "only its owner and staff can close it" in refused.text
    opening = await desk.next_message(thread, "New ticket #1")
    asked = await bob.click(opening, "Close")
    refused = await bob.click(asked, "Close now")
    assert "only its owner and staff can close it" in refused.text
    refused = await bob.slash("ticket resolve", in_channel=thread)
    assert "only its owner and staff can resolve it" in refused.text
    assert status_of(desk, 1) == "open" and not desk.channel(thread).locked


async def test_removing_takes_them_out_of_the_thread_and_the_record(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    staff, bob = desk.member("staff"), desk.member("bob")
    await staff.slash("ticket add member", member="bob", ticket_id="1")
    assert bob.id in desk.thread_member_ids(thread)

    removed = await staff.slash("ticket remove member", member="bob", in_channel=thread)
    assert "Took" in removed.text and "out of ticket #1" in removed.text
    assert bob.id not in desk.thread_member_ids(thread)
    assert rows(desk, PEOPLE, (1,)) == []
    await desk.next_message(thread, "was taken out of ticket #1")
    await desk.next_message("logs", "was taken out of ticket #1")
    refused = await bob.slash("ticket view", ticket_id="1")
    assert "belongs to someone else" in refused.text
    assert "#1" not in (await bob.slash("ticket list")).text

    owner = await staff.slash("ticket remove member", member="alice", in_channel=thread)
    assert "member: opened ticket #1 and can't be taken out of it" in owner.text
    assert desk.member("alice").id in desk.thread_member_ids(thread)


async def test_only_staff_add_and_the_owner_is_in_already(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    alice, bob = desk.member("alice"), desk.member("bob")
    refused = await alice.slash("ticket add member", member="bob", in_channel=thread)
    assert "Only staff can add people to tickets" in refused.text
    refused = await alice.slash("ticket remove member", member="staff", in_channel=thread)
    assert "Only staff can add people to tickets or take them out" in refused.text
    assert bob.id not in desk.thread_member_ids(thread)
    owner = await desk.member("staff").slash("ticket add member", member="alice", ticket_id="1")
    assert "member: opened ticket #1, so they are in it already" in owner.text
    nowhere = await desk.member("staff").slash("ticket add member", member="bob")
    assert "Run this inside a ticket's thread, or give the ticket number" in nowhere.text
    bot = await raw_slash(desk, "staff", "ticket add member", thread, member=desk.bot_id)
    assert "member: bots can't be added to tickets" in bot.text
    assert rows(desk, PEOPLE, (1,)) == []


async def test_someone_who_cannot_see_the_channel_is_not_recorded(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    desk.overwrite("tickets", member="bob", deny=("view_channel",))
    refused = await desk.member("staff").slash("ticket add member", member="bob", ticket_id="1")
    assert "Discord wouldn't add" in refused.text and "can't see" in refused.text
    assert "Nothing was recorded" in refused.text
    assert rows(desk, PEOPLE, (1,)) == []
    assert desk.member("bob").id not in desk.thread_member_ids(thread)


async def test_a_role_is_brought_in_by_mentioning_it(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    staff, billing = desk.member("staff"), desk.member("billing")
    role_id = int(desk.role("Billing")["id"])

    brought = await staff.slash("ticket add role", role="Billing", in_channel=thread)
    assert "no way to add a whole role at once" in brought.text
    assert "/ticket add member" in brought.text
    mention = await desk.next_message(thread, "you were brought into ticket #1")
    assert mention.mentioned_role_ids == [role_id] and mention.mentioned_user_ids == []
    assert billing.id in desk.thread_member_ids(thread)
    assert rows(desk, PEOPLE, (1,)) == [("role", role_id, staff.id)]
    await desk.next_message("logs", "was brought into ticket #1")
    await staff.slash("ticket add member", member="bob", in_channel=thread)
    viewed = await staff.slash("ticket view", ticket_id="1")
    assert f"Added to the ticket: <@&{role_id}>, <@{desk.member('bob').id}>" in viewed.text
    everyone = await staff.slash("ticket add role", role="@everyone", in_channel=thread)
    assert "role: @everyone can't be brought into a ticket" in everyone.text


async def test_a_role_the_bot_cannot_mention_is_refused(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    desk.deny_bot("tickets", "mention_everyone")
    refused = await desk.member("staff").slash("ticket add role", role="Billing", ticket_id="1")
    assert "role: I can't bring" in refused.text and "mentionable" in refused.text
    assert rows(desk, PEOPLE, (1,)) == []
    assert desk.member("billing").id not in desk.thread_member_ids(thread)
