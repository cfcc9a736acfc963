"""Deleting channels and threads, by the bot (DELETE /channels/{id}) or by an admin.

What Discord does, and the fake with it:
- a deleted thread: THREAD_DELETE with only `id`, `guild_id`, `parent_id` and `type`;
- a deleted channel: CHANNEL_DELETE with the whole channel. Its threads go with it, and
  Discord sends no THREAD_DELETE for them: clients drop a deleted channel's threads
  themselves (discord.py does, for the threads it has cached).
- afterwards every REST call on any of them is 404 Unknown Channel (10003).
"""

from __future__ import annotations

from aiohttp import web

from . import permissions
from .errors import missing_permissions, unknown_channel
from .keys import STATE
from .state import DM, THREAD_TYPES, DiscordState, Payload


def delete_channel(state: DiscordState, channel: Payload, *, announce: bool = True) -> Payload:
    """Remove a thread or channel (and a channel's threads); returns the deleted payload.

    `announce=False` sends no gateway event, as when the bot's session missed it: a new
    session is not told about what was deleted before it connected.
    """
    gone = dict(channel)
    dispatch = state.dispatch if announce else (lambda event, data: None)
    channel_id = int(channel["id"])
    guild = state.guild_of(channel)
    if channel["type"] in THREAD_TYPES:
        _forget(state, channel_id)
        dispatch(
            "THREAD_DELETE",
            {
                "id": channel["id"],
                "guild_id": channel["guild_id"],
                "parent_id": channel["parent_id"],
                "type": channel["type"],
            },
        )
    else:
        children = [
            int(c["id"])
            for c in (guild.channels.values() if guild else ())
            if c["type"] in THREAD_TYPES and c.get("parent_id") == channel["id"]
        ]
        for thread_id in children:
            _forget(state, thread_id)
        _forget(state, channel_id)
        dispatch("CHANNEL_DELETE", gone)
    state.notify()
    return gone


def _forget(state: DiscordState, channel_id: int) -> None:
    channel = state.channels.pop(channel_id, None)
    guild = state.guild_of(channel) if channel else None
    if guild is not None:
        guild.channels.pop(channel_id, None)
    state.thread_members.pop(channel_id, None)
    # Messages go with their channel (messages_by_id keeps interaction answers readable).
    state.messages.pop(channel_id, None)


async def delete_channel_route(request: web.Request) -> web.Response:
    from .server import json_response

    state = request.app[STATE]
    channel = state.channels.get(int(request.match_info["channel_id"]))
    if channel is None:
        raise unknown_channel()
    if channel["type"] != DM:
        perms = state.bot_permissions(channel)
        # Discord: Manage Threads deletes a thread, Manage Channels a channel.
        needed = "manage_threads" if channel["type"] in THREAD_TYPES else "manage_channels"
        if not permissions.has(perms, "view_channel", needed):
            raise missing_permissions()
        return json_response(delete_channel(state, channel))
    return json_response(channel)  # "deleting" a DM only closes it


def register(router: web.UrlDispatcher, api: str) -> None:
    router.add_route("DELETE", api + "/channels/{channel_id}", delete_channel_route)
