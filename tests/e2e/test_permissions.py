"""Who is staff (SPEC §3): one rule from server-wide roles and permissions, whatever the
channel; and ids from one server never reach into another."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.helpers import open_ticket, rows, set_up, write
from tests.fakes.discord import interactions as build
from tests.fakes.discord import permissions
from tests.fakes.discord.driver import Desk


def kinds(desk: Desk) -> dict[int, str]:
    """Author id -> the kind of their last stored reply."""
    return dict(rows(desk, "SELECT author_id, author_kind FROM replies ORDER BY id"))


# -- staff: server-wide, never from one channel ---------------------------------------------


@pytest.mark.postgres
async def test_manage_threads_in_one_channel_does_not_make_a_member_staff(desk):
    await set_up(desk)
    await open_ticket(desk, "alice", subject="Alice's printer")
    _, bob_thread = await open_ticket(desk, "bob", subject="Bob's laptop")
    # A channel overwrite lets bob moderate threads in #tickets only.
    desk.overwrite("tickets", member="bob", allow=("manage_threads",))
    bob = desk.member("bob")

    listed = await bob.slash("ticket list", in_channel="tickets")
    assert "Your tickets" in listed.text and "Bob's laptop" in listed.text
    assert "Alice's printer" not in listed.text
    claim = await bob.slash("ticket claim", ticket_id="1", in_channel="tickets")
    assert claim.ephemeral and "Only staff" in claim.text
    stats = await bob.slash("ticket stats", in_channel=bob_thread)
    assert "Only staff" in stats.text
    assert rows(desk, "SELECT claimed_by FROM tickets WHERE id = 1") == [(None,)]

    # He can see Alice's private thread (Discord shows it to thread moderators), but what
    # he types there is a member's words, not a staff answer.
    alice_thread = desk.threads()[0]
    await bob.say(alice_thread, "I am not staff")
    await desk.wait_for(lambda: bob.id in kinds(desk), message="bob's message stored")
    assert kinds(desk)[bob.id] == "member"
    assert rows(desk, "SELECT status FROM tickets WHERE id = 1") == [("open",)]


async def test_server_wide_manage_threads_and_admins_are_staff_everywhere(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    desk.create_role("Moderators", "manage_threads", holders=("bob",))
    bob = desk.member("bob")
    listed = await bob.slash("ticket list")
    assert "All tickets" in listed.text and "Printer on fire" in listed.text
    await bob.say(thread, "A moderator here, looking into it.")
    await desk.wait_for(lambda: bob.id in kinds(desk), message="bob's message stored")
    assert kinds(desk)[bob.id] == "staff"

    # An admin (Manage Server, no staff role) is staff too, in a thread as in a command;
    # the overwrite only lets them into the private thread.
    admin = desk.member("admin")
    desk.overwrite("tickets", member="admin", allow=("manage_threads",))
    await admin.say(thread, "Admin here.")
    await desk.wait_for(lambda: admin.id in kinds(desk), message="the admin's message stored")
    assert kinds(desk)[admin.id] == "staff"
    assert "All tickets" in (await admin.slash("ticket list")).text


async def test_a_deleted_staff_role_stops_counting_and_setup_says_it_is_missing(desk):
    await set_up(desk)
    await open_ticket(desk, "alice")
    staff = desk.member("staff")
    assert "All tickets" in (await staff.slash("ticket list")).text
    desk.delete_role("Staff")

    assert "Your tickets" in (await staff.slash("ticket list")).text
    shown = await desk.member("admin").slash("admin features")
    assert "Staff role:" in shown.text and "deleted" in shown.text
    # Members can still open tickets; nothing crashes on the missing role.
    reply, _ = await open_ticket(desk, "bob")
    assert "is open" in reply.text
    again = await desk.member("admin").slash(
        "admin setup", ticket_channel="tickets", staff_role="Billing"
    )
    assert "deleted" not in again.text


# -- the AI draft's Send button -------------------------------------------------------------


async def test_a_replayed_send_button_does_not_post_as_staff(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk, "alice")
    opening = desk.bot_messages(thread)[0]  # has an embed, like a draft
    before = len(desk.messages(thread))
    refused = await desk.member("alice").press(opening, "ai:send:1")
    assert refused.ephemeral and "Only staff" in refused.text
    assert len(desk.messages(thread)) == before
    assert rows(desk, "SELECT COUNT(*) FROM replies WHERE ticket_id = 1") == [(1,)]


# -- several servers ------------------------------------------------------------------------


def form(**ids: Any) -> tuple[str, bytes]:
    definition = {
        "title": "Beta access",
        "questions": [{"id": "why", "label": "Why?", "kind": "short_text", "required": True}],
        **ids,
    }
    return ("form.json", json.dumps(definition).encode())


@pytest.fixture
async def two_servers(desk_factory) -> tuple[Desk, Desk]:
    """The bot in two servers, commands synced globally; returns (server A, server B)."""
    desk = await desk_factory({"DEV_GUILD_ID": None})
    await set_up(desk)
    # A server joined after start-up is greeted; that greeting says the bot has it cached.
    await desk.wait_for(lambda: "ready as" in desk.bot.stderr_tail(), message="on_ready")
    other = desk.in_guild(desk.join_guild("Other Server"))
    await other.wait_for(lambda: other.messages("general"), message="the greeting in B")
    return desk, other


async def test_a_form_cannot_point_at_another_servers_channel_or_roles(two_servers):
    a, b = two_servers
    admin_b = b.member("admin")
    foreign = {
        "review_channel_id": str(a.channel("reviews").id),
        "accept_role_id": a.role("Staff")["id"],
        "required_role_id": a.role("Admin")["id"],
    }
    refused = await admin_b.slash("forms create", definition=form(**foreign))
    assert refused.ephemeral
    for field in foreign:
        assert f"{field}: " in refused.text and "not a" in refused.text, refused.text
    assert rows(a, "SELECT COUNT(*) FROM forms") == [(0,)]

    own = {
        "review_channel_id": str(b.channel("reviews").id),
        "accept_role_id": b.role("Staff")["id"],
    }
    created = await admin_b.slash("forms create", definition=form(**own))
    assert "created" in created.text, created.text
    edited = await admin_b.slash("forms edit", form="1", definition=form(**foreign))
    assert "review_channel_id" in edited.text
    assert rows(a, "SELECT review_channel_id FROM forms") == [(b.channel("reviews").id,)]


async def test_a_stored_foreign_review_channel_gets_no_answers(two_servers):
    a, b = two_servers
    created = await b.member("admin").slash("forms create", definition=form())
    assert "created" in created.text
    # As if saved before ids were checked: the form points at server A's review channel.
    write(a, "UPDATE forms SET review_channel_id = ?", (a.channel("reviews").id,))
    before = len(a.messages("reviews"))
    opened = await b.member("alice").slash("forms submit", form="1")
    done = await b.member("alice").submit_modal(opened, {"Why?": "secret answers"})
    assert done.ephemeral
    assert rows(a, "SELECT COUNT(*) FROM submissions") == [(1,)]
    assert len(a.messages("reviews")) == before
    assert not any("secret answers" in m.text for m in a.messages("reviews"))


def raw_in(desk: Desk, who: str, command: str, swap: dict[str, tuple[str, dict]], **values):
    """A raw payload whose channel or role options are swapped for another server's: what a
    modified client could send. `swap` maps an option to (resolved kind, foreign payload)."""
    person = desk.member(who)
    channel = desk.channel_payload("general")
    data = build.command_data(
        desk.state, desk.guild, person.id, channel, command, values, unchecked=True
    )
    for option in data["options"][0]["options"]:
        if option["name"] in swap:
            kind, foreign = swap[option["name"]]
            resolved = data["resolved"][kind]
            resolved.pop(option["value"])
            resolved[foreign["id"]] = foreign
            option["value"] = foreign["id"]
    payload = build.base_payload(desk.state, desk.guild, person.id, channel, 2, data)
    return desk.send_interaction(payload)


@pytest.mark.parametrize(
    ("command", "option", "values"),
    [
        ("admin setup", "ticket_channel", {"ticket_channel": "tickets", "staff_role": "Staff"}),
        ("admin setup", "staff_role", {"ticket_channel": "tickets", "staff_role": "Staff"}),
        (
            "admin setup",
            "review_channel",
            {"ticket_channel": "tickets", "staff_role": "Staff", "review_channel": "reviews"},
        ),
        ("admin department", "role", {"name": "Billing", "role": "Billing"}),
        ("admin panel", "channel", {"channel": "general"}),
    ],
)
async def test_admin_options_from_another_server_are_refused(two_servers, command, option, values):
    a, b = two_servers
    name = values[option]
    if option in ("staff_role", "role"):
        foreign = ("roles", a.role(name))
    else:
        target = a.channel_payload(name)
        keep = ("id", "name", "type", "guild_id")
        partial = {k: target[k] for k in keep} | {"permissions": str(permissions.ALL)}
        foreign = ("channels", partial)
    settings_before = rows(a, "SELECT * FROM guild_settings ORDER BY guild_id")
    panels_before = len(a.messages("general"))
    reply = await raw_in(b, "admin", command, {option: foreign}, **values)
    assert reply.ephemeral and f"{option}: " in reply.text and "this server" in reply.text, (
        reply.text
    )
    assert rows(a, "SELECT * FROM guild_settings ORDER BY guild_id") == settings_before
    assert len(a.messages("general")) == panels_before
