"""The inactivity sweep and the Discord side of a close: per ticket, retried until done."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_ticket, rows, set_up, status_of

# Rules that differ by backend: every test here runs on PostgreSQL too.
pytestmark = pytest.mark.postgres

HOUR = 3600
REMINDED = 49 * HOUR  # past the default 48 h reminder
DUE = (49 + 25) * HOUR  # and past the 24 h auto-close after it


@pytest.fixture
def clock_file(tmp_path):
    path = tmp_path / "clock-offset"
    path.write_text("0")
    return path


@pytest.fixture
def sweeping(desk_factory, clock_file):
    async def make(*, global_commands: bool = False):
        env = {"TICKETDESK_CLOCK_OFFSET_FILE": str(clock_file), "TICKETDESK_SWEEP_SECONDS": "0.1"}
        desk = await desk_factory(env, start=False)
        if global_commands:  # a second server can only use commands synced globally
            dev = desk.bot.environment
            desk.bot.environment = lambda: {k: v for k, v in dev().items() if k != "DEV_GUILD_ID"}
        await desk.start_bot()
        return desk

    return make


async def waiting_on(desk, who: str = "alice", **fields):
    """A ticket staff answered, so it waits on its owner (`pending`)."""
    _, thread = await open_ticket(desk, who, **fields)
    await desk.member("staff").say(thread, "Does it work now?")
    ticket_id = rows(desk, "SELECT id FROM tickets WHERE thread_id = ?", (thread.id,))[0][0]
    await desk.wait_for(lambda: status_of(desk, ticket_id) == "pending")
    return ticket_id, thread


def said(desk, channel, text: str) -> list:
    return [m for m in desk.messages(channel) if text in m.text]


def failed_posts(desk, channel_id: int) -> list:
    path = f"/channels/{channel_id}/messages"
    return [
        r
        for r in desk.state.request_log
        if r["method"] == "POST" and r["path"] == path and r.get("status") == 403
    ]


async def test_a_server_with_ticketing_off_does_not_stop_the_sweep(sweeping, clock_file):
    desk = await sweeping(global_commands=True)
    other = desk.in_guild(desk.join_guild("Second Server"))
    await set_up(other)
    quiet, quiet_thread = await waiting_on(other)  # ticket #1, first in the sweep
    off = await other.member("admin").slash("admin feature", name="ticketing", enabled=False)
    assert "is now off" in off.text
    await set_up(desk)
    ticket, thread = await waiting_on(desk)
    clock_file.write_text(str(REMINDED))
    await desk.next_message(thread, "are you still there?")
    clock_file.write_text(str(DUE))
    await desk.wait_for(lambda: desk.channel(thread).locked, timeout=10, message="locked")
    assert status_of(desk, ticket) == "closed" and desk.channel(thread).archived
    await desk.next_message("logs", f"Ticket #{ticket} was closed automatically")
    await desk.wait_for(lambda: desk.dms("alice"), message="the closing DM")
    # A server that switched ticketing off is left alone: no reminder, no close.
    assert status_of(desk, quiet) == "pending"
    assert not said(other, quiet_thread, "still there")
    assert not other.channel(quiet_thread).locked


async def test_a_close_discord_refused_is_finished_by_a_later_sweep(sweeping, clock_file):
    desk = await sweeping()
    await set_up(desk)
    ticket, thread = await waiting_on(desk)
    clock_file.write_text(str(REMINDED))
    await desk.next_message(thread, "are you still there?")
    desk.deny_bot("logs", "send_messages")
    clock_file.write_text(str(DUE))
    await desk.wait_for(lambda: desk.channel(thread).locked, timeout=10, message="locked")
    logs = desk.channel("logs").id
    await desk.wait_for(lambda: failed_posts(desk, logs), message="the refused transcript")
    left = "SELECT last_error FROM close_work"
    await desk.wait_for(lambda: rows(desk, left) not in ([], [(None,)]), message="a retry")
    desk.allow_bot("logs")
    clock_file.write_text(str(DUE + HOUR))
    await desk.next_message("logs", f"Ticket #{ticket} was closed automatically")
    assert len(said(desk, "logs", f"Ticket #{ticket} was closed")) == 1
    assert len(said(desk, thread, "was closed")) == 1
    assert len([m for m in desk.dms("alice") if "was closed" in m.text]) == 1


async def test_a_crash_mid_close_is_finished_once_after_restart(sweeping, clock_file):
    desk = await sweeping()
    await set_up(desk)
    ticket, thread = await waiting_on(desk)
    clock_file.write_text(str(REMINDED))
    await desk.next_message(thread, "are you still there?")
    # The closing line reaches Discord, but the bot dies before it hears back.
    closing = desk.hold_request(
        "POST", "/channels/{channel_id}/messages", channel=thread, after=True
    )
    clock_file.write_text(str(DUE))
    await desk.wait_for(lambda: closing.reached, timeout=10, message="the closing line")
    await desk.crash_bot()
    closing.release()
    assert status_of(desk, ticket) == "closed" and not desk.channel(thread).locked
    clock_file.write_text(str(DUE + HOUR))
    await desk.start_bot()
    await desk.wait_for(lambda: desk.channel(thread).locked, timeout=10, message="locked")
    await desk.next_message("logs", f"Ticket #{ticket} was closed automatically")
    await desk.wait_for(lambda: desk.dms("alice"), message="the closing DM")
    assert len(said(desk, thread, "was closed")) == 1
    assert len(said(desk, "logs", "was closed")) == 1
    assert len([m for m in desk.dms("alice") if "was closed" in m.text]) == 1
    notes = "SELECT COUNT(*) FROM replies WHERE author_kind = 'system' AND body LIKE '%was closed%'"
    assert rows(desk, notes) == [(1,)]


async def test_a_reminder_discord_refused_is_sent_later(sweeping, clock_file):
    desk = await sweeping()
    await set_up(desk)
    ticket, thread = await waiting_on(desk)
    desk.deny_bot("tickets", "send_messages_in_threads")
    clock_file.write_text(str(REMINDED))
    await desk.wait_for(lambda: failed_posts(desk, thread.id), message="the refused reminder")
    desk.allow_bot("tickets")
    reminder = await desk.next_message(thread, "are you still there?")
    assert desk.member("alice").id in reminder.mentioned_user_ids
    assert status_of(desk, ticket) == "pending"


async def test_a_reply_after_the_sweep_picked_a_ticket_keeps_it_open(sweeping, clock_file):
    desk = await sweeping()
    await set_up(desk)
    first, first_thread = await waiting_on(desk, "alice")
    second, second_thread = await waiting_on(desk, "bob", subject="Scanner")
    probe, probe_thread = await waiting_on(desk, "billing", subject="Probe")
    clock_file.write_text(str(REMINDED))
    for thread in (first_thread, second_thread, probe_thread):
        await desk.next_message(thread, "are you still there?")
    # The sweep has picked all three as due; it is busy closing the first on Discord.
    busy = desk.hold_request("POST", "/channels/{channel_id}/messages", channel=first_thread)
    clock_file.write_text(str(DUE))
    await desk.wait_for(lambda: busy.reached, timeout=10, message="the first close")
    await desk.member("bob").say(second_thread, "Sorry, I was away. Still broken.")
    await desk.wait_for(lambda: status_of(desk, second) == "open", message="bob's reply")
    await desk.member("staff").say(second_thread, "Then try this")
    await desk.wait_for(lambda: status_of(desk, second) == "pending", message="staff's answer")
    busy.release()
    # The probe comes after the second in the sweep: once it is closed, the second was judged.
    await desk.wait_for(lambda: desk.channel(probe_thread).locked, timeout=10, message="probe")
    assert status_of(desk, first) == "closed" and status_of(desk, probe) == "closed"
    assert status_of(desk, second) == "pending"
    assert not desk.channel(second_thread).locked
