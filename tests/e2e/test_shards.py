"""The desk as gateway shards (SPEC §10), on SQLite: one process per database file.

Several processes sharing one database need PostgreSQL (test_shards_postgres.py); here a
process holds some or all of the shards, and the database may hold other shards' work.
"""

from __future__ import annotations

import pytest

from tests.e2e.exits import dead_port, run_to_exit
from tests.e2e.helpers import open_ticket, rows, set_up, status_of
from tests.e2e.shard_helpers import COUNT, identified, seed_guild, shard_env, wait_identified
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.shards import (
    click_in_dm,
    join_guild_on_shard,
    sessions_that_got,
    shard_of,
)

HOUR = 3600
DUE = 49 * HOUR  # past the 48 h reminder of tickets staff answered now


@pytest.fixture
def clock_file(tmp_path):
    path = tmp_path / "clock-offset"
    path.write_text("0")
    return path


@pytest.fixture
def strict_identify(fake_discord):
    # Discord's budget: 2 IDENTIFYs per 5 s, one per bucket (shard id % 2); the fake
    # reports any pair in one bucket closer than that.
    fake_discord.state.sharding.max_concurrency = 2
    fake_discord.state.sharding.identify_window = 5.0
    return fake_discord


def home_shard(desk: Desk) -> int:
    return shard_of(desk.guild_id, COUNT)


@pytest.mark.postgres
@pytest.mark.usefixtures("strict_identify")
async def test_one_process_serves_two_shards_with_a_server_on_each(desk_factory) -> None:
    desk = await desk_factory(shard_env("0,1"), start=False)
    home = home_shard(desk)
    other = desk.in_guild(join_guild_on_shard(desk, (1 - home, COUNT), "Second Server"))
    await desk.start_bot()
    await wait_identified(desk, 0, 1)
    assert sorted(identified(desk)) == [(0, COUNT), (1, COUNT)]  # each shard once
    for server in (desk, other):
        await set_up(server)
    _, home_thread = await open_ticket(desk, subject="Home printer")
    reply, other_thread = await open_ticket(other, subject="Other printer")
    assert "#2" in reply.text
    # Each server's events reached only the session of its shard.
    got = sessions_that_got(desk, "INTERACTION_CREATE", {"id": str(reply.interaction.id)})
    assert got == [(1 - home, COUNT)]
    for server, thread in ((desk, home_thread), (other, other_thread)):
        said = await server.member("alice").say(thread, "It is still smoking")
        await server.member("staff").say(thread, "Unplug it, please")
        await server.wait_for(
            lambda s=server, t=thread: status_of(s, _ticket_of(s, t)) == "pending",
            message="the staff answer mirrored",
        )
        assert rows(server, "SELECT COUNT(*) FROM replies WHERE message_id = ?", (said.id,)) == [
            (1,)
        ]
    by_guild = rows(desk, "SELECT guild_id, COUNT(*) FROM tickets GROUP BY guild_id")
    assert sorted(by_guild) == sorted([(desk.guild_id, 1), (other.guild_id, 1)])


@pytest.mark.usefixtures("strict_identify")
async def test_a_process_leaves_the_other_shards_tickets_alone(
    desk_factory, fake_discord, clock_file
) -> None:
    home = shard_of(fake_discord.guild.id, COUNT)
    env = shard_env(str(home), TEST_CLOCK_OFFSET_FILE=str(clock_file), SWEEP_INTERVAL_SECONDS="0.1")
    desk = await desk_factory({**env, "DEV_GUILD_ID": str(fake_discord.guild.id)}, start=False)
    other = desk.in_guild(join_guild_on_shard(desk, (1 - home, COUNT), "Other Shard"))
    # Both servers' work is in the database, the other shard's first (lower ids, due
    # earlier): a process that ignored the shards would reach it before its own.
    async with desk.database.open_store() as store:
        theirs = await seed_guild(store, desk.state, other.guild, wrote_while_down=True)
        ours = await seed_guild(store, desk.state, desk.guild)
    requests_before = len(desk.state.request_log)
    await desk.start_bot()
    await wait_identified(desk, home)
    # Our shard's work is all done: the thread made, the reminder sent, both closes done.
    made = "SELECT thread_id FROM tickets WHERE id = ?"
    waiting = await desk.wait_for(
        lambda: rows(desk, made, (ours.waiting.id,))[0][0], message="the waiting ticket's thread"
    )
    await desk.next_message(waiting, f"New ticket #{ours.waiting.id}")
    await desk.next_message(ours.to_remind.thread_id, "are you still there?")
    await desk.wait_for(lambda: status_of(desk, ours.to_close.id) == "closed", message="closed")
    for closed in (ours.to_close, ours.closed):
        line = f"Ticket #{closed.id} was closed"
        await desk.wait_for(lambda line=line: [m for m in desk.dms("alice") if line in m.text])
    # A ticket opened now is reminded a (bot's) day later: sweeps ran on and on meanwhile.
    _, thread = await open_ticket(desk, "bob", subject="Later")
    await desk.member("staff").say(thread, "Over to you, Bob")
    clock_file.write_text(str(DUE))
    await desk.next_message(thread, "are you still there?")
    # The other shard's tickets are as they were left: no attempt, no sweep, no catch-up.
    waits = "SELECT thread_id, thread_attempts FROM tickets WHERE id = ?"
    assert rows(desk, waits, (theirs.waiting.id,)) == [(None, 0)]
    quiet = "SELECT status, reminded_at IS NOT NULL FROM tickets WHERE id = ?"
    assert rows(desk, quiet, (theirs.to_remind.id,)) == [("pending", 0)]
    assert rows(desk, quiet, (theirs.to_close.id,)) == [("pending", 1)]
    # Alice's message posted while no one followed: only a catch-up of theirs would store it.
    stored = "SELECT COUNT(*) FROM replies WHERE ticket_id = ?"
    assert rows(desk, stored, (theirs.to_remind.id,)) == [(2,)]
    left = "SELECT attempts FROM close_work WHERE ticket_id = ?"
    assert rows(desk, left, (theirs.closed.id,)) == [(1,)]
    their_channels = {str(i) for i in other.guild.channels}
    touched = [
        r["path"]
        for r in desk.state.request_log[requests_before:]
        if their_channels & set(r["path"].split("/"))
    ]
    assert touched == []
    assert other.dms("alice") == []


