"""Who may do what where: the one permission diagnosis behind `/admin setup`,
`/admin features` and `python bot.py --check`.

Effective permissions come from discord.py's `permissions_for`, which applies the channel's
overwrites for a member (the bot) or a role (@everyone, the staff role), as Discord does.
A ticket is a private thread under the ticket channel: Discord shows it only to people who
can see that channel, so members and staff need it as much as the bot does.

Inside Discord the diagnosis speaks the admin's language (`t`); in a terminal (start-up,
`--check`) it speaks English.
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
from i18n import NP_, Speech, speech

# A role with one of these is a moderator's, not the role ordinary members have.
_MODERATOR = discord.Permissions(
    administrator=True, manage_guild=True, manage_channels=True, manage_threads=True
)
# Who lacks what, named in the problem lines.
STAFF_ROLE = NP_("role", "staff role")


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
    t: Speech | None = None,
) -> Diagnosis:
    """`staff_roles`: (label, role) for the staff role first, then each department's
    role; the labels are already in `t`'s language."""
    t = t or speech()
    names = _Names(markup)
    result = Diagnosis()
    me = guild.me
    bot_role = guild.self_role
    for channel, needed in (
        (ticket_channel, BOT_TICKET_PERMISSIONS),
        (log_channel, POST_PERMISSIONS),
        (review_channel, POST_PERMISSIONS),
    ):
        gaps = lacking(channel.permissions_for(me), needed, t) if channel else []
        if channel is None or not gaps:
            continue
        where, missing = names.channel(channel), ", ".join(gaps)
        if bot_role is not None:
            result.problems.append(
                t._(
                    "In {channel} I am missing: {permissions}. Fix: in the channel's Edit "
                    "Channel → Permissions, allow them for my role {role}.",
                    channel=where,
                    permissions=missing,
                    role=names.role(bot_role),
                )
            )
        else:
            result.problems.append(
                t._(
                    "In {channel} I am missing: {permissions}. Fix: in the channel's Edit "
                    "Channel → Permissions, allow them for me.",
                    channel=where,
                    permissions=missing,
                )
            )
    staff = [(label, role) for label, role in staff_roles if not role.is_default()]
    _check_members(guild, ticket_channel, [role for _, role in staff], names, result, t)
    for label, role in staff:
        gaps = lacking(ticket_channel.permissions_for(role), THREAD_READER_PERMISSIONS, t)
        if gaps:
            result.problems.append(
                t._(
                    "In {channel} the {label} {role} is missing: {permissions}. Its members "
                    "can't be brought into ticket threads. Fix: in the channel's Edit Channel "
                    "→ Permissions, allow them for {role}.",
                    channel=names.channel(ticket_channel),
                    label=label,
                    role=names.role(role),
                    permissions=", ".join(gaps),
                )
            )
    for label, role in staff if review_channel is not None else []:
        assert review_channel is not None
        gaps = lacking(review_channel.permissions_for(role), REVIEWER_PERMISSIONS, t)
        if gaps:
            result.problems.append(
                t._(
                    "In {channel} the {label} {role} is missing: {permissions}. Its members "
                    "can't review form submissions. Fix: in the channel's Edit Channel → "
                    "Permissions, allow them for {role}.",
                    channel=names.channel(review_channel),
                    label=label,
                    role=names.role(role),
                    permissions=", ".join(gaps),
                )
            )
    return result


def _check_members(
    guild: discord.Guild,
    channel: discord.abc.GuildChannel,
    staff_roles: list[discord.Role],
    names: _Names,
    result: Diagnosis,
    t: Speech,
) -> None:
    everyone = guild.default_role
    gaps = lacking(channel.permissions_for(everyone), THREAD_READER_PERMISSIONS, t)
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
            shown = t.ngettext(
                "{roles} and {count} more role",
                "{roles} and {count} more roles",
                len(enough) - 5,
                roles=shown,
            )
        result.notes.append(
            t._(
                "Only members with {roles} can open tickets (in {channel} @everyone is "
                "missing: {permissions}).",
                roles=shown,
                channel=where,
                permissions=", ".join(gaps),
            )
        )
        return
    result.problems.append(
        t._(
            "In {channel} members (@everyone) are missing: {permissions}. They can't see or "
            "answer their own ticket threads, so every `/ticket create` fails. Fix: in the "
            "channel's Edit Channel → Permissions, allow them for @everyone (or for the role "
            "all your members have).",
            channel=where,
            permissions=", ".join(gaps),
        )
    )


def _member_roles(guild: discord.Guild, staff_roles: list[discord.Role]) -> Iterable[discord.Role]:
    for role in guild.roles:
        if role.is_default() or role.managed or role in staff_roles:
            continue
        if role.permissions.value & _MODERATOR.value:
            continue
        yield role


def diagnose_config(
    guild: discord.Guild, config: GuildConfig, *, markup: bool = True, t: Speech | None = None
) -> Diagnosis:
    """The diagnosis of a server's saved setup; a channel or role deleted since is a problem."""
    t = t or speech()
    if not config.is_set_up:
        return Diagnosis(
            problems=[t._("Not set up yet: run `/admin setup ticket_channel staff_role`.")]
        )
    ticket_channel = guild.get_channel(config.ticket_channel_id or 0)
    if ticket_channel is None:
        return Diagnosis(
            problems=[
                t._(
                    "The ticket channel no longer exists. Run `/admin setup` again to choose "
                    "another."
                )
            ]
        )
    gone: list[str] = []
    staff_roles: list[tuple[str, discord.Role]] = []
    wanted = [(t.pgettext("role", STAFF_ROLE), config.staff_role_id)]
    wanted += [
        (t._("{department} role", department=d.value), r)
        for d, r in config.department_roles.items()
    ]
    for label, role_id in wanted:
        role = guild.get_role(role_id or 0)
        if role is None:
            gone.append(
                t._(
                    "The {label} no longer exists. Run `/admin setup` again to choose another.",
                    label=label,
                )
            )
        elif all(role != known for _, known in staff_roles):  # a department may reuse it
            staff_roles.append((label, role))
    log_channel = guild.get_channel(config.log_channel_id or 0)
    if config.log_channel_id and log_channel is None:
        gone.append(
            t._("The log channel no longer exists. Run `/admin setup` again to choose another.")
        )
    review_channel = guild.get_channel(config.review_channel_id or 0)
    if config.review_channel_id and review_channel is None:
        gone.append(
            t._("The review channel no longer exists. Run `/admin setup` again to choose another.")
        )
    result = diagnose(
        guild,
        ticket_channel=ticket_channel,
        staff_roles=staff_roles,
        log_channel=log_channel,
        review_channel=review_channel,
        markup=markup,
        t=t,
    )
    result.problems += gone
    return result
