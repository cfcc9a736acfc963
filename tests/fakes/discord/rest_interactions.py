"""REST: interaction callbacks and the interaction webhook (followups, @original edits).

Strict like Discord: one callback per interaction (40060), within the deadline (10062), the
callback type must fit the interaction type, and tokens expire after 15 minutes (50027).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import limits
from .errors import DiscordError, unknown_interaction, unknown_message, unknown_webhook
from .keys import STATE, request_body, request_files
from .messages import create_message, edit_message
from .state import EPHEMERAL, LOADING, DiscordState, Interaction, Payload

# Which callback types Discord accepts for each interaction type.
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
TOKEN_LIFETIME = 15 * 60


def _state(request: web.Request) -> DiscordState:
    return request.app[STATE]


def _json(data: Any, status: int = 200) -> web.Response:
    from .server import json_response

    return json_response(data, status)


def metadata(state: DiscordState, interaction: Interaction) -> Payload:
    payload = interaction.payload
    holder = payload.get("member") or payload
    meta: Payload = {
        "id": payload["id"],
        "type": payload["type"],
        "user": holder["user"],
        "authorizing_integration_owners": payload.get("authorizing_integration_owners", {}),
    }
    if payload["type"] == 2:
        meta["name"] = payload["data"]["name"]
        meta["command_type"] = 1
    if payload["type"] == 3:
        meta["interacted_message_id"] = payload["message"]["id"]
    if payload["type"] == 5 and interaction.opener is not None:
        meta["triggering_interaction_metadata"] = metadata(state, interaction.opener)
    return meta


async def callback(request: web.Request) -> web.Response:
    state = _state(request)
    interaction = state.interactions.get(int(request.match_info["interaction_id"]))
    if interaction is None or interaction.token != request.match_info["token"]:
        raise unknown_interaction()
    if interaction.callback_type is not None:
        interaction.errors.append("40060 second callback")
        raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
    if state.now() - interaction.sent_at > state.interaction_deadline:
        interaction.errors.append("10062 callback after the deadline")
        raise unknown_interaction()
    body: Payload = request_body(request) or {}
    kind = int(body.get("type") or 0)
    data: Payload = body.get("data") or {}
    if kind not in ALLOWED_CALLBACKS.get(interaction.type, set()):
        message = f"callback type {kind} is not valid for interaction type {interaction.type}"
        interaction.errors.append(message)
        raise DiscordError(
            400,
            50035,
            "Invalid Form Body",
            errors={
                "type": {
                    "_errors": [{"code": "INTERACTION_RESPONSE_TYPE_INVALID", "message": message}]
                }
            },
        )
    resource = _respond(state, interaction, kind, data, request_files(request))
    interaction.callback_type = kind
    interaction.callback_data = data
    state.notify()
    if request.query.get("with_response") not in ("1", "true", "True"):
        return web.Response(status=204)
    original = state.messages_by_id.get(interaction.original_id or 0)
    summary: Payload = {"id": str(interaction.id), "type": interaction.type}
    if original is not None and kind in (4, 5):
        summary["response_message_id"] = original["id"]
        summary["response_message_loading"] = kind == 5
        summary["response_message_ephemeral"] = bool(original["flags"] & EPHEMERAL)
    result: Payload = {"interaction": summary}
    if resource is not None:
        result["resource"] = resource
    return _json(result)


def _respond(
    state: DiscordState,
    interaction: Interaction,
    kind: int,
    data: Payload,
    files: list[tuple[str, bytes, str]],
) -> Payload | None:
    channel = state.channels[int(interaction.payload["channel_id"])]
    meta = metadata(state, interaction)
    bot = state.application_id
    if kind == 4:
        limits.check_message(data, has_files=bool(files))
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        message_type = 20 if interaction.type == 2 else 0
        message = create_message(
            state, channel, bot, data, files, ephemeral=ephemeral,
            message_type=message_type, interaction=meta,
        )  # fmt: skip
        interaction.original_id = int(message["id"])
        return {"type": 4, "message": message}
    if kind == 5:
        flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
        message = create_message(
            state, channel, bot, {"flags": flags}, ephemeral=bool(flags & EPHEMERAL),
            message_type=20 if interaction.type == 2 else 0, interaction=meta,
        )  # fmt: skip
        interaction.original_id = int(message["id"])
        return None
    if kind in (6, 7):
        target = interaction.payload.get("message")
        if target is None:
            raise DiscordError(400, 50035, "Invalid Form Body")  # modal not opened from a message
        interaction.original_id = int(target["id"])
        if kind == 7:
            limits.check_message(data, editing=True)
            stored = state.messages_by_id[int(target["id"])]
            return {"type": 7, "message": edit_message(state, stored, data, files)}
        return None
    if kind == 8:
        limits.check_choices(data)
        return None
    limits.check_modal(data)  # kind == 9
    return None


# -- the interaction webhook ------------------------------------------------------------
def _interaction_for(request: web.Request) -> Interaction:
    state = _state(request)
    token = request.match_info["token"]
    if request.match_info["application_id"] != str(state.application_id):
        raise unknown_webhook()
    found = next((i for i in state.interactions.values() if i.token == token), None)
    if found is None or found.callback_type is None:
        raise unknown_webhook()
    if state.now() - found.sent_at > TOKEN_LIFETIME:
        raise DiscordError(401, 50027, "Invalid Webhook Token")
    return found


def _webhook_message(request: web.Request, interaction: Interaction) -> Payload:
    state = _state(request)
    raw = request.match_info["message_id"]
    message_id = interaction.original_id if raw == "@original" else int(raw)
    allowed = {interaction.original_id, *interaction.followup_ids}
    if message_id is None or message_id not in allowed or message_id not in state.messages_by_id:
        raise unknown_message()
    return state.messages_by_id[message_id]


async def post_followup(request: web.Request) -> web.Response:
    state = _state(request)
    interaction = _interaction_for(request)
    body: Payload = request_body(request) or {}
    files = request_files(request)
    limits.check_message(body, has_files=bool(files))
    original = state.messages_by_id.get(interaction.original_id or 0)
    if original is not None and original["flags"] & LOADING:
        # The first followup after a deferral replaces the "thinking..." message.
        message = edit_message(state, original, {**body, "flags": original["flags"]}, files)
    else:
        channel = state.channels[int(interaction.payload["channel_id"])]
        ephemeral = bool(int(body.get("flags") or 0) & EPHEMERAL)
        message = create_message(
            state, channel, state.application_id, body, files, ephemeral=ephemeral,
            interaction=metadata(state, interaction),
        )  # fmt: skip
        interaction.followup_ids.append(int(message["id"]))
    state.notify()
    if request.query.get("wait") in ("1", "true", "True"):
        return _json(message)
    return web.Response(status=204)


async def get_webhook_message(request: web.Request) -> web.Response:
    return _json(_webhook_message(request, _interaction_for(request)))


async def patch_webhook_message(request: web.Request) -> web.Response:
    state = _state(request)
    message = _webhook_message(request, _interaction_for(request))
    body: Payload = request_body(request) or {}
    limits.check_message(body, editing=True)
    body.pop("flags", None)  # an edit cannot change ephemerality
    _interaction_for(request).edits += 1
    return _json(edit_message(state, message, body, request_files(request)))


async def delete_webhook_message(request: web.Request) -> web.Response:
    state = _state(request)
    message = _webhook_message(request, _interaction_for(request))
    channel_messages = state.messages.get(int(message["channel_id"]), [])
    if message in channel_messages:
        channel_messages.remove(message)
        event = {"id": message["id"], "channel_id": message["channel_id"]}
        state.dispatch("MESSAGE_DELETE", event | {"guild_id": message.get("guild_id")})
    state.messages_by_id.pop(int(message["id"]), None)
    state.notify()
    return web.Response(status=204)


def register(router: web.UrlDispatcher, api: str) -> None:
    hook = "/webhooks/{application_id}/{token}"
    routes = [
        ("POST", "/interactions/{interaction_id}/{token}/callback", callback),
        ("POST", hook, post_followup),
        ("GET", f"{hook}/messages/{{message_id}}", get_webhook_message),
        ("PATCH", f"{hook}/messages/{{message_id}}", patch_webhook_message),
        ("DELETE", f"{hook}/messages/{{message_id}}", delete_webhook_message),
    ]
    for method, path, handler in routes:
        router.add_route(method, api + path, handler)
