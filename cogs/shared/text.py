"""Discord's text limits, how refusals look, and answering ephemerally: for every cog."""

from __future__ import annotations

import io
from collections.abc import Sequence

import discord

from cogs.shared.language import member_speech
from i18n import N_, Speech, speech

MESSAGE_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096

# Nobody is pinged unless a message says so explicitly: members' text can contain
# @everyone or role mentions, and the bot must never turn those into pings.
NO_PINGS = discord.AllowedMentions.none()

COLOUR_OPEN = discord.Colour.blurple()
COLOUR_GOOD = discord.Colour.green()
COLOUR_WARN = discord.Colour.orange()
COLOUR_BAD = discord.Colour.red()


def user_mention(user_id: int | None) -> str:
    return f"<@{user_id}>"


def role_mention(role_id: int | None) -> str:
    return f"<@&{role_id}>"


def channel_mention(channel_id: int | None) -> str:
    return f"<#{channel_id}>"


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


TRY_AGAIN = N_("Here is what you wrote, so you can try again:")


def give_back(
    refusal: str, typed: Typed, intro: str = TRY_AGAIN, t: Speech | None = None
) -> tuple[str, discord.File | None]:
    """A refusal plus everything the member typed, so nothing they wrote is lost: quoted
    when it all fits in one message, otherwise attached whole as a text file. `intro` is
    an English sentence marked with N_, said in `t`'s language."""
    t = t or speech()
    fields = [(name, text) for name, text in typed if text.strip()]
    if not fields:
        return clip(refusal, MESSAGE_LIMIT), None
    named = len(fields) > 1
    quoted = "".join(
        (f"\n{name}:" if named else "") + f"\n```\n{text}\n```" for name, text in fields
    )
    inline = f"{refusal}\n{t._(intro)}{quoted}"
    # A fence inside the text would end the quote early; the file keeps it exactly.
    if len(inline) <= MESSAGE_LIMIT and not any("```" in text for _, text in fields):
        return inline, None
    note = "\n" + t._(
        "Everything you wrote is attached as `{file}`, so you can copy it and try again.",
        file=GIVE_BACK_FILE,
    )
    body = "\n\n".join(f"{name}:\n{text}" if named else text for name, text in fields)
    file = discord.File(io.BytesIO(body.encode("utf-8")), filename=GIVE_BACK_FILE)
    return clip(refusal, MESSAGE_LIMIT - len(note)) + note, file


async def refuse(
    interaction: discord.Interaction, refusal: str, typed: Typed, intro: str = TRY_AGAIN
) -> None:
    """An ephemeral refusal that gives back what the member typed (in their language)."""
    content, file = give_back(refusal, typed, intro, member_speech(interaction))
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
