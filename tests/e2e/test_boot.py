"""The real bot boots against the fake Discord, syncs its commands, and restarts on its DB."""

from __future__ import annotations

from tests.fakes.discord.driver import Desk


async def test_boots_and_syncs_its_slash_commands(desk: Desk) -> None:
    commands = desk.commands()
    # /forms joins this set when the forms cog lands (SPEC §3).
    assert {"ticket", "admin"} <= set(commands)
    ticket_subcommands = {o["name"] for o in commands["ticket"]["options"]}
    assert {"create", "list", "view", "reply", "close"} <= ticket_subcommands
    create = next(o for o in commands["ticket"]["options"] if o["name"] == "create")
    assert [o["name"] for o in create["options"][:2]] == ["subject", "message"]
    identify = desk.fake.gateway.identifies[-1]
    intents = int(identify["intents"])
    assert intents & (1 << 15), "the Message Content intent is needed to read thread replies"
    assert not intents & (1 << 1), "the bot does not ask for the privileged members intent"


async def test_restarts_on_the_same_database(desk: Desk) -> None:
    first_db = desk.db_path
    await desk.restart_bot()
    assert desk.db_path == first_db and first_db.exists()
    assert len(desk.fake.gateway.identifies) == 2
    assert {"ticket", "admin"} <= set(desk.commands())
