"""/admin: setup with permission checks, flags, limits, panel, forget-server, greeting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up, write

DISABLED = (
    "{label} is disabled on this server. An admin can turn it on with "
    "`/admin feature name:{name} enabled:True`."
)


@pytest.mark.postgres
async def test_setup_reports_configuration(desk):
    reply = await desk.member("admin").slash(
        "admin setup", ticket_channel="tickets", staff_role="Staff", log_channel="logs"
    )
    assert reply.ephemeral and "The ticket desk is ready" in reply.text
    assert f"Ticket channel: {desk.channel('tickets').mention}" in reply.text
    assert "Review channel: not set" in reply.text
    assert rows(desk, "SELECT ticket_channel_id, log_channel_id FROM guild_settings") == [
        (desk.channel("tickets").id, desk.channel("logs").id)
    ]


async def test_setup_names_missing_permissions_and_where(desk):
    desk.deny_bot("tickets", "manage_threads", "create_private_threads")
    desk.deny_bot("logs", "attach_files")
    reply = await desk.member("admin").slash(
        "admin setup", ticket_channel="tickets", staff_role="Staff", log_channel="logs"
    )
    tickets, logs = desk.channel("tickets").mention, desk.channel("logs").mention
    assert f"In {tickets} I am missing: Create Private Threads, Manage Threads." in reply.text
    assert f"In {logs} I am missing: Attach Files." in reply.text
    assert "won't work until these are fixed" in reply.text


async def test_features_and_flags_gate_commands(desk):
    await set_up(desk)
    admin = desk.member("admin")
    shown = await admin.slash("admin features")
    for line in ("ticketing: on", "applications: on", "ai: off"):
        assert line in shown.text
    assert "not configured" in shown.text  # no AI key: said, never shown
    off = await admin.slash("admin feature", name="ticketing", enabled=False)
    assert "is now off" in off.text
    expected = DISABLED.format(label="Ticketing", name="ticketing")
    for command, values in (
        ("ticket create", {"subject": "s", "message": "m"}),
        ("ticket list", {}),
    ):
        reply = await desk.member("alice").slash(command, **values)
        assert reply.ephemeral and reply.text == expected
    assert "ticketing: off" in (await admin.slash("admin features")).text
    await admin.slash("admin feature", name="ticketing", enabled=True)
    assert (
        "is open"
        in (await desk.member("alice").slash("ticket create", subject="s", message="m")).text
    )
    audit = [m.text for m in desk.messages("logs")]
    assert any(f"<@{admin.id}> turned ticketing off" in line for line in audit)


async def test_ai_cannot_be_switched_on_without_settings(desk):
    await set_up(desk)
    reply = await desk.member("admin").slash("admin feature", name="ai", enabled=True)
    assert "OPENAI_API_KEY" in reply.text and "AI_MODEL" in reply.text
    assert "ai: off" in (await desk.member("admin").slash("admin features")).text


@pytest.mark.parametrize(
    ("command", "values"),
    [
        ("admin setup", {"ticket_channel": "tickets", "staff_role": "Staff"}),
        ("admin department", {"name": "Billing", "role": "Billing"}),
        ("admin feature", {"name": "ticketing", "enabled": False}),
        ("admin features", {}),
        ("admin limits", {"max_open_tickets": 9}),
        ("admin panel", {}),
        ("admin forget-server", {}),
    ],
)
async def test_non_admins_are_refused_even_with_raw_payloads(desk, command, values):
    await set_up(desk)
    reply = await raw_slash(desk, "staff", command, **values)
    assert reply.ephemeral and "Only server admins" in reply.text
    assert rows(desk, "SELECT name FROM feature_flags") == []
    assert rows(desk, "SELECT max_open_tickets FROM guild_settings") == [(3,)]


async def test_admin_commands_are_hidden_from_members(desk):
    manage_guild = 1 << 5
    assert int(desk.commands()["admin"]["default_member_permissions"]) == manage_guild


async def test_limits_have_bounds(desk):
    await set_up(desk)
    reply = await desk.member("admin").slash("admin limits", max_open_tickets=500, unchecked=True)
    assert "max_open_tickets: must be between 1 and 50" in reply.text


async def test_department_role_is_brought_in(desk):
    await set_up(desk)
    await desk.member("admin").slash("admin department", name="Billing", role="Billing")
    _, thread = await open_ticket(desk, department="Billing")
    opening = await desk.next_message(thread, "New ticket")
    assert opening.mentioned_role_ids == [int(desk.role("Billing")["id"])]
    billing = await desk.member("billing").slash("ticket view", ticket_id="1")
    assert "Status: open" in billing.text  # department staff count as staff


async def test_panel_button_and_department_pick_open_tickets(desk):
    await set_up(desk)
    posted = await desk.member("admin").slash("admin panel", channel="general")
    assert "Panel posted" in posted.text
    panel = await desk.next_message("general", "Need help?")
    modal = await desk.member("alice").click(panel, "Open a ticket")
    done = await desk.member("alice").submit_modal(
        modal, {"Subject": "From the panel", "What do you need help with?": "Hello"}
    )
    assert "Ticket #1 is open" in done.text
    modal = await desk.member("bob").select(panel, "…or pick a department", ["1"])
    assert "Billing" in modal.modal.title
    await desk.member("bob").submit_modal(
        modal, {"Subject": "Invoice", "What do you need help with?": "Wrong amount"}
    )
    assert rows(desk, "SELECT subject, department FROM tickets ORDER BY id") == [
        ("From the panel", "Technical Support"),
        ("Invoice", "Billing"),
    ]


async def test_forget_server_removes_this_servers_data_only(desk):
    await set_up(desk)
    await open_ticket(desk)
    other = 42
    at: object = "2026-01-01T00:00:00+00:00"  # SQLite keeps ISO text; asyncpg wants a datetime
    if desk.database.kind == "postgres":
        at = datetime(2026, 1, 1, tzinfo=UTC)
    write(
        desk,
        "INSERT INTO tickets (guild_id, owner_id, subject, message, created_at, updated_at,"
        " status_changed_at) VALUES (?, 1, 's', 'm', ?, ?, ?)",
        (other, at, at, at),
    )
    prompt = await desk.member("admin").slash("admin forget-server")
    assert "can't be undone" in prompt.text
    done = await desk.member("admin").click(prompt, "Delete everything")
    assert "all data of this server is deleted" in done.text
    assert rows(desk, "SELECT guild_id FROM tickets") == [(other,)]
    assert rows(desk, "SELECT COUNT(*) FROM replies") == [(0,)]
    assert rows(desk, "SELECT COUNT(*) FROM guild_settings") == [(0,)]


async def test_greets_a_new_server_once(desk):
    # Servers arriving before the bot is ready are its existing ones, not new joins.
    await desk.wait_for(lambda: "ready as" in desk.bot.stderr_tail(), message="on_ready")
    guild = desk.join_guild("Second Server")
    general = guild.channel_named("general")
    greeting = await desk.next_message(general, "/admin setup")
    assert greeting.by_bot
    await desk.restart_bot()  # GUILD_CREATE on start is not a new join
    await desk.wait_for(lambda: "ready as" in desk.bot.stderr_tail(), message="on_ready")
    assert len([m for m in desk.messages(general) if "/admin setup" in m.text]) == 1
    desk.leave_guild(guild.id)
    reply = await desk.member("alice").slash("ticket list")
    assert reply.ephemeral  # the bot carries on after being removed elsewhere
