"""Creating and editing messages the way Discord does: mentions, thread membership, events."""

from __future__ import annotations

import re
from typing import Any

from . import permissions
from .errors import DiscordError
from .ids import iso_now
from .state import PRIVATE_THREAD, THREAD_TYPES, DiscordState, Payload

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
UploadedFile = tuple[str, bytes, str]  # filename, data, content type


def create_message(
    state: DiscordState,
    channel: Payload,
    author_id: int,
    body: dict[str, Any],
    files: list[UploadedFile] | None = None,
    *,
    ephemeral: bool = False,
    message_type: int = 0,
    interaction: Payload | None = None,
) -> Payload:
    channel_id = int(channel["id"])
    message_id = state.ids.next()
    author = state.users[author_id]
    flags = int(body.get("flags") or 0) | (1 << 6 if ephemeral else 0)
    message: Payload = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": body.get("content") or "",
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts")),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [state.attachment_payload(*f) for f in files or []],
        "embeds": [_embed(e) for e in body.get("embeds") or []],
        "components": number_components(body.get("components") or []),
        "pinned": False,
        "type": message_type,
        "flags": flags,
    }
    if channel.get("guild_id"):
        message["guild_id"] = channel["guild_id"]
    if body.get("message_reference"):
        message["message_reference"] = {"channel_id": str(channel_id), **body["message_reference"]}
    if interaction is not None:
        message["interaction_metadata"] = interaction
        message["application_id"] = str(state.application_id)
        message["webhook_id"] = str(state.application_id)
    _apply_mentions(state, channel, author_id, message, body.get("allowed_mentions"))
    state.messages_by_id[message_id] = message
    if not ephemeral:
        state.messages.setdefault(channel_id, []).append(message)
        channel["last_message_id"] = str(message_id)
        if channel["type"] in THREAD_TYPES:
            channel["message_count"] = channel.get("message_count", 0) + 1
            channel["total_message_sent"] = channel.get("total_message_sent", 0) + 1
            _unarchive_on_message(state, channel)
        state.dispatch("MESSAGE_CREATE", with_member(state, message))
        _add_mentioned_to_thread(state, channel, message)
    state.notify()
    return message


def edit_message(
    state: DiscordState, message: Payload, body: dict[str, Any], files: list[UploadedFile]
) -> Payload:
    for key in ("content", "components", "flags"):
        if key in body:
            message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
    message["components"] = number_components(message["components"])
    if "embeds" in body:
        message["embeds"] = [_embed(e) for e in body["embeds"] or []]
    if "attachments" in body:
        keep = {str(a.get("id")) for a in body["attachments"] or []}
        message["attachments"] = [a for a in message["attachments"] if a["id"] in keep]
    message["attachments"] += [state.attachment_payload(*f) for f in files]
    message["flags"] = int(message.get("flags") or 0) & ~(1 << 7)  # no longer "thinking"
    message["edited_timestamp"] = iso_now()
    if "content" in body:
        channel = state.channels[int(message["channel_id"])]
        author_id = int(message["author"]["id"])
        _apply_mentions(state, channel, author_id, message, body.get("allowed_mentions"))
    if not int(message["flags"]) & (1 << 6):
        state.dispatch("MESSAGE_UPDATE", with_member(state, message))
    state.notify()
    return message


def number_components(components: list[Payload]) -> list[Payload]:
    """Discord gives every component without one a numeric `id`, depth first, from 1."""
    counter = 0

    def visit(items: list[Payload]) -> list[Payload]:
        nonlocal counter
        out = []
        for item in items:
            counter += 1
            copy = {**item, "id": item.get("id") or counter}
            for key in ("components", "accessory", "component"):
                child = copy.get(key)
                if isinstance(child, dict):
                    copy[key] = visit([child])[0]
                elif isinstance(child, list):
                    copy[key] = visit(child)
            out.append(copy)
        return out

    return visit(components)


def with_member(state: DiscordState, message: Payload) -> Payload:
    """Gateway MESSAGE_CREATE/UPDATE carry the author's guild member (without `user`)."""
    guild = state.guilds.get(int(message.get("guild_id") or 0))
    if guild is None:
        return message
    member = guild.members.get(int(message["author"]["id"]))
    if member is None:
        return message
    return {**message, "member": {k: v for k, v in member.items() if k != "user"}}


