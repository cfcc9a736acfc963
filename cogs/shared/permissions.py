"""What the bot and people need where, and what they lack: Discord's permissions, read
through `permissions_for` (which applies channel overwrites, as Discord does).

Opening a ticket and posting a reply name what is missing; `cogs/admin/diagnosis.py`
builds the whole setup diagnosis from the same tables.
"""

from __future__ import annotations

import discord

# What the bot needs in the ticket channel to run private-thread tickets.
THREAD_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "create_private_threads": "Create Private Threads",
    "manage_threads": "Manage Threads",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
}
BOT_TICKET_PERMISSIONS = {**THREAD_PERMISSIONS, "attach_files": "Attach Files"}
# What the bot needs to post in the log and review channels.
POST_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
}
# What people need to see and answer a ticket thread (members and staff alike).
THREAD_READER_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages_in_threads": "Send Messages in Threads",
    "read_message_history": "Read Message History",
}
REVIEWER_PERMISSIONS = {
    "view_channel": "View Channel",
    "read_message_history": "Read Message History",
}


def lacking(permissions: discord.Permissions, needed: dict[str, str]) -> list[str]:
    gaps = [label for flag, label in needed.items() if not getattr(permissions, flag)]
    # Without View Channel Discord takes every other channel permission away too; naming
    # only the cause keeps the fix to the one switch that is really off.
    return ["View Channel"] if "View Channel" in gaps else gaps


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    """What the bot lacks in `channel` to open and run ticket threads there."""
    return lacking(channel.permissions_for(me), THREAD_PERMISSIONS)


def members_cannot_use(channel: discord.abc.GuildChannel, member: discord.Member) -> list[str]:
    """What `member` lacks to see and answer a ticket thread under `channel`."""
    return lacking(channel.permissions_for(member), THREAD_READER_PERMISSIONS)
