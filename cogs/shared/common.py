"""Helpers every cog uses: who is acting, how refusals look, Discord's text limits."""

from __future__ import annotations

import io
from collections.abc import Sequence

import discord

from core.models import Actor, GuildConfig
from core.policy import is_staff, member_actor

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
    """Who is acting; the rule is `core.policy.member_actor`, the services decide the rest.

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


# (what it was, the text) for each thing a member typed, e.g. ("message", "It is on fire")
Typed = Sequence[tuple[str, str]]
GIVE_BACK_FILE = "what-you-wrote.txt"


TRY_AGAIN = "Here is what you wrote, so you can try again:"


def give_back(
    refusal: str, typed: Typed, intro: str = TRY_AGAIN
) -> tuple[str, discord.File | None]:
    """A refusal plus everything the member typed, so nothing they wrote is lost: quoted
    when it all fits in one message, otherwise attached whole as a text file."""
    fields = [(name, text) for name, text in typed if text.strip()]
    if not fields:
        return clip(refusal, MESSAGE_LIMIT), None
    named = len(fields) > 1
    quoted = "".join(
        (f"\n{name}:" if named else "") + f"\n```\n{text}\n```" for name, text in fields
    )
    inline = f"{refusal}\n{intro}{quoted}"
    # A fence inside the text would end the quote early; the file keeps it exactly.
    if len(inline) <= MESSAGE_LIMIT and not any("```" in text for _, text in fields):
        return inline, None
    note = (
        f"\nEverything you wrote is attached as `{GIVE_BACK_FILE}`, so you can copy it "
        "and try again."
    )
    body = "\n\n".join(f"{name}:\n{text}" if named else text for name, text in fields)
    file = discord.File(io.BytesIO(body.encode("utf-8")), filename=GIVE_BACK_FILE)
    return clip(refusal, MESSAGE_LIMIT - len(note)) + note, file


async def refuse(
    interaction: discord.Interaction, refusal: str, typed: Typed, intro: str = TRY_AGAIN
) -> None:
    """An ephemeral refusal that gives back what the member typed."""
    content, file = give_back(refusal, typed, intro)
    if file is None:
        await send_ephemeral(interaction, content)
    else:
        await send_ephemeral(interaction, content, file=file)


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
