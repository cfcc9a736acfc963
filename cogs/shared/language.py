"""Which language the desk speaks to whom (SPEC §11).

- What only one person sees (ephemeral replies, modals, their buttons) follows that
  person's Discord language: `interaction.locale`.
- What everyone in a place reads (ticket threads, the log and review channels, DMs about
  a ticket) follows the server's language: the one an admin chose with
  `/admin language`, else the server's own preferred locale on Discord.
"""

from __future__ import annotations

import discord

from core.close_requests import NO_ANSWER
from core.models import GuildConfig
from core.ticket_lifecycle import THREAD_GONE
from core.upkeep import NO_REPLY
from i18n import Speech, speech

# The close reasons the desk writes itself (stored in English), as people read them.
DESK_CLOSE_REASONS = {NO_REPLY, THREAD_GONE, NO_ANSWER}


def member_speech(interaction: discord.Interaction) -> Speech:
    """The language of the member behind `interaction`, for what only they see."""
    return speech(interaction.locale)


def server_speech(guild: discord.Guild | None, config: GuildConfig) -> Speech:
    """The server's language, for what is posted where everyone reads it."""
    if config.language:
        return speech(config.language)
    return speech(guild.preferred_locale if guild is not None else None)


def closing_reason(reason: str, t: Speech) -> str:
    """A close reason as `t` says it: the desk's own (`no reply`, a deleted thread)
    translated, a person's exactly as they wrote it."""
    return t._(reason) if reason in DESK_CLOSE_REASONS else reason