def _embed(embed: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich", **embed}


def _apply_mentions(
    state: DiscordState,
    channel: Payload,
    author_id: int,
    message: Payload,
    allowed: dict[str, Any] | None,
) -> None:
    """Who actually gets pinged: what `allowed_mentions` and the author's permissions allow."""
    content = message["content"]
    parse = (
        set(allowed.get("parse") or []) if allowed is not None else {"users", "roles", "everyone"}
    )
    # Ids may arrive as strings or integers (discord.py sends integers).
    allowed_users = {str(u) for u in (allowed or {}).get("users") or []}
    allowed_roles = {str(r) for r in (allowed or {}).get("roles") or []}
    guild = state.guild_of(channel)
    perms = state.member_permissions(guild, author_id, channel) if guild else 0
    can_mention_all = permissions.has(perms, "mention_everyone")
    users = [
        state.users[int(uid)]
        for uid in dict.fromkeys(USER_MENTION.findall(content))
        if int(uid) in state.users and ("users" in parse or uid in allowed_users)
    ]
    roles = []
    for rid in dict.fromkeys(ROLE_MENTION.findall(content)):
        role = guild.roles.get(int(rid)) if guild else None
        pingable = role is not None and (role["mentionable"] or can_mention_all)
        if pingable and ("roles" in parse or rid in allowed_roles):
            roles.append(rid)
    everyone = ("@everyone" in content or "@here" in content) and "everyone" in parse
    message["mentions"] = users
    message["mention_roles"] = roles
    message["mention_everyone"] = bool(everyone and can_mention_all)


def _add_mentioned_to_thread(state: DiscordState, channel: Payload, message: Payload) -> None:
    """A ping in a private thread adds the pinged people who can see the parent channel."""
    if channel["type"] != PRIVATE_THREAD:
        return
    guild = state.guild_of(channel)
    if guild is None:
        return
    targets = {int(u["id"]) for u in message["mentions"]}
    for role_id in message["mention_roles"]:
        targets |= {uid for uid, m in guild.members.items() if role_id in m["roles"]}
    for user_id in sorted(targets):
        perms = state.member_permissions(guild, user_id, channel)
        if permissions.has(perms, "view_channel"):
            add_thread_member(state, channel, user_id)


def add_thread_member(state: DiscordState, thread: Payload, user_id: int) -> Payload | None:
    members = state.thread_members.setdefault(int(thread["id"]), {})
    if user_id in members:
        return None
    member = {
        "id": thread["id"],
        "user_id": str(user_id),
        "join_timestamp": iso_now(),
        "flags": 0,
    }
    members[user_id] = member
    thread["member_count"] = len(members)
    _members_update(state, thread, added=[member], removed=[])
    return member


def remove_thread_member(state: DiscordState, thread: Payload, user_id: int) -> None:
    members = state.thread_members.setdefault(int(thread["id"]), {})
    if members.pop(user_id, None) is None:
        return
    thread["member_count"] = len(members)
    _members_update(state, thread, added=[], removed=[str(user_id)])


def _members_update(
    state: DiscordState, thread: Payload, added: list[Payload], removed: list[str]
) -> None:
    event: Payload = {
        "id": thread["id"],
        "guild_id": thread["guild_id"],
        "member_count": thread["member_count"],
    }
    if added:
        event["added_members"] = added
    if removed:
        event["removed_member_ids"] = removed
    state.dispatch("THREAD_MEMBERS_UPDATE", event)
    state.notify()


def _unarchive_on_message(state: DiscordState, thread: Payload) -> None:
    meta = thread["thread_metadata"]
    if meta["archived"]:
        meta["archived"] = False
        meta["archive_timestamp"] = iso_now()
        state.dispatch("THREAD_UPDATE", thread)


def check_can_send(state: DiscordState, channel: Payload, user_id: int, files: bool) -> None:
    if channel["type"] == 1:
        return
    perms = state.member_permissions(state.guild_of(channel), user_id, channel)  # type: ignore[arg-type]
    needed = ["view_channel"]
    if channel["type"] in THREAD_TYPES:
        needed.append("send_messages_in_threads")
        meta = channel["thread_metadata"]
        if meta["locked"] and not permissions.has(perms, "manage_threads"):
            raise DiscordError(400, 50083, "Thread is archived")
        is_member = user_id in state.thread_members.get(int(channel["id"]), {})
        hidden = channel["type"] == PRIVATE_THREAD and not is_member
        if hidden and not permissions.has(perms, "manage_threads"):
            raise DiscordError(403, 50001, "Missing Access")
    else:
        needed.append("send_messages")
    if files:
        needed.append("attach_files")
    if not permissions.has(perms, *needed):
        raise DiscordError(403, 50013, "Missing Permissions")
