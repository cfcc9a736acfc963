"""/ticket create, list, view, reply, stats through Discord-shaped interactions."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up, status_of

PRIVATE_THREAD = 12


@pytest.mark.postgres
async def test_create_opens_private_thread_with_member_and_staff(desk):
    await set_up(desk)
    reply, thread = await open_ticket(desk, priority="high", department="Billing")
    assert reply.ephemeral
    assert "Ticket #1 is open" in reply.text and thread.mention in reply.text
    assert thread.type == PRIVATE_THREAD and thread.raw["thread_metadata"]["invitable"] is False
    assert thread.name.startswith("#1 ")
    alice = desk.member("alice")
    assert alice.id in desk.thread_member_ids(thread)
    opening = await desk.next_message(thread, "New ticket #1")
    assert "Printer on fire" in opening.text and "It is really on fire." in opening.text
    assert "Priority\nhigh" in opening.text and "Department\nBilling" in opening.text
    assert "Close" in opening.buttons
    # Only the owner and the staff role are pinged, and the role brings staff in.
    assert opening.mentioned_user_ids == [alice.id]
    assert opening.mentioned_role_ids == [int(desk.role("Staff")["id"])]
    assert not opening.mention_everyone
    assert rows(desk, "SELECT thread_id, priority, department FROM tickets") == [
        (thread.id, "high", "Billing")
    ]


async def test_create_from_any_channel_goes_under_ticket_channel(desk):
    await set_up(desk)
    await desk.member("alice").slash("ticket create", subject="s", message="m", in_channel="logs")
    assert len(desk.threads("tickets")) == 1


async def test_create_without_setup_points_to_admin_setup(desk):
    reply = await desk.member("alice").slash("ticket create", subject="Help", message="Please")
    assert reply.ephemeral and "/admin setup" in reply.text
    assert desk.threads() == []


async def test_thread_name_is_safe(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, subject="@everyone <@&1> look **here** " + "x" * 60)
    assert "@" not in thread.name and "<" not in thread.name and len(thread.name) <= 100


async def test_mentions_in_member_text_never_ping(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, subject="@everyone help", message="@here <@&1> ping all")
    for message in desk.bot_messages(thread):
        assert not message.mention_everyone
        assert set(message.mentioned_role_ids) <= {int(desk.role("Staff")["id"])}


@pytest.mark.postgres
async def test_nul_characters_in_member_text_are_dropped_on_either_backend(desk):
    """PostgreSQL's text cannot hold U+0000: core drops it, so the ticket opens all the same."""
    await set_up(desk)
    reply, thread = await open_ticket(
        desk, subject="Printer\x00 on fire", message="It is\x00 really on fire."
    )
    assert "Ticket #1 is open" in reply.text, reply.text
    await desk.member("alice").say(thread, "log:\x00 done")
    bodies = "SELECT body FROM replies WHERE ticket_id = 1 ORDER BY id"
    await desk.wait_for(lambda: len(rows(desk, bodies)) == 2, message="the thread message")
    assert rows(desk, "SELECT subject FROM tickets") == [("Printer on fire",)]
    assert rows(desk, bodies) == [("It is really on fire.",), ("log: done",)]
    view = await desk.member("alice").slash("ticket view", ticket_id="1")
    assert "Printer on fire" in view.text and "\x00" not in view.text


async def test_raw_out_of_range_values_are_refused_cleanly(desk):
    await set_up(desk)
    alice = desk.member("alice")
    cases = [
        ({"subject": "s" * 300, "message": "m"}, "subject: must be at most 100"),
        ({"subject": "s", "message": "m" * 5000}, "message: must be at most 4000"),
        ({"subject": "s", "message": "m", "priority": "critical"}, "priority: must be one of"),
        ({"subject": "s", "message": "m", "department": "Legal"}, "department: must be one of"),
    ]
    for values, expected in cases:
        reply = await alice.slash("ticket create", unchecked=True, **values)
        assert reply.ephemeral and expected in reply.text, reply.text
    assert rows(desk, "SELECT COUNT(*) FROM tickets") == [(0,)]
    assert desk.threads() == []


async def test_refusal_gives_back_what_the_member_typed(desk):
    await set_up(desk)
    long_message = "My printer keeps catching fire every morning. " * 3
    reply = await desk.member("alice").slash(
        "ticket create", unchecked=True, subject="s" * 120, message=long_message
    )
    assert "subject: must be at most 100" in reply.text
    assert long_message.strip() in reply.text


