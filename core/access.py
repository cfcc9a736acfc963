"""Who may do what (SPEC §3), decided from plain data the front end reads off Discord.

One rule for every front end (slash commands, buttons, messages typed in a ticket thread):

- **admin**: the Manage Server or Administrator permission, server-wide;
- **staff**: an admin, or a member holding the staff role or a department's role, or the
  Manage Threads permission server-wide.

"Server-wide" means from the member's roles alone. Permissions in one channel (what an
interaction reports, overwrites included) never count: a member allowed Manage Threads in
one channel is not staff.

Also here: ids an admin hands the desk (channels and roles in `/admin setup` or a form
definition) must belong to the server they are used in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from core.errors import InvalidInput
from core.models import Actor, Frozen, GuildConfig

ADMIN_PERMISSIONS = frozenset({"administrator", "manage_guild"})
STAFF_PERMISSIONS = frozenset({"manage_threads"})


def member_actor(
    *,
    user_id: int,
    guild_id: int,
    role_ids: Iterable[int],
    server_permissions: Collection[str],
    config: GuildConfig,
) -> Actor:
    """The acting member's standing.

    `role_ids` are the roles the member holds now (a deleted role is no longer held, so it
    stops counting by itself); `server_permissions` names the permission flags their roles
    grant server-wide, e.g. {"manage_threads", "send_messages"}.
    """
    granted = set(server_permissions)
    is_admin = bool(granted & ADMIN_PERMISSIONS)
    is_staff = (
        is_admin
        or bool(granted & STAFF_PERMISSIONS)
        or bool(set(role_ids) & config.staff_role_ids())
    )
    return Actor(user_id=user_id, guild_id=guild_id, is_staff=is_staff, is_admin=is_admin)


class ServerIds(Frozen):
    """The channels (threads included) and roles of one server, as the front end sees them."""

    guild_id: int
    channel_ids: frozenset[int] = frozenset()
    role_ids: frozenset[int] = frozenset()

    def has_channel(self, channel_id: int) -> bool:
        return channel_id in self.channel_ids

    def has_role(self, role_id: int) -> bool:
        # The @everyone role's id is the server's own id.
        return role_id == self.guild_id or role_id in self.role_ids


NOT_A_CHANNEL = "is not a channel of this server; use the id of one of this server's channels"
NOT_A_ROLE = "is not a role of this server; use the id of one of this server's roles"


def foreign_ids(
    server: ServerIds,
    *,
    channels: dict[str, int | None] | None = None,
    roles: dict[str, int | None] | None = None,
) -> list[tuple[str, str]]:
    """(field, rule) for every given channel or role id that is not `server`'s."""
    problems = [
        (field, NOT_A_CHANNEL)
        for field, value in (channels or {}).items()
        if value is not None and not server.has_channel(value)
    ]
    problems += [
        (field, NOT_A_ROLE)
        for field, value in (roles or {}).items()
        if value is not None and not server.has_role(value)
    ]
    return problems


def require_own_ids(
    server: ServerIds,
    *,
    channels: dict[str, int | None] | None = None,
    roles: dict[str, int | None] | None = None,
) -> None:
    """Refuse, naming the field, any channel or role id from another server."""
    problems = foreign_ids(server, channels=channels, roles=roles)
    if problems:
        field, rule = problems[0]
        raise InvalidInput(field, rule)
