"""Channel and role ids must belong to the server they are used in.

An admin of one server must not point the desk at another server's channels or roles: a
form's review channel there would receive this server's applicants' answers. Slash options
are checked for every command before it runs (a raw payload can name any id, and discord.py
builds a role from the payload without asking which server it is in); ids typed into a form
definition are checked by the services against `server_ids`.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from core.access import NOT_A_CHANNEL, NOT_A_ROLE, ServerIds
from core.errors import InvalidInput
from core.models import GuildConfig
from core.validation import id_digits
from i18n import Speech

CHANNEL, ROLE, MENTIONABLE = 7, 8, 9


class ForeignOption(InvalidInput, app_commands.AppCommandError):
    """An option naming another server's channel or role. An AppCommandError, so the
    command tree reports it like any refusal (it is raised before the command runs)."""


def server_ids(guild: discord.Guild | None) -> ServerIds:
    """The channels (threads included) and roles of `guild` as the bot has them cached."""
    if guild is None:
        return ServerIds(guild_id=0)
    channels = {channel.id for channel in guild.channels}
    channels |= {thread.id for thread in guild.threads}
    return ServerIds(
        guild_id=guild.id,
        channel_ids=frozenset(channels),
        role_ids=frozenset(role.id for role in guild.roles),
    )


def require_own_options(interaction: discord.Interaction) -> None:
    """Refuse a slash command whose channel or role option is not this server's."""
    if interaction.type is not discord.InteractionType.application_command:
        return
    data: Any = interaction.data or {}
    resolved = data.get("resolved") or {}
    guild = interaction.guild
    for name, kind, value in _leaf_options(data.get("options") or []):
        number = id_digits(str(value)) or 0
        if kind == CHANNEL and not _channel_here(guild, number, resolved):
            raise ForeignOption(name, NOT_A_CHANNEL)
        is_role = kind == ROLE or (kind == MENTIONABLE and str(value) in resolved.get("roles", {}))
        if is_role and (guild is None or guild.get_role(number) is None):
            raise ForeignOption(name, NOT_A_ROLE)


def _channel_here(guild: discord.Guild | None, channel_id: int, resolved: Any) -> bool:
    if guild is None:
        return False
    if guild.get_channel_or_thread(channel_id) is not None:
        return True
    # A thread the bot has not cached (archived): judged by its parent channel.
    partial = (resolved.get("channels") or {}).get(str(channel_id)) or {}
    parent = id_digits(str(partial.get("parent_id") or ""))
    return parent is not None and guild.get_channel(parent) is not None


def _leaf_options(options: list[dict[str, Any]]) -> list[tuple[str, int, Any]]:
    found: list[tuple[str, int, Any]] = []
    for option in options:
        if option.get("options"):
            found += _leaf_options(option["options"])
        elif "value" in option:
            found.append((option["name"], int(option.get("type", 0)), option["value"]))
    return found


def belongs_here(channel: object, guild_id: int) -> bool:
    """Whether a channel the bot found by id (`bot.get_channel` looks in every server)
    is in the server `guild_id`."""
    guild = getattr(channel, "guild", None)
    return guild is not None and guild.id == guild_id


def missing_parts(config: GuildConfig, guild: discord.Guild | None, t: Speech) -> str:
    """Lines naming configured roles and channels deleted since setup ("" when none).

    A deleted staff role breaks nothing by itself (nobody holds it, so it makes nobody
    staff), but tickets would bring no staff in: admins are told where they look.
    """
    if guild is None:
        return ""
    lines = []
    roles = {t._("Staff role"): config.staff_role_id} | {
        t._("{department} role", department=department.value): role_id
        for department, role_id in config.department_roles.items()
    }
    for label, role_id in roles.items():
        if role_id is not None and guild.get_role(role_id) is None:
            lines.append(
                t._("⚠️ {label}: the role set up (id {id}) was deleted.", label=label, id=role_id)
            )
    channels = {
        t._("Ticket channel"): config.ticket_channel_id,
        t._("Log channel"): config.log_channel_id,
        t._("Review channel"): config.review_channel_id,
    }
    for label, channel_id in channels.items():
        if channel_id is not None and guild.get_channel(channel_id) is None:
            lines.append(
                t._(
                    "⚠️ {label}: the channel set up (id {id}) was deleted.",
                    label=label,
                    id=channel_id,
                )
            )
    if not lines:
        return ""
    fix = t._("Pick new ones with `/admin setup` (and `/admin department` for department roles).")
    return "\n\n" + "\n".join([*lines, fix])
