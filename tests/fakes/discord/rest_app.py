"""REST: the bot's identity, application commands, guilds, members, roles and DM channels."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from . import permissions
from .application import check_commands_scope
from .errors import DiscordError, FormErrors, missing_permissions
from .keys import BEARER, STATE, request_body
from .locales import check_localizations
from .shards import gateway_bot
from .state import DiscordState, Guild, Payload

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


def _state(request: web.Request) -> DiscordState:
    return request.app[STATE]


def _json(data: Any, status: int = 200) -> web.Response:
    from .server import json_response

    return json_response(data, status)


def _guild(request: web.Request) -> Guild:
    guild = _state(request).guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        raise DiscordError(404, 10004, "Unknown Guild")
    return guild


async def get_me(request: web.Request) -> web.Response:
    if (user := request.get(BEARER)) is not None:  # a member's OAuth2 token: that member
        # A test may give a member a language, or none ("locale": None); else en-US.
        answer = {"locale": "en-US", **user, "mfa_enabled": False}
        return _json({k: v for k, v in answer.items() if k != "locale" or v is not None})
    me = {**_state(request).bot_user, "mfa_enabled": True, "locale": "en-US", "verified": True}
    return _json(me)


async def get_user(request: web.Request) -> web.Response:
    user = _state(request).users.get(int(request.match_info["user_id"]))
    if user is None:
        raise DiscordError(404, 10013, "Unknown User")
    return _json(user)


async def get_application(request: web.Request) -> web.Response:
    state = _state(request)
    return _json(
        {
            "id": str(state.application_id),
            "name": state.bot_user["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            # The owner of the first server built: the bot may be in no server at all.
            "owner": state.users[next(iter(state.guilds.values())).owner_id],
            "team": None,
            "bot": state.bot_user,
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "flags_new": "0",
            "role_connections_verification_url": None,
            "approximate_guild_count": len(state.bot_guild_ids),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
        }
    )


async def get_gateway_bot(request: web.Request) -> web.Response:
    return _json(gateway_bot(request.app[STATE]))  # shards.py: shard count, identify budget


# -- application commands ---------------------------------------------------------------
def _check_commands(commands: list[Payload]) -> None:
    errors = FormErrors()
    names = set()
    for i, command in enumerate(commands):
        name = command.get("name", "")
        if not COMMAND_NAME.match(name) or name != name.lower():
            errors.add(f"{i}.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        key = (name, command.get("type", 1))
        if key in names:
            errors.add(f"{i}.name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Duplicate name")
        names.add(key)
        if command.get("type", 1) == 1:
            description = command.get("description") or ""
            if not 1 <= len(description) <= 100:
                errors.add(f"{i}.description", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long.")
            _check_options(errors, f"{i}.options", command.get("options") or [])
        check_localizations(errors, str(i), command)
    if len(commands) > 100:
        errors.add("_", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
    errors.raise_if_any()


def _check_options(errors: FormErrors, path: str, options: list[Payload]) -> None:
    if len(options) > 25:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen_optional = False
    for j, option in enumerate(options):
        here = f"{path}.{j}"
        name = option.get("name", "")
        if not COMMAND_NAME.match(name) or name != name.lower():
            errors.add(f"{here}.name", "APPLICATION_COMMAND_INVALID_NAME", "Invalid name")
        if not 1 <= len(option.get("description") or "") <= 100:
            errors.add(f"{here}.description", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long.")
        if len(option.get("choices") or []) > 25:
            errors.add(f"{here}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
        if option.get("type") in (1, 2):
            _check_options(errors, f"{here}.options", option.get("options") or [])
            continue
        if option.get("required") and seen_optional:
            errors.add(here, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required first")
        seen_optional = seen_optional or not option.get("required")


def _stored_commands(state: DiscordState, commands: list[Payload], guild_id: int | None) -> list:
    stored = []
    for command in commands:
        item = {
            "id": str(state.ids.next()),
            "application_id": str(state.application_id),
            "version": str(state.ids.next()),
            "type": command.get("type", 1),
            "name": command["name"],
            "description": command.get("description", ""),
            "options": command.get("options") or [],
            "default_member_permissions": command.get("default_member_permissions"),
            "nsfw": bool(command.get("nsfw")),
            "contexts": command.get("contexts"),
            "integration_types": command.get("integration_types") or [0],
        }
        if guild_id is not None:
            item["guild_id"] = str(guild_id)
        for key in ("name_localizations", "description_localizations"):
            if command.get(key):
                item[key] = command[key]
        stored.append(item)
    return stored


async def put_global_commands(request: web.Request) -> web.Response:
    state = _state(request)
    _check_commands(request_body(request) or [])
    state.global_commands = _stored_commands(state, request_body(request) or [], None)
    state.command_syncs += 1
    state.notify()
    return _json(state.global_commands)


async def get_global_commands(request: web.Request) -> web.Response:
    return _json(_state(request).global_commands)


async def put_guild_commands(request: web.Request) -> web.Response:
    state = _state(request)
    guild = _guild(request)
    check_commands_scope(state, guild.id)
    _check_commands(request_body(request) or [])
    state.guild_commands[guild.id] = _stored_commands(state, request_body(request) or [], guild.id)
    state.command_syncs += 1
    state.notify()
    return _json(state.guild_commands[guild.id])


async def get_guild_commands(request: web.Request) -> web.Response:
    check_commands_scope(_state(request), _guild(request).id)
    return _json(_state(request).guild_commands.get(_guild(request).id, []))


# -- guilds, members, roles -------------------------------------------------------------
async def get_guild(request: web.Request) -> web.Response:
    payload = _guild(request).payload()
    keep = ("id", "name", "owner_id", "icon", "features", "roles", "preferred_locale")
    return _json({k: payload[k] for k in keep} | {"emojis": [], "stickers": []})


async def get_guild_channels(request: web.Request) -> web.Response:
    return _json(_guild(request).payload()["channels"])


async def get_guild_roles(request: web.Request) -> web.Response:
    return _json(list(_guild(request).roles.values()))


async def get_active_threads(request: web.Request) -> web.Response:
    state = _state(request)
    guild = _guild(request)
    threads = [c for c in guild.payload()["threads"] if not c["thread_metadata"]["archived"]]
    members = [
        m
        for t in threads
        for uid, m in state.thread_members.get(int(t["id"]), {}).items()
        if uid == state.application_id
    ]
    return _json({"threads": threads, "members": members})


async def get_member(request: web.Request) -> web.Response:
    member = _guild(request).members.get(int(request.match_info["user_id"]))
    if member is None:
        raise DiscordError(404, 10007, "Unknown Member")
    return _json(member)


async def _change_role(request: web.Request, add: bool) -> web.Response:
    state = _state(request)
    guild = _guild(request)
    member = guild.members.get(int(request.match_info["user_id"]))
    role = guild.roles.get(int(request.match_info["role_id"]))
    if member is None:
        raise DiscordError(404, 10007, "Unknown Member")
    if role is None:
        raise DiscordError(404, 10011, "Unknown Role")
    bot_perms = permissions.compute(guild, state.application_id, None)
    bot_member = guild.members[state.application_id]
    top = max((guild.roles[int(r)]["position"] for r in bot_member["roles"]), default=0)
    if not permissions.has(bot_perms, "manage_roles") or role["position"] >= top:
        raise missing_permissions()
    roles = [r for r in member["roles"] if r != role["id"]]
    member["roles"] = [*roles, role["id"]] if add else roles
    state.dispatch("GUILD_MEMBER_UPDATE", {"guild_id": str(guild.id), **member})
    state.notify()
    return web.Response(status=204)


async def put_member_role(request: web.Request) -> web.Response:
    return await _change_role(request, add=True)


async def delete_member_role(request: web.Request) -> web.Response:
    return await _change_role(request, add=False)


# -- DMs --------------------------------------------------------------------------------
async def create_dm(request: web.Request) -> web.Response:
    state = _state(request)
    recipient_id = int((request_body(request) or {}).get("recipient_id") or 0)
    user = state.users.get(recipient_id)
    if user is None:
        raise DiscordError(400, 50035, "Invalid Form Body")
    channel_id = state.dm_channels.get(recipient_id)
    if channel_id is None:
        channel_id = state.ids.next()
        state.channels[channel_id] = {
            "id": str(channel_id),
            "type": 1,
            "last_message_id": None,
            "recipients": [user],
            "flags": 0,
        }
        state.messages[channel_id] = []
        state.dm_channels[recipient_id] = channel_id
    return _json(state.channels[channel_id])


def register(router: web.UrlDispatcher, api: str) -> None:
    app_id = "/applications/{application_id}"
    routes = [
        ("GET", "/users/@me", get_me),
        ("GET", "/users/{user_id}", get_user),
        ("POST", "/users/@me/channels", create_dm),
        ("GET", "/oauth2/applications/@me", get_application),
        ("GET", "/applications/@me", get_application),
        ("GET", "/gateway/bot", get_gateway_bot),
        ("PUT", f"{app_id}/commands", put_global_commands),
        ("GET", f"{app_id}/commands", get_global_commands),
        ("PUT", f"{app_id}/guilds/{{guild_id}}/commands", put_guild_commands),
        ("GET", f"{app_id}/guilds/{{guild_id}}/commands", get_guild_commands),
        ("GET", "/guilds/{guild_id}", get_guild),
        ("GET", "/guilds/{guild_id}/channels", get_guild_channels),
        ("GET", "/guilds/{guild_id}/roles", get_guild_roles),
        ("GET", "/guilds/{guild_id}/threads/active", get_active_threads),
        ("GET", "/guilds/{guild_id}/members/{user_id}", get_member),
        ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", put_member_role),
        ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", delete_member_role),
    ]
    for method, path, handler in routes:
        router.add_route(method, api + path, handler)
