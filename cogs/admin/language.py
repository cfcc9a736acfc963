"""`/admin language`: the language of what everyone on the server reads (SPEC §11).

Threads, the log channel and DMs about the server's tickets speak it; what only one
member sees follows that member's own Discord language. The choices are every language
the desk has a catalogue for, plus the server's own language on Discord (the default).
"""

from __future__ import annotations

import discord
from discord import app_commands

from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech, server_speech
from cogs.shared.text import send_ephemeral
from core.models import Actor, GuildConfig
from i18n import NP_, Speech, available_locales, native_name

SERVER_DEFAULT = "default"
LANGUAGE_CHOICES = [
    # Each language by its own name, so everyone finds theirs whatever their Discord says.
    *(app_commands.Choice(name=native_name(code), value=code) for code in available_locales()),
    app_commands.Choice(
        name=NP_("choice", "Server default (the server's language on Discord)"),
        value=SERVER_DEFAULT,
    ),
]


def describe_language(config: GuildConfig, guild: discord.Guild | None, t: Speech) -> str:
    """One line for /admin setup and /admin features, in `t`'s language."""
    spoken = native_name(server_speech(guild, config).locale)
    if config.language:
        return t._("Language of threads, log and DMs: {language}", language=spoken)
    return t._(
        "Language of threads, log and DMs: {language} (the server's language on Discord)",
        language=spoken,
    )


async def set_server_language(
    desk: TicketDesk, interaction: discord.Interaction, actor: Actor, choice: str
) -> None:
    language = None if choice == SERVER_DEFAULT else choice
    config = await desk.services.guilds.set_language(actor, language)
    server = desk.server_speech(config)
    spoken = native_name(server.locale)
    t = member_speech(interaction)
    if language is None:
        done = t._(
            "Threads, the log channel and DMs on this server now follow the server's language "
            "on Discord: {language}. What only one member sees follows their own Discord "
            "language.",
            language=spoken,
        )
    else:
        done = t._(
            "Threads, the log channel and DMs on this server are now in {language}. What "
            "only one member sees follows their own Discord language.",
            language=spoken,
        )
    await send_ephemeral(interaction, done)
    await desk.log_event(
        config,
        server._(
            "⚙️ {user} set the server's language to {language}",
            user=interaction.user.mention,
            language=spoken,
        ),
    )
