"""A member of a server as Discord knows them, for front ends without Discord's gateway.

The web dashboard and the HTTP API know who is calling (a Discord login, a `user_id`) but
not their roles in a server; the bot process does, and answers `member(guild, user)`
(cogs/runtime/api_side.py). The rule that turns roles and server-wide permissions into
staff or admin stays in `core.policy.member_actor`, the same as for slash commands.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models import Actor, GuildConfig
from core.policy import member_actor


@dataclass(frozen=True)
class MemberFacts:
    """A member's roles in one server and the permissions those roles grant server-wide
    (discord.py's flag names: "manage_guild", "manage_threads"...). `verified` is False
    when nobody could ask Discord (a separate API process)."""

    role_ids: frozenset[int] = frozenset()
    server_permissions: frozenset[str] = frozenset()
    verified: bool = True


def actor_from_facts(user_id: int, guild_id: int, facts: MemberFacts, config: GuildConfig) -> Actor:
    return member_actor(
        user_id=user_id,
        guild_id=guild_id,
        role_ids=facts.role_ids,
        server_permissions=facts.server_permissions,
        config=config,
    )
