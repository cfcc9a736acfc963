"""INTERACTION_CREATE payloads as the Discord client would produce them.

Slash options are typed by the command the bot synced: the driver refuses what the Discord
client would refuse (unknown command or option, missing required option, a value outside
the choices or bounds) unless a test asks for `unchecked=True` to probe the bot's own checks.
"""

from __future__ import annotations

import secrets
from typing import Any

from . import permissions
from .state import DiscordState, Guild, Interaction, Payload

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
ATTACHMENT_SIZE_LIMIT = 25 * 1024 * 1024


class ClientRefused(AssertionError):
    """The Discord client would not let a person send this."""


def base_payload(
    state: DiscordState, guild: Guild, user_id: int, channel: Payload, kind: int, data: Payload
) -> Payload:
    member = guild.members[user_id]
    perms = state.member_permissions(guild, user_id, channel)
    return {
        "id": str(state.ids.next()),
        "application_id": str(state.application_id),
        "type": kind,
        "token": "itok_" + secrets.token_urlsafe(48),
        "version": 1,
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
        "channel_id": channel["id"],
        "channel": channel,
        "member": {**member, "permissions": str(perms)},
        "app_permissions": str(state.bot_permissions(channel)),
        "locale": state.user_locales.get(user_id, "en-US"),
        "guild_locale": guild.preferred_locale,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "data": data,
    }


def register(
    state: DiscordState, payload: Payload, opener: Interaction | None = None
) -> Interaction:
    record = Interaction(payload=payload, sent_at=state.now(), opener=opener)
    state.interactions[record.id] = record
    state.dispatch("INTERACTION_CREATE", payload)
    state.notify()
    return record


# -- slash commands ---------------------------------------------------------------------
def find_command(state: DiscordState, guild: Guild, path: str) -> tuple[Payload, list[str]]:
    words = path.removeprefix("/").split()
    commands = [*state.guild_commands.get(guild.id, []), *state.global_commands]
    for command in commands:
        if command["name"] == words[0] and command.get("type", 1) == 1:
            return command, words[1:]
    synced = sorted({c["name"] for c in commands})
    raise ClientRefused(f"/{words[0]} was never synced to Discord; synced commands: {synced}")


def command_data(
    state: DiscordState,
    guild: Guild,
    user_id: int,
    channel: Payload,
    path: str,
    values: dict[str, Any],
    *,
    focused: str | None = None,
    unchecked: bool = False,
) -> Payload:
    command, rest = find_command(state, guild, path)
    if not unchecked:
        _check_member_may_use(state, guild, user_id, channel, command)
    resolved: dict[str, dict[str, Any]] = {}
    options_defs = command.get("options") or []
    wrappers: list[Payload] = []
    for word in rest:
        sub = next((o for o in options_defs if o["name"] == word and o["type"] <= 2), None)
        if sub is None:
            names = [o["name"] for o in options_defs if o["type"] <= 2]
            raise ClientRefused(f"/{path}: no subcommand {word!r}; there are {names}")
        wrappers.append({"type": sub["type"], "name": sub["name"], "options": []})
        options_defs = sub.get("options") or []
    if any(o["type"] <= 2 for o in options_defs):
        names = [o["name"] for o in options_defs]
        raise ClientRefused(f"/{path} needs a subcommand: one of {names}")
    leaf = [
        _option(
            state, guild, o, values[o["name"]], resolved, o["name"] == focused, unchecked, channel
        )
        for o in options_defs
        if o["name"] in values
    ]
    unknown = set(values) - {o["name"] for o in options_defs}
    if unknown:
        raise ClientRefused(
            f"/{path} has no option {sorted(unknown)}; it has {_names(options_defs)}"
        )
    missing = [o["name"] for o in options_defs if o.get("required") and o["name"] not in values]
    if missing and not unchecked and focused is None:
        raise ClientRefused(f"/{path}: required option(s) {missing} not given")
    options = leaf
    for wrapper in reversed(wrappers):
        wrapper["options"] = options
        options = [wrapper]
    data: Payload = {"id": command["id"], "name": command["name"], "type": 1, "options": options}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def _names(options: list[Payload]) -> list[str]:
    return [o["name"] for o in options]


