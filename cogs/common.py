"""Helpers every cog uses: who is acting, how refusals look, Discord's text limits."""

from __future__ import annotations

import discord

from core.models import Actor, GuildConfig

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
    """Decide who is acting from the interaction; the services decide what they may do."""
    user = interaction.user
    permissions = interaction.permissions
    role_ids = {role.id for role in getattr(user, "roles", [])}
    is_admin = permissions.manage_guild or permissions.administrator
    is_staff = permissions.manage_threads or bool(role_ids & config.staff_role_ids())
    return Actor(
        user_id=user.id,
        guild_id=interaction.guild_id or 0,
        is_staff=is_staff,
        is_admin=is_admin,
    )


def member_is_staff(member: discord.abc.User, config: GuildConfig) -> bool:
    if not isinstance(member, discord.Member):
        return False
    role_ids = {role.id for role in member.roles}
    return bool(role_ids & config.staff_role_ids()) or member.guild_permissions.manage_threads


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


def quote_back(
    text: str, intro: str = "Here is what you wrote, so you can try again:", limit: int = 1500
) -> str:
    """Show a member what they typed, so a refusal never loses their words."""
    fence = text.replace("```", "`\u200b``")
    return f"\n{intro}\n```\n{clip(fence, limit)}\n```"


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
