"""The real bot boots against the fake Discord, syncs its commands, and restarts on its DB."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import rows, set_up
from tests.fakes.discord.driver import Desk


@pytest.mark.postgres
async def test_boots_and_syncs_its_slash_commands(desk: Desk) -> None:
    commands = desk.commands()
    # Every command of SPEC §3, by its exact name: other tools and people depend on them.
    spec = {
        "ticket": {"create", "list", "view", "reply", "stats", "close", "resolve", "reopen"}
        | {"claim", "priority", "department", "suggest"},
        "forms": {"list", "submit", "create", "edit", "close", "open", "submissions"},
        "admin": {"feature", "features", "setup", "department"},
    }
    assert set(spec) <= set(commands)
    for name, subcommands in spec.items():
        assert subcommands <= {o["name"] for o in commands[name]["options"]}, name
        assert commands[name].get("contexts") == [0], f"/{name} is for servers only"
    create = next(o for o in commands["ticket"]["options"] if o["name"] == "create")
    assert [o["name"] for o in create["options"][:2]] == ["subject", "message"]
    identify = desk.fake.gateway.identifies[-1]
    intents = int(identify["intents"])
    assert intents & (1 << 15), "the Message Content intent is needed to read thread replies"
    assert not intents & (1 << 1), "the bot does not ask for the privileged members intent"


async def test_restarts_on_the_same_database(desk: Desk) -> None:
    await set_up(desk)
    await desk.restart_bot()
    assert rows(desk, "SELECT COUNT(*) FROM guild_settings") == [(1,)]
    assert len(desk.fake.gateway.identifies) == 2
    assert {"ticket", "admin", "forms"} <= set(desk.commands())
