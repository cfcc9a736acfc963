"""Blocks (SPEC §12) end to end: a blocked member (or role) is refused at /ticket create,
the panel and /forms submit, told to ask an admin; their tickets stay usable; staff are
never blocked by a role; unblock works; only admins block; every change is logged."""

from __future__ import annotations

import json

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up
from tests.fakes.discord.driver import Desk

BLOCKED = (
    "You are blocked from opening tickets and submitting forms on this server. If you think "
    "this is a mistake, ask a server admin."
)
FORM = {"title": "Beta access", "questions": [{"id": "why", "label": "Why?", "kind": "short_text"}]}


async def make_form(desk: Desk) -> int:
    reply = await desk.member("admin").slash(
        "forms create", definition=("form.json", json.dumps(FORM).encode())
    )
    assert "created" in reply.text, reply.text
    return int(reply.text.split("Form #", 1)[1].split(" ", 1)[0])


async def post_panel(desk: Desk):
    await desk.member("admin").slash("admin panel", channel="general")
    return await desk.next_message("general", "Need help?")


@pytest.mark.postgres
async def test_a_blocked_member_is_refused_everywhere_and_unblocked(desk: Desk):
    await set_up(desk)
    admin, alice = desk.member("admin"), desk.member("alice")
    form_id = await make_form(desk)
    panel = await post_panel(desk)

    done = await admin.slash("admin block member", member=alice.id, reason="Spamming tickets")
    assert done.ephemeral and f"{alice.mention} is blocked" in done.text
    log = await desk.next_message("logs", f"{admin.mention} blocked {alice.mention}")
    assert "Spamming tickets" in log.text
    assert rows(desk, "SELECT kind, target_id, reason, blocked_by FROM blocks") == [
        ("member", alice.id, "Spamming tickets", admin.id)
    ]

    message = "My printer is on fire again and nobody listens to me at all."
    created = await alice.slash("ticket create", subject="Fire", message=message)
    assert created.ephemeral and BLOCKED in created.text
    assert message in created.text  # what she wrote is given back
    clicked = await alice.click(panel, "Open a ticket")
    assert clicked.callback_type != 9 and BLOCKED in clicked.text  # no modal to fill in
    picked = await alice.select(panel, "…or pick a department", ["1"])
    assert BLOCKED in picked.text
    submitted = await alice.slash("forms submit", form=str(form_id))
    assert BLOCKED in submitted.text
    assert rows(desk, "SELECT COUNT(*) FROM tickets") == [(0,)]
    assert desk.threads() == []

    listed = await admin.slash("admin blocked")
    assert alice.mention in listed.text and "Spamming tickets" in listed.text

    lifted = await admin.slash("admin unblock member", member=alice.id)
    assert f"{alice.mention} is no longer blocked" in lifted.text
    await desk.next_message("logs", f"{admin.mention} unblocked {alice.mention}")
    reply, _ = await open_ticket(desk)
    assert "Ticket #1 is open" in reply.text
    again = await admin.slash("admin unblock member", member=alice.id)
    assert f"{alice.mention} is not blocked" in again.text


async def test_a_modal_opened_before_the_block_is_refused_on_submit(desk: Desk):
    await set_up(desk)
    alice = desk.member("alice")
    modal = await alice.click(await post_panel(desk), "Open a ticket")
    await desk.member("admin").slash("admin block member", member=alice.id)
    typed = "Typed before the block, and given back whole."
    refused = await alice.submit_modal(
        modal, {"Subject": "Late", "What do you need help with?": typed}
    )
    assert BLOCKED in refused.text and typed in refused.text
    assert rows(desk, "SELECT COUNT(*) FROM tickets") == [(0,)]


async def test_existing_tickets_stay_usable(desk: Desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    alice = desk.member("alice")
    await desk.member("admin").slash("admin block member", member=alice.id)
    await alice.say(thread, "Still here, still burning.")
    await desk.wait_for(lambda: rows(desk, "SELECT COUNT(*) FROM replies") == [(2,)])
    replied = await alice.slash("ticket reply", message="Any update?", in_channel=thread)
    assert "Reply posted in #1" in replied.text
    closed = await alice.slash("ticket close", in_channel=thread)
    assert "Ticket #1 is closed" in closed.text


async def test_a_blocked_role_blocks_its_members_but_never_staff(desk: Desk):
    await set_up(desk)
    admin = desk.member("admin")
    trouble = desk.create_role("Trouble", holders=("bob", "staff"))
    done = await admin.slash("admin block role", role="Trouble")
    assert f"Members with <@&{trouble['id']}> are blocked" in done.text
    await desk.next_message("logs", f"blocked the role <@&{trouble['id']}>")

    refused = await desk.member("bob").slash("ticket create", subject="Hi", message="Hello")
    assert f"Your role <@&{trouble['id']}> is blocked" in refused.text
    assert "ask a server admin" in refused.text
    reply, _ = await open_ticket(desk, who="staff")  # staff holding it are not blocked
    assert "is open" in reply.text
    reply, _ = await open_ticket(desk, who="alice")  # nor is anyone without it
    assert "is open" in reply.text

    await admin.slash("admin unblock role", role="Trouble")
    reply, _ = await open_ticket(desk, who="bob")
    assert "is open" in reply.text


async def test_what_cannot_be_blocked(desk: Desk):
    await set_up(desk)
    admin = desk.member("admin")
    everyone = await admin.slash("admin block role", role="@everyone")
    assert "the everyone role can't be blocked" in everyone.text
    staff_role = await admin.slash("admin block role", role="Staff")
    assert "is a staff role, and staff are never blocked by a role" in staff_role.text
    me = await admin.slash("admin block member", member=admin.id)
    assert "you can't block yourself" in me.text
    assert rows(desk, "SELECT COUNT(*) FROM blocks") == [(0,)]


@pytest.mark.parametrize(
    ("command", "values"),
    [
        ("admin block member", {"member": "bob"}),
        ("admin block role", {"role": "Billing"}),
        ("admin unblock member", {"member": "bob"}),
        ("admin unblock role", {"role": "Billing"}),
        ("admin blocked", {}),
    ],
)
async def test_only_admins_block_even_with_raw_payloads(desk: Desk, command: str, values: dict):
    await set_up(desk)
    for who in ("staff", "alice"):
        reply = await raw_slash(desk, who, command, **values)
        assert reply.ephemeral and "Only server admins" in reply.text, (who, reply.text)
    assert rows(desk, "SELECT COUNT(*) FROM blocks") == [(0,)]


async def test_the_blocked_list_pages(desk: Desk):
    await set_up(desk)
    admin = desk.member("admin")
    names = [f"spammer{n:02d}" for n in range(16)]
    for name in names:
        desk.state.add_member(desk.guild, desk.state.add_user(name), [])
    for name in names:
        await admin.slash("admin block member", member=desk.member(name).id)
    first = await admin.slash("admin blocked")
    assert "Page 1 of 2 · 16 blocks" in first.text
    second = await admin.click(first, "Next ▶")
    assert desk.member(names[-1]).mention in second.text