async def test_missing_permission_is_named_and_nothing_is_left(desk):
    await set_up(desk)
    desk.deny_bot("tickets", "create_private_threads")
    reply = await desk.member("alice").slash("ticket create", subject="s", message="m")
    assert "Create Private Threads" in reply.text
    assert rows(desk, "SELECT COUNT(*) FROM tickets") == [(0,)]
    assert desk.threads() == []


# Rules PostgreSQL keeps with its own locks (core tests prove them too): here end to end.
@pytest.mark.postgres
async def test_cap_and_cooldown(desk):
    await set_up(desk, cooldown=0, max_open_tickets=2)
    await open_ticket(desk)
    await open_ticket(desk)
    reply = await desk.member("alice").slash("ticket create", subject="third", message="m")
    assert "limit is 2" in reply.text
    await desk.member("admin").slash("admin limits", cooldown_seconds=600)
    reply = await desk.member("bob").slash("ticket create", subject="a", message="m")
    reply = await desk.member("bob").slash("ticket create", subject="b", message="m")
    assert "You just opened ticket #3" in reply.text
    assert len(desk.threads()) == 3


@pytest.mark.postgres
async def test_double_click_makes_one_ticket(desk):
    await set_up(desk, cooldown=30)
    alice = desk.member("alice")
    replies = await asyncio.gather(
        alice.slash("ticket create", subject="s", message="m"),
        alice.slash("ticket create", subject="s", message="m"),
    )
    assert sorted("is open" in r.text for r in replies) == [False, True]
    assert len(desk.threads()) == 1


