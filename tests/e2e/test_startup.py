"""The first run on a real server (issue #20): each well-known start-up failure ends with
one line saying what is wrong and what to do, a non-zero exit code, and no traceback."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from tests.e2e.bot_process import REPO_ROOT
from tests.e2e.exits import Exit, dead_port, environment, run_to_exit
from tests.e2e.helpers import set_up
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk

TOKEN_LINE = (
    "DISCORD_TOKEN was rejected by Discord: copy a fresh one from the developer portal "
    "(Bot → Reset Token)"
)
PERMISSIONS = 361045806080  # what the README's invite link grants


def assert_one_line(result: Exit, code: int) -> None:
    assert result.code == code, result
    assert "Traceback" not in result.stderr, result
    assert "fake-token-for-tests" not in result.stderr + result.stdout  # never echo the token


async def test_unreachable_discord_is_retried_then_named(fake_discord: FakeDiscord, tmp_path):
    port = dead_port()
    result = await run_to_exit(
        fake_discord,
        tmp_path,
        env={
            "DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10",
            "DISCORD_RETRY_SECONDS": "2",
        },
    )
    assert_one_line(result, 4)
    assert result.last_line == (
        f"Discord could not be reached at 127.0.0.1:{port} for 2.0s (connection refused): "
        "check this machine's internet connection, DNS and firewall (and any proxy), "
        "then start again"
    )
    retries = [line for line in result.stderr.splitlines() if "retrying in" in line]
    assert retries and all("WARNING" in line for line in retries), result
    assert f"Cannot reach Discord at 127.0.0.1:{port} (connection refused)" in retries[0]


async def test_unknown_host_is_named_as_a_dns_failure(fake_discord: FakeDiscord, tmp_path):
    # The report that started issue #20: a 40-line ClientConnectorDNSError traceback.
    result = await run_to_exit(
        fake_discord,
        tmp_path,
        env={
            "DISCORD_API_BASE": "https://discord.invalid/api/v10",  # .invalid never resolves
            "DISCORD_RETRY_SECONDS": "1",
        },
    )
    assert_one_line(result, 4)
    assert result.last_line.startswith(
        "Discord could not be reached at discord.invalid:443 for 1.0s (DNS lookup failed)"
    ), result


async def test_unreachable_gateway_is_retried_then_named(fake_discord: FakeDiscord, tmp_path):
    port = dead_port()
    result = await run_to_exit(
        fake_discord,
        tmp_path,
        env={"DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/gateway", "DISCORD_RETRY_SECONDS": "2"},
    )
    assert_one_line(result, 4)
    assert result.last_line.startswith(
        f"Discord could not be reached at 127.0.0.1:{port} for 2.0s (connection refused)"
    ), result
    assert "Cannot reach Discord's gateway" in result.stderr


async def test_rejected_token_stops_with_one_line(fake_discord: FakeDiscord, tmp_path):
    fake_discord.state.application.token = "the-token-in-the-portal"  # 401 to ours
    result = await run_to_exit(fake_discord, tmp_path)
    assert_one_line(result, 5)
    assert result.last_line == TOKEN_LINE
    assert not fake_discord.gateway.identifies  # stopped before the gateway


@pytest.mark.postgres
async def test_token_reset_while_running_stops_with_the_same_line(desk: Desk) -> None:
    desk.reset_token()
    await desk.fake.gateway.drop_connections()  # the RESUME is refused with close 4004
    assert desk.bot is not None
    process = desk.bot.process  # type: ignore[attr-defined]
    async with asyncio.timeout(15):
        code = await process.wait()
    output = desk.bot.log_path.read_text()  # type: ignore[attr-defined]
    assert code == 5, output
    assert output.strip().splitlines()[-1] == TOKEN_LINE
    assert "Traceback" not in output


async def test_message_content_intent_off_is_named(fake_discord: FakeDiscord, tmp_path):
    fake_discord.state.application.privileged_intents = 0  # close 4014 on IDENTIFY
    result = await run_to_exit(fake_discord, tmp_path)
    assert_one_line(result, 6)
    assert result.last_line == (
        "Discord refused the Message Content intent, which is not switched on for this bot: "
        "in the developer portal (https://discord.com/developers/applications) open your "
        "application → Bot → Privileged Gateway Intents, turn on Message Content, save, "
        "then start again"
    )


async def test_commands_refused_gives_the_invite_link(fake_discord: FakeDiscord, tmp_path):
    guild = fake_discord.guild
    fake_discord.state.application.without_commands_scope.add(guild.id)  # 50001 on sync
    result = await run_to_exit(fake_discord, tmp_path)
    assert_one_line(result, 7)
    app_id = fake_discord.state.application_id
    assert result.last_line.startswith(
        f"Discord refused to register the slash commands in {guild.name} (50001 Missing "
        "Access): the bot was invited without the applications.commands scope. Invite it "
        f"again with https://discord.com/oauth2/authorize?client_id={app_id}&scope=bot+"
        f"applications.commands&permissions={PERMISSIONS}&guild_id={guild.id}"
    ), result


async def test_dev_guild_the_bot_is_not_in_stops(fake_discord: FakeDiscord, tmp_path):
    elsewhere = fake_discord.state.build_guild("Somebody Else's Server")  # bot not in it
    result = await run_to_exit(fake_discord, tmp_path, env={"DEV_GUILD_ID": str(elsewhere.id)})
    assert_one_line(result, 7)
    home = fake_discord.guild
    assert result.last_line.startswith(
        f"DEV_GUILD_ID {elsewhere.id} is not a server this bot is in (it is in: "
        f"{home.name} ({home.id})). Invite it there with https://discord.com/oauth2/"
    ), result
    assert result.last_line.endswith(
        "or correct DEV_GUILD_ID, or remove it to register the commands in every server"
    )


async def test_in_no_server_warns_once_with_the_invite_link(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake_discord.state.bot_guild_ids.clear()
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "bot.py",
            cwd=REPO_ROOT,
            env=environment(fake_discord, tmp_path, unset=("DEV_GUILD_ID",)),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    try:
        app_id = fake_discord.state.application_id
        expected = (
            "WARNING cogs.app: The bot is in no server yet: invite it with "
            f"https://discord.com/oauth2/authorize?client_id={app_id}"
        )

        def warned() -> bool:
            return expected in log_path.read_text()

        async with asyncio.timeout(20):
            while not warned():
                assert process.returncode is None, log_path.read_text()
                await asyncio.sleep(0.05)  # polling the log file: there is no event for it
        assert fake_discord.state.global_commands  # still works: commands synced globally
        assert process.returncode is None  # and keeps running
    finally:
        process.terminate()
        await process.wait()
    output = log_path.read_text()
    assert output.count("in no server yet") == 1
    assert "Traceback" not in output


async def test_a_set_up_channel_the_bot_cannot_see_is_logged_once(desk: Desk) -> None:
    await set_up(desk)
    desk.deny_bot("logs", "view_channel")  # e.g. an admin made #logs private since
    await desk.restart_bot()
    assert desk.bot is not None
    expected = (
        f"WARNING cogs.app: {desk.guild.name} ({desk.guild_id}): In #logs I am missing: "
        "View Channel. Fix: in the channel's Edit Channel → Permissions, allow them for my "
        "role @TicketDesk."
    )
    await desk.wait_for(lambda: expected in desk.bot.stderr_tail(200), message="the warning")
    assert desk.bot.stderr_tail(400).count("In #logs I am missing") == 1
