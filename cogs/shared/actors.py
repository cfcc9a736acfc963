"""Who is acting: the member behind an interaction or a thread message, as an Actor."""

from __future__ import annotations

import discord

from core.models import Actor, GuildConfig
from core.policy import is_staff, member_actor


def actor_for(interaction: discord.Interaction, config: GuildConfig) -> Actor:
    """Who is acting; the rule is `core.policy.member_actor`, the services decide the rest.

    Never `interaction.permissions`: those are the member's permissions in the channel the
    command runs in, overwrites included, and a channel overwrite must not make anyone staff.
    """
    actor = _member_actor(interaction.user, interaction.guild_id or 0, config)
    # The member's Discord language travels with them: a ticket remembers it for the AI.
    return actor.model_copy(update={"locale": str(interaction.locale)})


def member_is_staff(member: discord.abc.User, config: GuildConfig) -> bool:
    """The same rule for a message typed in a ticket thread."""
    guild_id = member.guild.id if isinstance(member, discord.Member) else 0
    return is_staff(_member_actor(member, guild_id, config))


def _member_actor(user: discord.abc.User, guild_id: int, config: GuildConfig) -> Actor:
    role_ids: list[int] = []
    granted: list[str] = []
    # Server-wide permissions come from the member's roles in the cached guild (the bot has
    # no Members intent; the payload's role ids are matched against the guild's roles, so
    # a deleted role is simply gone). A member of a guild not cached gets no standing.
    if isinstance(user, discord.Member) and isinstance(user.guild, discord.Guild):
        role_ids = [role.id for role in user.roles]
        granted = [name for name, on in user.guild_permissions if on]
    return member_actor(
        user_id=user.id,
        guild_id=guild_id,
        role_ids=role_ids,
        server_permissions=granted,
        config=config,
    )
