"""A member's standing in a server, as a front end without Discord's gateway learns it.

The web dashboard knows who logged in (Discord OAuth2) but not their roles in a server;
the bot process does (`MemberRoles`, implemented in cogs/runtime/member_roles.py). The
rule that turns roles and server-wide permissions into staff or admin stays in
`core.policy.member_actor`, the same as for slash commands.
"""

from __future__ import annotations

from typing import Protocol

from core.models import Actor, Frozen, GuildConfig
from core.policy import member_actor


class MemberStanding(Frozen):
    """The roles a member holds in one server and the permissions those roles grant
    server-wide (discord.py's flag names: "manage_guild", "manage_threads", ...)."""

    role_ids: frozenset[int] = frozenset()
    permissions: frozenset[str] = frozenset()


class StandingUnknown(Exception):
    """The member's roles could not be learnt right now (Discord unreachable...)."""


class MemberRoles(Protocol):
    async def __call__(self, guild_id: int, user_id: int) -> MemberStanding | None:
        """The member's standing, or None when they are not in that server (or the desk
        does not serve it). May be cached for a short while. Raises `StandingUnknown`
        when it cannot tell."""
        ...


def actor_from_standing(
    user_id: int, guild_id: int, standing: MemberStanding, config: GuildConfig
) -> Actor:
    return member_actor(
        user_id=user_id,
        guild_id=guild_id,
        role_ids=standing.role_ids,
        server_permissions=standing.permissions,
        config=config,
    )