@pytest.mark.usefixtures("strict_identify")
async def test_dm_buttons_work_in_the_process_holding_shard_0(desk_factory) -> None:
    """A DM belongs to no server: Discord sends its clicks to shard 0, whichever process
    holds that, even when the ticket's server is on another shard."""
    desk = await desk_factory(shard_env("1"), start=False)
    other = desk.in_guild(join_guild_on_shard(desk, (1, COUNT), "Shard One Server"))
    await desk.start_bot()
    await wait_identified(desk, 1)
    await set_up(other)
    _, thread = await open_ticket(other)
    await other.member("staff").slash("ticket close", in_channel=thread)
    dm = (await other.wait_for(lambda: other.dms("alice"), message="the closing DM"))[-1]
    assert "★★★★★" in dm.buttons
    # Now only a process holding shard 0 runs; the ticket's server is not its.
    desk.bot.extra_env["SHARD_IDS"] = "0"
    identifies = len(desk.fake.gateway.identifies)
    await desk.restart_bot()
    await wait_identified(desk, 0, after=identifies)
    thanks = await click_in_dm(other.member("alice"), dm, "★★★★")
    assert "rated ticket #1 4 out of 5" in thanks.text
    click = thanks.interaction
    assert "guild_id" not in click.payload
    assert sessions_that_got(desk, "INTERACTION_CREATE", {"id": str(click.id)}) == [(0, COUNT)]
    assert rows(desk, "SELECT rating FROM feedback") == [(4,)]


def _ticket_of(desk: Desk, thread) -> int:
    return rows(desk, "SELECT id FROM tickets WHERE thread_id = ?", (thread.id,))[0][0]


async def test_shards_that_cannot_reach_the_gateway_stop_with_the_line(
    fake_discord, tmp_path
) -> None:
    port = dead_port()
    env = {
        "SHARD_COUNT": "2",
        "SHARD_IDS": "0,1",
        "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/gateway",
        "DISCORD_RETRY_SECONDS": "2",
    }
    result = await run_to_exit(fake_discord, tmp_path, env=env)
    assert result.code == 4 and "Traceback" not in result.stderr, result
    assert result.last_line.startswith(
        f"Discord could not be reached at 127.0.0.1:{port} for 2.0s (connection refused)"
    ), result
    assert "failed to connect for shard_id: 0" in result.stderr


async def test_the_dev_server_is_checked_by_the_process_holding_it(fake_discord, desk_factory):
    """DEV_GUILD_ID names a server on the other shard: this process can't see it, and
    that is no mistake (the process holding it checks it), so it starts."""
    home = shard_of(fake_discord.guild.id, COUNT)
    desk = await desk_factory({"SHARD_COUNT": str(COUNT), "SHARD_IDS": str(1 - home)}, start=False)
    await desk.start_bot()
    await wait_identified(desk, 1 - home)
    await desk.wait_for(lambda: "ready as" in desk.bot.stderr_tail(200), message="the bot ready")
    assert desk.bot.process.returncode is None
    assert "is not a server this bot is in" not in desk.bot.stderr_tail(200)
