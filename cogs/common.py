"""Helpers every cog uses: who is acting, how refusals look, Discord's text limits."""

from __future__ import annotations

import discord

from core.access import member_actor
from core.models import Actor, GuildConfig, is_staff

MESSAGE_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096

# Nobody is pinged unless a message says so explicitly: members' text can contain
# @everyone or role mentions, and the bot must never turn those into pings.
NO_PINGS = discord.AllowedMentions.none()

COLOUR_OPEN = discord.Colour.blurple()
COLOUR_GOOD = discord.Colour.green()
COLOUR_WARN = discord.Colour.orange()
COLOUR_BAD = discord.Colour.red()


def actor_for(interaction: discord.Interaction, config: GuildConfig) -> Actor:
    """Who is acting; the rule is `core.access.member_actor`, the services decide the rest.

    Never `interaction.permissions`: those are the member's permissions in the channel the
    command runs in, overwrites included, and a channel overwrite must not make anyone staff.
    """
    return _member_actor(interaction.user, interaction.guild_id or 0, config)


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


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at line breaks where possible so no chunk is over Discord's limit."""
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        chunks.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    if rest or not chunks:
        chunks.append(rest)
    return chunks


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote_back(text: str, limit: int = 1500) -> str:
    """Show a member what they typed, so a refusal never loses their words."""
    fence = text.replace("```", "`\u200b``")
    return f"\nHere is what you wrote, so you can try again:\n```\n{clip(fence, limit)}\n```"


async def send_ephemeral(interaction: discord.Interaction, content: str, **kwargs) -> None:
    """Answer ephemerally whether or not the interaction was already acknowledged."""
    content = clip(content, MESSAGE_LIMIT)
    if interaction.response.is_done():
        await interaction.followup.send(
            content, ephemeral=True, allowed_mentions=NO_PINGS, **kwargs
        )
    else:
        await interaction.response.send_message(
            content, ephemeral=True, allowed_mentions=NO_PINGS, **kwargs
        )
