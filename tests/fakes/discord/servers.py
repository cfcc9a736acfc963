"""Several servers in one fake, and what a server's admins do to roles and channel overwrites.

Every guild holds its own channels, roles and members; ids all come from one snowflake
counter, so an id of one guild is never also an id in another (as on Discord). A test acts
in a second guild through `desk.in_guild(guild)`: the same fake and bot, with names
("general", "Staff", "admin") resolved in that guild.
"""

from __future__ import annotations

from . import permissions
from .driver import Desk
from .state import DiscordState, Guild, Payload

MEMBER_OVERWRITE, ROLE_OVERWRITE = 1, 0


def set_overwrite(
    state: DiscordState,
    channel: Payload,
    target_id: int,
    kind: int,
    *,
    allow: tuple[str, ...] = (),
    deny: tuple[str, ...] = (),
) -> None:
    """Replace the channel's overwrite for one role (kind 0) or member (kind 1), as the
    Discord client does when an admin edits a channel's permissions (CHANNEL_UPDATE)."""
    others = [o for o in channel["permission_overwrites"] if o["id"] != str(target_id)]
    entry = {
        "id": str(target_id),
        "type": kind,
        "allow": str(permissions.bits(*allow) if allow else 0),
        "deny": str(permissions.bits(*deny) if deny else 0),
    }
    channel["permission_overwrites"] = [*others, entry]
    state.dispatch("CHANNEL_UPDATE", channel)
    state.notify()


def delete_role(state: DiscordState, guild: Guild, role_id: int) -> Payload:
    """An admin deletes a role: it leaves the guild and every member holding it.

    Discord sends GUILD_ROLE_DELETE (GUILDS intent) and no member updates to a bot without
    the members intent; discord.py drops the role from its cache, so `member.roles` no
    longer lists it. Overwrites naming the role stay inert: nobody holds it any more.
    """
    if role_id == guild.id:
        raise ValueError("the @everyone role can't be deleted")
    role = guild.roles.pop(role_id)
    for member in guild.members.values():
        member["roles"] = [r for r in member["roles"] if r != str(role_id)]
    state.dispatch("GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role_id)})
    state.notify()
    return role


def add_role(
    state: DiscordState, guild: Guild, name: str, *perms: str, holders: tuple[int, ...] = ()
) -> Payload:
    """An admin creates a role with these server-wide permissions and hands it out."""
    role = state.add_role(guild, name, permissions.bits(*perms) if perms else 0)
    state.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role})
    for user_id in holders:
        member = guild.members[user_id]
        member["roles"] = [*member["roles"], role["id"]]
        state.dispatch("GUILD_MEMBER_UPDATE", {"guild_id": str(guild.id), **member})
    state.notify()
    return role


class GuildDesk(Desk):
    """A desk acting in another guild: members, channels and roles by name are that guild's."""

    def __init__(self, desk: Desk, guild: Guild) -> None:
        super().__init__(desk.fake, desk.bot, desk.db_path, desk.database)
        self._guild = guild

    @property
    def guild(self) -> Guild:
        return self._guild

    @property
    def guild_id(self) -> int:
        return self._guild.id
