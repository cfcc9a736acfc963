"""What the bot and people need where, and what they lack: Discord's permissions, read
through `permissions_for` (which applies channel overwrites, as Discord does).

Opening a ticket and posting a reply name what is missing; `cogs/admin/diagnosis.py`
builds the whole setup diagnosis from the same tables.
"""

from __future__ import annotations

import discord

from i18n import NP_, Speech, speech

# What the bot needs in the ticket channel to run private-thread tickets.
THREAD_PERMISSIONS = {
    # TRANSLATORS: permission names exactly as Discord's own settings show them.
    "view_channel": NP_("permission", "View Channel"),
    "send_messages": NP_("permission", "Send Messages"),
    "send_messages_in_threads": NP_("permission", "Send Messages in Threads"),
    "create_private_threads": NP_("permission", "Create Private Threads"),
    "manage_threads": NP_("permission", "Manage Threads"),
    "embed_links": NP_("permission", "Embed Links"),
    "read_message_history": NP_("permission", "Read Message History"),
}
BOT_TICKET_PERMISSIONS = {**THREAD_PERMISSIONS, "attach_files": NP_("permission", "Attach Files")}
# What the bot needs to post in the log and review channels.
POST_PERMISSIONS = {
    "view_channel": NP_("permission", "View Channel"),
    "send_messages": NP_("permission", "Send Messages"),
    "embed_links": NP_("permission", "Embed Links"),
    "attach_files": NP_("permission", "Attach Files"),
}
# What people need to see and answer a ticket thread (members and staff alike).
THREAD_READER_PERMISSIONS = {
    "view_channel": NP_("permission", "View Channel"),
    "send_messages_in_threads": NP_("permission", "Send Messages in Threads"),
    "read_message_history": NP_("permission", "Read Message History"),
}
REVIEWER_PERMISSIONS = {
    "view_channel": NP_("permission", "View Channel"),
    "read_message_history": NP_("permission", "Read Message History"),
}


def lacking(
    permissions: discord.Permissions, needed: dict[str, str], t: Speech | None = None
) -> list[str]:
    """The names of the permissions missing, as Discord's own settings show them in `t`'s
    language (en-US by default, as in terminal reports)."""
    gaps = [flag for flag in needed if not getattr(permissions, flag)]
    # Without View Channel Discord takes every other channel permission away too; naming
    # only the cause keeps the fix to the one switch that is really off.
    if "view_channel" in gaps:
        gaps = ["view_channel"]
    t = t or speech()
    return [t.pgettext("permission", needed[flag]) for flag in gaps]


def missing_permissions(
    channel: discord.abc.GuildChannel, me: discord.Member, t: Speech | None = None
) -> list[str]:
    """What the bot lacks in `channel` to open and run ticket threads there."""
    return lacking(channel.permissions_for(me), THREAD_PERMISSIONS, t)


def members_cannot_use(
    channel: discord.abc.GuildChannel, member: discord.Member, t: Speech | None = None
) -> list[str]:
    """What `member` lacks to see and answer a ticket thread under `channel`."""
    return lacking(channel.permissions_for(member), THREAD_READER_PERMISSIONS, t)