async def test_thread_messages_are_the_conversation(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    staff, alice = desk.member("staff"), desk.member("alice")
    await staff.say(thread, "Have you tried turning it off?")
    await desk.wait_for(lambda: status_of(desk, 1) == "pending", message="pending after staff")
    message = await alice.say(thread, "Yes, twice.")
    await desk.wait_for(lambda: status_of(desk, 1) == "open", message="open after member")
    kinds = rows(desk, "SELECT author_kind, body FROM replies WHERE ticket_id = 1 ORDER BY id")
    assert kinds == [
        ("member", "It is really on fire."),
        ("staff", "Have you tried turning it off?"),
        ("member", "Yes, twice."),
    ]
    await alice.edit(message, "Yes, three times.")
    await desk.wait_for(
        lambda: (
            rows(desk, "SELECT body FROM replies WHERE message_id = ?", (message.id,))
            == [("Yes, three times.",)]
        )
    )


async def test_reply_command_inside_thread_and_by_id(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    staff = desk.member("staff")
    reply = await staff.slash("ticket reply", message="We are on it.", in_channel=thread)
    assert reply.ephemeral and "Reply posted in #1" in reply.text
    posted = await desk.next_message(thread, "We are on it.")
    assert "staff" in posted.text
    await desk.wait_for(lambda: status_of(desk, 1) == "pending")
    reply = await desk.member("alice").slash("ticket reply", message="Thanks!", ticket_id="1")
    assert "Reply posted" in reply.text
    await desk.wait_for(lambda: status_of(desk, 1) == "open")
    stored = rows(desk, "SELECT author_kind, body FROM replies WHERE ticket_id = 1 ORDER BY id")
    assert stored[1:] == [("staff", "We are on it."), ("member", "Thanks!")]
    reply = await desk.member("bob").slash("ticket reply", message="me too", ticket_id="1")
    assert "only its owner and staff" in reply.text


async def test_reply_outside_a_thread_without_id_says_what_to_do(desk):
    await set_up(desk)
    reply = await desk.member("alice").slash("ticket reply", message="hello?")
    assert "ticket_id" in reply.text and "thread" in reply.text


async def test_list_visibility_and_pages(desk):
    await set_up(desk, max_open_tickets=20)
    for n in range(12):
        await open_ticket(desk, "alice", subject=f"alice {n}")
    await open_ticket(desk, "bob", subject="bob's ticket")
    mine = await desk.member("alice").slash("ticket list")
    assert mine.ephemeral and "#12" in mine.text and "bob's" not in mine.text
    assert "Page 1 of 2" in mine.text and "open" in mine.text
    second = await desk.member("alice").click(mine, "Next ▶")
    assert "Page 2 of 2" in second.text and "**#1**" in second.text
    back = await desk.member("alice").click(second, "◀ Previous")
    assert "Page 1 of 2" in back.text
    bobs = await desk.member("bob").slash("ticket list")
    assert "bob's ticket" in bobs.text and "alice" not in bobs.text
    everyone = await desk.member("staff").slash("ticket list", status="open")
    assert "13 tickets" in everyone.text
    unknown = await raw_slash(desk, "staff", "ticket list", department="Legal")
    assert "department: must be one of" in unknown.text


async def test_list_shows_subjects_as_typed_never_as_markdown(desk):
    await set_up(desk)
    await open_ticket(desk, "alice", subject="[free nitro](https://evil.example) **loud**")
    listed = await desk.member("staff").slash("ticket list")
    # A subject can't turn into a masked link or bold text in anyone's list.
    assert "[free nitro](https" not in listed.text and "**loud**" not in listed.text
    assert "free nitro" in listed.text and "loud" in listed.text


async def test_view_shows_fields_and_is_private(desk):
    await set_up(desk)
    await open_ticket(desk, priority="low", department="Sales")
    view = await desk.member("alice").slash("ticket view", ticket_id="1")
    assert "Status: open" in view.text and "Priority: low" in view.text
    assert "Department: Sales" in view.text and "It is really on fire." in view.text
    refused = await desk.member("bob").slash("ticket view", ticket_id="1")
    assert refused.ephemeral and "belongs to someone else" in refused.text
    assert "Status: open" in (await desk.member("staff").slash("ticket view", ticket_id="1")).text
    for bad in ("999999", "-1", "0"):
        reply = await desk.member("alice").slash("ticket view", ticket_id=bad)
        assert reply.ephemeral and bad in reply.text


async def test_stats_exact_for_staff_only(desk):
    await set_up(desk, max_open_tickets=10)
    await open_ticket(desk, priority="urgent")
    _, second = await open_ticket(desk, department="Billing")
    await open_ticket(desk, "bob", department="Sales", priority="low")
    await desk.member("staff").say(second, "On it")
    await desk.wait_for(lambda: status_of(desk, 2) == "pending")
    stats = await desk.member("staff").slash("ticket stats")
    for line in ("open: 2", "pending: 1", "resolved: 0", "closed: 0", "Billing: 1", "Sales: 1"):
        assert line in stats.text, stats.text
    assert "urgent: 1" in stats.text and "low: 1" in stats.text
    refused = await desk.member("alice").slash("ticket stats")
    assert "Only staff" in refused.text


async def test_twenty_members_at_once(desk):
    await set_up(desk)
    people = []
    for n in range(20):
        user = desk.state.add_user(f"member{n}")
        desk.state.add_member(desk.guild, user, [])
        people.append(desk.member(f"member{n}"))
    replies = await asyncio.gather(
        *(p.slash("ticket create", subject=f"help {i}", message="m") for i, p in enumerate(people))
    )
    assert all("is open" in r.text for r in replies)
    assert len(desk.threads()) == 20
    assert len({r[0] for r in rows(desk, "SELECT id FROM tickets")}) == 20


async def test_restart_keeps_tickets_and_old_buttons_work(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    opening = await desk.next_message(thread, "New ticket #1")
    await desk.restart_bot()
    confirm = await desk.member("alice").click(opening, "Close")
    assert "Close ticket #1?" in confirm.text
    done = await desk.member("alice").click(confirm, "Close now")
    assert "Ticket #1 is closed" in done.text
    assert status_of(desk, 1) == "closed"


async def test_messages_posted_while_down_are_caught_up(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await desk.bot.stop()
    await desk.member("staff").say(thread, "Posted while the bot was away")
    await desk.member("alice").say(thread, "And my answer")
    await desk.start_bot()
    await desk.wait_for(
        lambda: rows(desk, "SELECT COUNT(*) FROM replies WHERE ticket_id = 1") == [(3,)],
        message="caught-up replies",
    )
    assert status_of(desk, 1) == "open"  # staff then member: pending, then open again


async def test_view_pages_through_a_long_conversation(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    alice = desk.member("alice")
    for n in range(1, 7):
        await alice.say(thread, f"detail number {n}")
    await desk.wait_for(lambda: rows(desk, "SELECT COUNT(*) FROM replies") == [(7,)])
    first = await alice.slash("ticket view", ticket_id="1")
    assert "Replies page 1 of 2 · 7 messages" in first.text
    assert "It is really on fire." in first.text and "detail number 6" not in first.text
    second = await alice.click(first, "Next ▶")
    assert "Replies page 2 of 2" in second.text and "detail number 6" in second.text
    assert "Status: open" in second.text  # the ticket's facts stay on every page
