"""REST: channels, private threads, thread members, messages, history, typing, pins."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import limits, permissions
from .errors import DiscordError, missing_permissions, unknown_channel, unknown_message
from .ids import iso_now
from .keys import STATE, request_body, request_files
from .messages import (
    add_thread_member,
    check_can_send,
    create_message,
    edit_message,
    remove_thread_member,
)
from .state import PRIVATE_THREAD, PUBLIC_THREAD, TEXT, THREAD_TYPES, DiscordState, Payload

RENAMES_PER_WINDOW, RENAME_WINDOW = 2, 600.0


def _state(request: web.Request) -> DiscordState:
    return request.app[STATE]


def _json(data: Any, status: int = 200) -> web.Response:
    from .server import json_response

    return json_response(data, status)


def _channel(request: web.Request) -> Payload:
    state = _state(request)
    channel = state.channels.get(int(request.match_info["channel_id"]))
    if channel is None:
        raise unknown_channel()
    if channel["type"] != 1:
        perms = state.bot_permissions(channel)
        if not permissions.has(perms, "view_channel"):
            raise DiscordError(403, 50001, "Missing Access")
    return channel


def _message(request: web.Request, channel: Payload) -> Payload:
    message = _state(request).messages_by_id.get(int(request.match_info["message_id"]))
    if message is None or message["channel_id"] != channel["id"] or message["flags"] & 64:
        raise unknown_message()
    return message


def _with_bot_member(state: DiscordState, thread: Payload) -> Payload:
    member = state.thread_members.get(int(thread["id"]), {}).get(state.application_id)
    return {**thread, "member": member} if member else thread


# -- channels and threads ---------------------------------------------------------------
async def get_channel(request: web.Request) -> web.Response:
    state = _state(request)
    return _json(_with_bot_member(state, _channel(request)))


async def patch_channel(request: web.Request) -> web.Response:
    state = _state(request)
    channel = _channel(request)
    body: Payload = request_body(request) or {}
    perms = state.bot_permissions(channel)
    if channel["type"] in THREAD_TYPES:
        _patch_thread(state, channel, body, perms)
        state.dispatch("THREAD_UPDATE", channel)
    else:
        if not permissions.has(perms, "manage_channels"):
            raise missing_permissions()
        for key in ("name", "topic", "permission_overwrites", "rate_limit_per_user", "nsfw"):
            if key in body:
                channel[key] = body[key]
        state.dispatch("CHANNEL_UPDATE", channel)
    state.notify()
    return _json(_with_bot_member(state, channel))


def _patch_thread(state: DiscordState, thread: Payload, body: Payload, perms: int) -> None:
    meta = thread["thread_metadata"]
    is_owner = thread["owner_id"] == str(state.application_id)
    manage = permissions.has(perms, "manage_threads")
    if meta["locked"] and not manage:
        raise DiscordError(400, 50083, "Thread is archived")
    status_keys = {"archived", "locked"}
    if meta["archived"] and body.get("archived") is not False and set(body) - status_keys:
        raise DiscordError(400, 50083, "Thread is archived")
    if ("locked" in body or "invitable" in body) and not manage:
        raise missing_permissions()
    if "name" in body and body["name"] != thread["name"]:
        if not (manage or is_owner):
            raise missing_permissions()
        _count_rename(state, thread)
        thread["name"] = body["name"]
    for key in ("archived", "locked", "invitable", "auto_archive_duration"):
        if key in body and body[key] is not None:
            meta[key] = body[key]
    if "archived" in body:
        meta["archive_timestamp"] = iso_now()
    if "rate_limit_per_user" in body:
        thread["rate_limit_per_user"] = body["rate_limit_per_user"]


def _count_rename(state: DiscordState, channel: Payload) -> None:
    now = state.now()
    recent = [t for t in state.renames.get(int(channel["id"]), []) if now - t < RENAME_WINDOW]
    if len(recent) >= RENAMES_PER_WINDOW:
        retry_after = RENAME_WINDOW - (now - recent[0])
        # Discord would make discord.py sleep for minutes; fail the test instead of hanging it.
        state.violations.append(
            f"channel {channel['id']} renamed more than {RENAMES_PER_WINDOW} times in 10 minutes"
        )
        raise DiscordError(
            429,
            0,
            "You are being rate limited.",
            headers={"Via": "1.1 google"},
            extra={"retry_after": min(retry_after, 0.5), "global": False},
        )
    state.renames[int(channel["id"])] = [*recent, now]


async def create_thread(request: web.Request) -> web.Response:
    state = _state(request)
    parent = _channel(request)
    body: Payload = request_body(request) or {}
    kind = int(body.get("type") or PRIVATE_THREAD)
    if parent["type"] != TEXT:
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    needed = "create_private_threads" if kind == PRIVATE_THREAD else "create_public_threads"
    if not permissions.has(state.bot_permissions(parent), "view_channel", needed):
        raise missing_permissions()
    name = body.get("name") or ""
    if not 1 <= len(name) <= 100:
        raise DiscordError(400, 50035, "Invalid Form Body", errors={"name": _bad_length(1, 100)})
    guild = state.guild_of(parent)
    assert guild is not None
    active = [c for c in guild.channels.values() if c["type"] in THREAD_TYPES]
    if sum(not c["thread_metadata"]["archived"] for c in active) >= state.max_active_threads:
        raise DiscordError(400, 160006, "Maximum number of active threads reached")
    thread = _new_thread(state, parent, name, kind, body)
    member = add_thread_member(state, thread, state.application_id)
    state.dispatch("THREAD_CREATE", {**thread, "newly_created": True, "member": member})
    state.notify()
    return _json(_with_bot_member(state, thread), 201)


def _new_thread(
    state: DiscordState, parent: Payload, name: str, kind: int, body: Payload
) -> Payload:
    thread_id = state.ids.next()
    thread = {
        "id": str(thread_id),
        "type": kind,
        "guild_id": parent["guild_id"],
        "parent_id": parent["id"],
        "owner_id": str(state.application_id),
        "name": name,
        "last_message_id": None,
        "message_count": 0,
        "member_count": 0,
        "total_message_sent": 0,
        "rate_limit_per_user": int(body.get("rate_limit_per_user") or 0),
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": int(body.get("auto_archive_duration") or 4320),
            "archive_timestamp": iso_now(),
            "locked": False,
            "invitable": bool(body.get("invitable", True)) if kind == PRIVATE_THREAD else True,
            "create_timestamp": iso_now(),
        },
    }
    guild = state.guild_of(parent)
    assert guild is not None
    guild.channels[thread_id] = thread
    state.channels[thread_id] = thread
    state.messages[thread_id] = []
    state.thread_members[thread_id] = {}
    return thread


def _bad_length(low: int, high: int) -> Payload:
    message = f"Must be between {low} and {high} in length."
    return {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": message}]}


async def create_thread_from_message(request: web.Request) -> web.Response:
    state = _state(request)
    parent = _channel(request)
    message = _message(request, parent)
    if not permissions.has(state.bot_permissions(parent), "create_public_threads"):
        raise missing_permissions()
    body = request_body(request) or {}
    thread = _new_thread(state, parent, body.get("name") or "thread", PUBLIC_THREAD, body)
    thread["id"] = message["id"]  # Discord reuses the starter message id
    state.channels[int(message["id"])] = thread
    member = add_thread_member(state, thread, state.application_id)
    state.dispatch("THREAD_CREATE", {**thread, "newly_created": True, "member": member})
    return _json(_with_bot_member(state, thread), 201)


async def archived_threads(request: web.Request) -> web.Response:
    state = _state(request)
    parent = _channel(request)
    private = request.path.endswith("/private")
    kind = PRIVATE_THREAD if private else PUBLIC_THREAD
    guild = state.guild_of(parent)
    assert guild is not None
    threads = [
        c
        for c in guild.channels.values()
        if c["type"] == kind and c.get("parent_id") == parent["id"]
        if c["thread_metadata"]["archived"]
    ]
    threads.sort(key=lambda c: c["thread_metadata"]["archive_timestamp"], reverse=True)
    limit = int(request.query.get("limit") or 50)
    members = [
        m
        for t in threads[:limit]
        for uid, m in state.thread_members.get(int(t["id"]), {}).items()
        if uid == state.application_id
    ]
    return _json({"threads": threads[:limit], "members": members, "has_more": len(threads) > limit})


# -- thread members ---------------------------------------------------------------------
def _thread(request: web.Request) -> Payload:
    thread = _channel(request)
    if thread["type"] not in THREAD_TYPES:
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    return thread


def _target_user(request: web.Request) -> int:
    raw = request.match_info.get("user_id", "@me")
    return _state(request).application_id if raw == "@me" else int(raw)


async def put_thread_member(request: web.Request) -> web.Response:
    state = _state(request)
    thread = _thread(request)
    user_id = _target_user(request)
    if thread["thread_metadata"]["archived"]:
        raise DiscordError(400, 50083, "Thread is archived")
    guild = state.guild_of(thread)
    assert guild is not None
    if user_id not in guild.members:
        raise DiscordError(404, 10007, "Unknown Member")
    if user_id != state.application_id:
        perms = state.bot_permissions(thread)
        if not permissions.has(perms, "send_messages_in_threads"):
            raise missing_permissions()
        if not permissions.has(state.member_permissions(guild, user_id, thread), "view_channel"):
            raise DiscordError(403, 50001, "Missing Access")
    add_thread_member(state, thread, user_id)
    return web.Response(status=204)


async def delete_thread_member(request: web.Request) -> web.Response:
    state = _state(request)
    thread = _thread(request)
    user_id = _target_user(request)
    if user_id != state.application_id and not permissions.has(
        state.bot_permissions(thread), "manage_threads"
    ):
        raise missing_permissions()
    remove_thread_member(state, thread, user_id)
    return web.Response(status=204)


async def get_thread_member(request: web.Request) -> web.Response:
    state = _state(request)
    thread = _thread(request)
    member = state.thread_members.get(int(thread["id"]), {}).get(_target_user(request))
    if member is None:
        raise DiscordError(404, 10033, "Unknown Thread Member")
    return _json(member)


async def list_thread_members(request: web.Request) -> web.Response:
    state = _state(request)
    thread = _thread(request)
    return _json(list(state.thread_members.get(int(thread["id"]), {}).values()))


# -- messages ---------------------------------------------------------------------------
async def post_message(request: web.Request) -> web.Response:
    state = _state(request)
    channel = _channel(request)
    body: Payload = request_body(request) or {}
    files = request_files(request)
    if channel["type"] == 1:
        recipient = int(channel["recipients"][0]["id"])
        if recipient in state.closed_dms:
            raise DiscordError(403, 50007, "Cannot send messages to this user")
    check_can_send(state, channel, state.application_id, bool(files))
    limits.check_message(body, has_files=bool(files))
    reference = body.get("message_reference")
    dangling = reference and int(reference.get("message_id") or 0) not in state.messages_by_id
    if dangling and reference.get("fail_if_not_exists", True):
        errors = {"message_reference": {"_errors": [{"code": "MESSAGE_REFERENCE_UNKNOWN"}]}}
        raise DiscordError(400, 50035, "Invalid Form Body", errors=errors)
    message_type = 19 if reference else 0
    return _json(
        create_message(state, channel, state.application_id, body, files, message_type=message_type)
    )


async def get_messages(request: web.Request) -> web.Response:
    state = _state(request)
    channel = _channel(request)
    if channel["type"] != 1 and not permissions.has(
        state.bot_permissions(channel), "read_message_history"
    ):
        return _json([])
    limit = int(request.query.get("limit") or 50)
    if not 1 <= limit <= 100:
        raise DiscordError(400, 50035, "Invalid Form Body")
    messages = state.public_messages(int(channel["id"]))
    if before := request.query.get("before"):
        picked = [m for m in messages if int(m["id"]) < int(before)][-limit:]
    elif after := request.query.get("after"):
        picked = [m for m in messages if int(m["id"]) > int(after)][:limit]
    elif around := request.query.get("around"):
        older = [m for m in messages if int(m["id"]) < int(around)]
        newer = [m for m in messages if int(m["id"]) >= int(around)]
        picked = older[-(limit // 2) :] + newer[: limit - limit // 2] if limit > 1 else newer[:1]
    else:
        picked = messages[-limit:]
    return _json(list(reversed(picked)))  # Discord returns newest first


async def get_message(request: web.Request) -> web.Response:
    channel = _channel(request)
    return _json(_message(request, channel))


async def patch_message(request: web.Request) -> web.Response:
    state = _state(request)
    channel = _channel(request)
    message = _message(request, channel)
    if message["author"]["id"] != str(state.application_id):
        raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
    body: Payload = request_body(request) or {}
    limits.check_message(body, editing=True)
    return _json(edit_message(state, message, body, request_files(request)))


async def delete_message(request: web.Request) -> web.Response:
    state = _state(request)
    channel = _channel(request)
    message = _message(request, channel)
    own = message["author"]["id"] == str(state.application_id)
    if not own and not permissions.has(state.bot_permissions(channel), "manage_messages"):
        raise missing_permissions()
    state.messages[int(channel["id"])].remove(message)
    event = {"id": message["id"], "channel_id": channel["id"]}
    if channel.get("guild_id"):
        event["guild_id"] = channel["guild_id"]
    state.dispatch("MESSAGE_DELETE", event)
    state.notify()
    return web.Response(status=204)


async def typing(request: web.Request) -> web.Response:
    _channel(request)
    return web.Response(status=204)


async def no_content(request: web.Request) -> web.Response:
    """Pins and reactions: accepted and otherwise ignored."""
    channel = _channel(request)
    _message(request, channel)
    return web.Response(status=204)


async def put_overwrite(request: web.Request) -> web.Response:
    state = _state(request)
    channel = _channel(request)
    if not permissions.has(state.bot_permissions(channel), "manage_roles"):
        raise missing_permissions()
    body = request_body(request) or {}
    target = request.match_info["overwrite_id"]
    overwrites = [o for o in channel["permission_overwrites"] if o["id"] != target]
    overwrites.append(
        {
            "id": target,
            "type": int(body.get("type") or 0),
            "allow": str(body.get("allow") or 0),
            "deny": str(body.get("deny") or 0),
        }
    )
    channel["permission_overwrites"] = overwrites
    state.dispatch("CHANNEL_UPDATE", channel)
    return web.Response(status=204)


def register(router: web.UrlDispatcher, api: str) -> None:
    ch = "/channels/{channel_id}"
    msg = f"{ch}/messages/{{message_id}}"
    routes = [
        ("GET", ch, get_channel),
        ("PATCH", ch, patch_channel),
        ("POST", f"{ch}/threads", create_thread),
        ("POST", f"{msg}/threads", create_thread_from_message),
        ("GET", f"{ch}/threads/archived/private", archived_threads),
        ("GET", f"{ch}/threads/archived/public", archived_threads),
        ("PUT", f"{ch}/thread-members/@me", put_thread_member),
        ("DELETE", f"{ch}/thread-members/@me", delete_thread_member),
        ("GET", f"{ch}/thread-members", list_thread_members),
        ("PUT", f"{ch}/thread-members/{{user_id}}", put_thread_member),
        ("DELETE", f"{ch}/thread-members/{{user_id}}", delete_thread_member),
        ("GET", f"{ch}/thread-members/{{user_id}}", get_thread_member),
        ("POST", f"{ch}/messages", post_message),
        ("GET", f"{ch}/messages", get_messages),
        ("GET", msg, get_message),
        ("PATCH", msg, patch_message),
        ("DELETE", msg, delete_message),
        ("POST", f"{ch}/typing", typing),
        ("PUT", f"{ch}/pins/{{message_id}}", no_content),
        ("PUT", f"{msg}/reactions/{{emoji}}/@me", no_content),
        ("PUT", f"{ch}/permissions/{{overwrite_id}}", put_overwrite),
    ]
    for method, path, handler in routes:
        router.add_route(method, api + path, handler)
