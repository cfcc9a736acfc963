"""Who may do what where: the one permission diagnosis behind `/admin setup`,
`/admin features` and `python bot.py --check`.

Effective permissions come from discord.py's `permissions_for`, which applies the channel's
overwrites for a member (the bot) or a role (@everyone, the staff role), as Discord does.
A ticket is a private thread under the ticket channel: Discord shows it only to people who
can see that channel, so members and staff need it as much as the bot does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import discord

from cogs.shared.permissions import (
    BOT_TICKET_PERMISSIONS,
    POST_PERMISSIONS,
    REVIEWER_PERMISSIONS,
    THREAD_READER_PERMISSIONS,
    lacking,
)
from core.models import GuildConfig

# A role with one of these is a moderator's, not the role ordinary members have.
_MODERATOR = discord.Permissions(
    administrator=True, manage_guild=True, manage_channels=True, manage_threads=True
)
FIX = "Fix: in the channel's Edit Channel → Permissions, allow them for"


@dataclass
class Diagnosis:
    """Problems stop tickets from working; notes are worth knowing but are not a fault."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Names:
    """Mentions inside Discord; plain `#name` / `@name` in a terminal report."""

    def __init__(self, markup: bool) -> None:
        self.markup = markup

    def channel(self, channel: discord.abc.GuildChannel) -> str:
        return channel.mention if self.markup else f"#{channel.name}"

    def role(self, role: discord.Role) -> str:
        if role.is_default():
            return "@everyone"
        return role.mention if self.markup else f"@{role.name}"


def diagnose(
    guild: discord.Guild,
    *,
    ticket_channel: discord.abc.GuildChannel,
    staff_roles: list[tuple[str, discord.Role]],
    log_channel: discord.abc.GuildChannel | None = None,
    review_channel: discord.abc.GuildChannel | None = None,
    markup: bool = True,
) -> Diagnosis:
    """`staff_roles`: ("staff role", role) first, then each department's role."""
    names = _Names(markup)
    result = Diagnosis()
    me = guild.me
    bot_role = guild.self_role
    bot_fix = f"{FIX} my role {names.role(bot_role)}." if bot_role else f"{FIX} me."
    for channel, needed in (
        (ticket_channel, BOT_TICKET_PERMISSIONS),
        (log_channel, POST_PERMISSIONS),
        (review_channel, POST_PERMISSIONS),
    ):
        gaps = lacking(channel.permissions_for(me), needed) if channel else []
        if channel is not None and gaps:
            where = names.channel(channel)
            result.problems.append(f"In {where} I am missing: {', '.join(gaps)}. {bot_fix}")
    staff = [(label, role) for label, role in staff_roles if not role.is_default()]
    _check_members(guild, ticket_channel, [role for _, role in staff], names, result)
    checks = [(ticket_channel, THREAD_READER_PERMISSIONS, "can't be brought into ticket threads")]
    if review_channel is not None:
        checks.append((review_channel, REVIEWER_PERMISSIONS, "can't review form submissions"))
    for channel, needed, consequence in checks:
        for label, role in staff:
            gaps = lacking(channel.permissions_for(role), needed)
            if gaps:
                who = names.role(role)
                result.problems.append(
                    f"In {names.channel(channel)} the {label} {who} is missing: "
                    f"{', '.join(gaps)}. Its members {consequence}. {FIX} {who}."
                )
    return result


def _check_members(
    guild: discord.Guild,
    channel: discord.abc.GuildChannel,
    staff_roles: list[discord.Role],
    names: _Names,
    result: Diagnosis,
) -> None:
    everyone = guild.default_role
    gaps = lacking(channel.permissions_for(everyone), THREAD_READER_PERMISSIONS)
    if not gaps:
        return
    where = names.channel(channel)
    # A verification gate (@everyone sees nothing, a member role does) is a deliberate
    # design: then only that role's members can open tickets, which is worth a note.
    enough = [
        role
        for role in _member_roles(guild, staff_roles)
        if not lacking(channel.permissions_for(role), THREAD_READER_PERMISSIONS)
    ]
    if enough:
        shown = ", ".join(names.role(r) for r in enough[:5])
        if len(enough) > 5:
            shown += f" and {len(enough) - 5} more roles"
        result.notes.append(
            f"Only members with {shown} can open tickets "
            f"(in {where} @everyone is missing: {', '.join(gaps)})."
        )
        return
    result.problems.append(
        f"In {where} members (@everyone) are missing: {', '.join(gaps)}. They can't see or "
        "answer their own ticket threads, so every `/ticket create` fails. "
        f"{FIX} @everyone (or for the role all your members have)."
    )


def _member_roles(guild: discord.Guild, staff_roles: list[discord.Role]) -> Iterable[discord.Role]:
    for role in guild.roles:
        if role.is_default() or role.managed or role in staff_roles:
            continue
        if role.permissions.value & _MODERATOR.value:
            continue
        yield role


def diagnose_config(guild: discord.Guild, config: GuildConfig, *, markup: bool = True) -> Diagnosis:
    """The diagnosis of a server's saved setup; a channel or role deleted since is a problem."""
    if not config.is_set_up:
        return Diagnosis(problems=["Not set up yet: run `/admin setup ticket_channel staff_role`."])
    rerun = "Run `/admin setup` again to choose another."
    ticket_channel = guild.get_channel(config.ticket_channel_id or 0)
    if ticket_channel is None:
        return Diagnosis(problems=[f"The ticket channel no longer exists. {rerun}"])
    gone: list[str] = []
    staff_roles: list[tuple[str, discord.Role]] = []
    wanted = [("staff role", config.staff_role_id)]
    wanted += [(f"{d.value} role", r) for d, r in config.department_roles.items()]
    for label, role_id in wanted:
        role = guild.get_role(role_id or 0)
        if role is None:
            gone.append(f"The {label} no longer exists. {rerun}")
        elif all(role != known for _, known in staff_roles):  # a department may reuse it
            staff_roles.append((label, role))
    channels = {}
    for label, channel_id in (("log", config.log_channel_id), ("review", config.review_channel_id)):
        channels[label] = guild.get_channel(channel_id or 0)
        if channel_id and channels[label] is None:
            gone.append(f"The {label} channel no longer exists. {rerun}")
    result = diagnose(
        guild,
        ticket_channel=ticket_channel,
        staff_roles=staff_roles,
        log_channel=channels["log"],
        review_channel=channels["review"],
        markup=markup,
    )
    result.problems += gone
    return result
