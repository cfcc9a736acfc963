"""`python bot.py --check` (issue #20): the whole set-up in one report, exit 0 only when
all is well; each problem is one FIX line that says what to do."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.sqlite.migrations import discover
from tests.e2e.exits import Exit, dead_port, run_to_exit
from tests.e2e.helpers import set_up
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk
from tests.fakes.openai import FakeOpenAI

KEY = "sk-check-do-not-leak-77"


@pytest.fixture
async def model() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key=KEY) as fake:
        yield fake


def ai_env(model: FakeOpenAI, key: str = KEY) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": model.base_url,
        "OPENAI_API_KEY": key,
        "AI_MODEL": "fake-model",
        "AI_TIMEOUT_SECONDS": "5",
    }


async def check(fake: FakeDiscord, tmp_path: Path, **env: str) -> Exit:
    result = await run_to_exit(fake, tmp_path, "--check", env=env)
    assert "Traceback" not in result.stderr, result
    assert "fake-token-for-tests" not in result.stdout + result.stderr
    assert KEY not in result.stdout + result.stderr
    return result


async def check_desk(desk: Desk, tmp_path: Path, **env: str) -> Exit:
    """--check on the database the running desk's bot uses (SQLite or PostgreSQL)."""
    return await check(desk.fake, tmp_path, **desk.database.bot_env(), **env)


def fixes(result: Exit) -> list[str]:
    return [
        line.strip().removeprefix("FIX").strip()
        for line in result.stdout.splitlines()
        if line.strip().startswith("FIX")
    ]


@pytest.mark.postgres
async def test_a_healthy_desk_passes(desk_factory, model: FakeOpenAI, tmp_path: Path) -> None:
    desk: Desk = await desk_factory(ai_env(model))
    await set_up(desk)
    result = await check_desk(desk, tmp_path, **ai_env(model))
    assert result.code == 0, result
    guild = desk.guild
    out = result.stdout
    assert "its schema is current" in out
    assert "DISCORD_TOKEN is accepted" in out
    assert (
        f"ok    {guild.name} ({guild.id}): set up (tickets in #tickets, staff @Staff); "
        "permissions are fine"
    ) in out
    assert f"{model.base_url} answered with model fake-model" in out
    assert out.rstrip().endswith("All checks passed: the ticket desk is ready.")
    assert len(model.requests) == 1  # one tiny request
    assert model.requests[0].body["messages"] == [
        {"role": "user", "content": "Reply with the word OK."}
    ]


async def test_members_who_cannot_see_the_ticket_channel_fail_the_check(
    desk: Desk, tmp_path: Path
) -> None:
    await set_up(desk)
    desk.set_overwrite("tickets", "@everyone", deny=("view_channel",))
    desk.set_overwrite("tickets", "TicketDesk", allow=("view_channel",))
    desk.set_overwrite("tickets", "Staff", allow=("view_channel",))
    result = await check_desk(desk, tmp_path)
    assert result.code == 1, result
    guild = desk.guild
    assert fixes(result) == [
        f"{guild.name} ({guild.id}): In #tickets members (@everyone) are missing: View "
        "Channel. They can't see or answer their own ticket threads, so every `/ticket "
        "create` fails. Fix: in the channel's Edit Channel → Permissions, allow them for "
        "@everyone (or for the role all your members have)."
    ]


async def test_a_server_not_set_up_fails_the_check(desk: Desk, tmp_path: Path) -> None:
    result = await check_desk(desk, tmp_path)
    assert result.code == 1, result
    guild = desk.guild
    assert fixes(result) == [
        f"{guild.name} ({guild.id}): Not set up yet: run `/admin setup ticket_channel staff_role`."
    ]


async def test_a_rejected_token_is_named(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake_discord.state.application.token = "the-token-in-the-portal"
    result = await check(fake_discord, tmp_path)
    assert result.code == 1, result
    assert fixes(result) == [
        "DISCORD_TOKEN was rejected by Discord: copy a fresh one from the developer portal "
        "(Bot → Reset Token)"
    ]


async def test_the_intent_left_off_is_named(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake_discord.state.application.privileged_intents = 0
    result = await check(fake_discord, tmp_path)
    assert result.code == 1, result
    [line] = fixes(result)
    assert line.startswith("Discord refused the Message Content intent"), result


async def test_unreachable_discord_is_named(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    port = dead_port()
    result = await check(
        fake_discord,
        tmp_path,
        DISCORD_API_BASE=f"http://127.0.0.1:{port}/api/v10",
        DISCORD_RETRY_SECONDS="1",
    )
    assert result.code == 1, result
    [line] = fixes(result)
    assert line.startswith(f"Discord could not be reached at 127.0.0.1:{port}"), result


async def test_missing_commands_scope_and_wrong_dev_guild_are_named(
    desk: Desk, tmp_path: Path
) -> None:
    await set_up(desk)
    guild = desk.guild
    desk.state.application.without_commands_scope.add(guild.id)
    elsewhere = desk.state.build_guild("Somebody Else's Server")
    result = await check_desk(desk, tmp_path, DEV_GUILD_ID=str(elsewhere.id))
    assert result.code == 1, result
    found = fixes(result)
    assert found[0].startswith(f"DEV_GUILD_ID {elsewhere.id} is not a server this bot is in")
    assert found[1].startswith(
        f"{guild.name} ({guild.id}): Discord refused to register the slash commands in "
        f"{guild.name} (50001 Missing Access): the bot was invited without the "
        "applications.commands scope. Invite it again with https://discord.com/oauth2/"
    )
    assert len(found) == 2, result


async def test_a_failing_ai_endpoint_is_named(
    desk_factory, model: FakeOpenAI, tmp_path: Path
) -> None:
    desk: Desk = await desk_factory()
    await set_up(desk)
    result = await check_desk(desk, tmp_path, **ai_env(model, key="sk-wrong-key-0000"))
    assert result.code == 1, result
    assert fixes(result) == [
        f"The AI endpoint {model.base_url} did not answer (authentication failed): check "
        "OPENAI_API_KEY, AI_MODEL and OPENAI_BASE_URL"
    ]
    assert "sk-wrong-key-0000" not in result.stdout + result.stderr


async def test_a_database_from_a_newer_version_is_named(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    with sqlite3.connect(tmp_path / "tickets.db") as connection:
        connection.execute("PRAGMA user_version = 99")
    result = await check(fake_discord, tmp_path)
    assert result.code == 1, result
    latest = len(discover())
    assert fixes(result)[0] == (
        f"{tmp_path / 'tickets.db'} has schema version 99, newer than this code knows "
        f"({latest}): run the matching (newer) version of the bot"
    )


async def test_a_hanging_ai_endpoint_times_out_cleanly(
    fake_discord: FakeDiscord, model: FakeOpenAI, tmp_path: Path
) -> None:
    # The AI step outlasts discord.py's 2 s ready timer: its late `ready` must not
    # reach the client --check already closed (it printed a traceback once).
    model.fail("hang")
    env = ai_env(model) | {"AI_TIMEOUT_SECONDS": "3"}
    result = await check(fake_discord, tmp_path, **env)
    assert result.code == 1, result
    assert fixes(result)[-1] == (
        f"The AI endpoint {model.base_url} did not answer (timeout): check "
        "OPENAI_API_KEY, AI_MODEL and OPENAI_BASE_URL"
    )