def _check_member_may_use(
    state: DiscordState, guild: Guild, user_id: int, channel: Payload, command: Payload
) -> None:
    needed = command.get("default_member_permissions")
    perms = state.member_permissions(guild, user_id, channel)
    if needed is not None and int(needed) & perms != int(needed):
        # Discord hides such commands from the member's client entirely.
        raise ClientRefused(f"/{command['name']} is hidden from this member (permissions)")
    if not permissions.has(perms, "use_application_commands"):
        raise ClientRefused("this member may not use application commands here")


def _option(
    state: DiscordState,
    guild: Guild,
    spec: Payload,
    value: Any,
    resolved: dict[str, dict[str, Any]],
    focused: bool,
    unchecked: bool,
    channel: Payload | None = None,
) -> Payload:
    kind = spec["type"]
    option: Payload = {"name": spec["name"], "type": kind}
    if focused:
        # While typing, Discord sends the partial input as a string.
        return {**option, "value": str(value), "focused": True}
    if kind == STRING:
        value = str(value)
        low, high = spec.get("min_length", 0), spec.get("max_length", 6000)
        if not unchecked and not low <= len(value) <= high:
            raise ClientRefused(f"{spec['name']}: length must be {low}..{high}")
    elif kind in (INTEGER, NUMBER):
        value = int(value) if kind == INTEGER else float(value)
        low, high = spec.get("min_value"), spec.get("max_value")
        if not unchecked and (
            (low is not None and value < low) or (high is not None and value > high)
        ):
            raise ClientRefused(f"{spec['name']}: value must be within {low}..{high}")
    elif kind == BOOLEAN:
        value = bool(value)
    elif kind in (USER, MENTIONABLE) and _is_user(state, guild, value):
        value = _resolve_user(state, guild, value, resolved, channel)
    elif kind in (ROLE, MENTIONABLE):
        value = _resolve_role(guild, value, resolved)
    elif kind == CHANNEL:
        value = _resolve_channel(state, guild, value, resolved)
    elif kind == ATTACHMENT:
        value = _resolve_attachment(state, value, resolved)
    choices = [c["value"] for c in spec.get("choices") or []]
    if choices and value not in choices and not unchecked:
        raise ClientRefused(f"{spec['name']}: {value!r} is not one of the choices {choices}")
    return {**option, "value": value}


def _is_user(state: DiscordState, guild: Guild, value: Any) -> bool:
    user_id = getattr(value, "id", value)
    if isinstance(user_id, str) and not user_id.isdigit():
        return any(m["user"]["username"] == user_id for m in guild.members.values())
    return int(user_id) in guild.members


def _resolve_user(
    state: DiscordState,
    guild: Guild,
    value: Any,
    resolved: dict[str, dict[str, Any]],
    channel: Payload | None = None,
) -> str:
    user_id = getattr(value, "id", value)
    if isinstance(user_id, str) and not user_id.isdigit():
        user_id = state.member_named(guild, user_id)["user"]["id"]
    member = guild.members[int(user_id)]
    resolved.setdefault("users", {})[str(user_id)] = member["user"]
    # Like the invoking member's, a resolved member's permissions are those in the channel
    # the command runs in, overwrites included.
    perms = str(state.member_permissions(guild, int(user_id), channel))
    partial = {k: v for k, v in member.items() if k != "user"}
    resolved.setdefault("members", {})[str(user_id)] = {**partial, "permissions": perms}
    return str(user_id)


def _resolve_role(guild: Guild, value: Any, resolved: dict[str, dict[str, Any]]) -> str:
    if isinstance(value, str) and not value.isdigit():
        role = guild.role_named(value)
    else:
        role = guild.roles[int(value)]
    resolved.setdefault("roles", {})[role["id"]] = role
    return str(role["id"])


