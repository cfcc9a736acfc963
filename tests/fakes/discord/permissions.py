"""Discord's permission arithmetic (base role permissions, then channel overwrites)."""

from __future__ import annotations

from typing import Any

import discord

# Bits by discord.py's names, so tests can say `deny=["create_private_threads"]`.
ALL = discord.Permissions.all().value
ADMINISTRATOR = discord.Permissions(administrator=True).value


def bits(*names: str) -> int:
    return discord.Permissions(**dict.fromkeys(names, True)).value


def has(value: int, *names: str) -> bool:
    wanted = bits(*names)
    return value & wanted == wanted


def compute(guild: Any, user_id: int, channel: dict[str, Any] | None) -> int:
    """Permissions of `user_id` in `channel` (a thread uses its parent), as Discord computes them."""
    if user_id == guild.owner_id:
        return ALL
    member = guild.members.get(user_id)
    if member is None:
        return 0
    everyone = guild.roles[guild.id]
    value = int(everyone["permissions"])
    for role_id in member["roles"]:
        role = guild.roles.get(int(role_id))
        if role:
            value |= int(role["permissions"])
    if value & ADMINISTRATOR:
        return ALL
    if channel is None:
        return value
    if channel.get("type") in (10, 11, 12) and channel.get("parent_id"):
        channel = guild.channels.get(int(channel["parent_id"]), channel)
    overwrites = {int(o["id"]): o for o in channel.get("permission_overwrites", [])}
    if everyone_ow := overwrites.get(guild.id):
        value = (value & ~int(everyone_ow["deny"])) | int(everyone_ow["allow"])
    allow = deny = 0
    for role_id in member["roles"]:
        if ow := overwrites.get(int(role_id)):
            allow |= int(ow["allow"])
            deny |= int(ow["deny"])
    value = (value & ~deny) | allow
    if member_ow := overwrites.get(user_id):
        value = (value & ~int(member_ow["deny"])) | int(member_ow["allow"])
    return value
