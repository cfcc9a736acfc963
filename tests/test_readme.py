"""The README's promises that a machine can check."""

from __future__ import annotations

import re
from pathlib import Path

from core.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")

# Bits of the permissions the README asks for (Discord's permission flags).
NEEDED = {
    "View Channels": 10,
    "Send Messages": 11,
    "Embed Links": 14,
    "Attach Files": 15,
    "Read Message History": 16,
    "Manage Roles": 28,
    "Manage Threads": 34,
    "Create Private Threads": 36,
    "Send Messages in Threads": 38,
}


def test_invite_url_grants_exactly_the_listed_permissions():
    value = int(re.search(r"permissions=(\d+)", README).group(1))
    assert value == sum(1 << bit for bit in NEEDED.values())
    for name in NEEDED:
        assert name in README


def test_every_setting_is_documented():
    for name in Settings.model_fields:
        assert f"`{name}`" in README, name


def test_the_bot_builds_the_same_invite_link():
    from cogs.runtime.startup import INVITE_PERMISSIONS, invite_url

    value = int(re.search(r"permissions=(\d+)", README).group(1))
    assert INVITE_PERMISSIONS.value == value
    assert invite_url(42) == (
        "https://discord.com/oauth2/authorize?client_id=42&scope=bot+applications.commands"
        f"&permissions={value}"
    )


def test_the_set_up_section_ends_with_the_check():
    section = README.split("## Creating the Discord application")[1].split("\n## ")[0]
    last_command = re.findall(r"```sh\n\s*(.+?)\n\s*```", section)[-1]
    assert last_command.endswith("python bot.py --check")