def _resolve_channel(
    state: DiscordState, guild: Guild, value: Any, resolved: dict[str, dict[str, Any]]
) -> str:
    if isinstance(value, dict):
        channel = value
    elif isinstance(value, str) and not value.isdigit():
        channel = guild.channel_named(value)
    else:
        channel = state.channels[int(getattr(value, "id", value))]
    keep = ("id", "name", "type", "parent_id", "thread_metadata", "guild_id")
    partial = {k: channel[k] for k in keep if k in channel}
    partial["permissions"] = str(state.bot_permissions(channel))
    resolved.setdefault("channels", {})[channel["id"]] = partial
    return str(channel["id"])


def _resolve_attachment(
    state: DiscordState, value: Any, resolved: dict[str, dict[str, Any]]
) -> str:
    """`("form.json", b"...")` or `("form.json", b"...", "application/json")`."""
    filename, data, *rest = value
    if isinstance(data, str):
        data = data.encode()
    content_type = rest[0] if rest else _guess_type(filename)
    attachment = state.attachment_payload(filename, data, content_type)
    attachment["ephemeral"] = True
    resolved.setdefault("attachments", {})[attachment["id"]] = attachment
    return str(attachment["id"])


def _guess_type(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    known = {"json": "application/json", "txt": "text/plain", "png": "image/png"}
    known |= {"html": "text/html", "pdf": "application/pdf"}
    return known.get(suffix, "application/octet-stream")


# -- components and modals --------------------------------------------------------------
def modal_submission(
    state: DiscordState, modal: Payload, values: dict[str, Any], unchecked: bool
) -> tuple[list[Payload], dict[str, Any]]:
    """Components of a MODAL_SUBMIT for `values` keyed by input label or custom_id."""
    resolved: dict[str, Any] = {}
    used: set[str] = set()

    def value_for(label: str, item: Payload) -> tuple[bool, Any]:
        for key in (item.get("custom_id"), label):
            if key and key in values:
                used.add(key)
                return True, values[key]
        return False, None

    out: list[Payload] = []
    for top in modal.get("components") or []:
        if top.get("type") == 1:
            row = [
                _submitted(state, c.get("label", ""), c, value_for, resolved, unchecked)
                for c in top.get("components") or []
            ]
            out.append({"type": 1, "components": row})
        elif top.get("type") == 18:
            inner = _submitted(
                state, top.get("label", ""), top["component"], value_for, resolved, unchecked
            )
            out.append({"type": 18, "id": top.get("id", 0), "component": inner})
        elif top.get("type") == 10:
            out.append({"type": 10, "id": top.get("id", 0), "content": top.get("content", "")})
    unknown = set(values) - used
    if unknown:
        raise ClientRefused(f"modal {modal.get('title')!r} has no input {sorted(unknown)}")
    return out, resolved


def _submitted(
    state: DiscordState,
    label: str,
    item: Payload,
    value_for: Any,
    resolved: dict[str, Any],
    unchecked: bool,
) -> Payload:
    given, value = value_for(label, item)
    kind = item["type"]
    if not given and kind == 4 and item.get("value"):
        # The client shows a prefilled text and sends it back unless the person changes it.
        given, value = True, item["value"]
    required = item.get("required", True)
    if not given and required and kind not in (23,) and not unchecked:
        raise ClientRefused(f"modal input {label or item.get('custom_id')!r} is required")
    base = {"type": kind, "id": item.get("id", 0), "custom_id": item["custom_id"]}
    if kind == 4:
        text = "" if value is None else str(value)
        low, high = item.get("min_length", 0), item.get("max_length", 4000)
        if not unchecked and text and not low <= len(text) <= high:
            raise ClientRefused(f"modal input {label!r}: length must be {low}..{high}")
        return {**base, "value": text}
    if kind == 23:
        return {**base, "value": bool(value)}
    if kind == 21:
        return {**base, "value": value}
    if kind == 19:
        files = value or []
        ids = [_resolve_attachment(state, f, resolved) for f in files]
        return {**base, "values": ids}
    chosen = [] if value is None else ([value] if isinstance(value, str) else list(value))
    allowed = [o["value"] for o in item.get("options") or []]
    if allowed and not unchecked and any(v not in allowed for v in chosen):
        raise ClientRefused(f"modal input {label!r}: {chosen} not among {allowed}")
    return {**base, "values": chosen}
