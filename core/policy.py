"""Who may do what (SPEC §3): the one place that decides staff, admin and the system actor.

One rule for every front end (slash commands, buttons, messages typed in a ticket thread,
and later the HTTP API):

- **admin**: the Manage Server or Administrator permission, server-wide;
- **staff**: an admin, or a member holding the staff role or a department's role, or the
  Manage Threads permission server-wide;
- **system**: the desk acting by itself (the inactivity sweep, a ticket whose thread was
  deleted): staff powers in one server, and no person behind it.

"Server-wide" means from the member's roles alone. Permissions in one channel (what an
interaction reports, overwrites included) never count: a member allowed Manage Threads in
one channel is not staff. Front ends read roles and permissions off their platform and
hand them to `member_actor`; services only ever ask `is_staff` / `is_admin` (or the
`require_*` guards, which refuse with a code the front end words).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from core.errors import Forbidden
from core.models import Actor, GuildConfig

ADMIN_PERMISSIONS = frozenset({"administrator", "manage_guild"})
STAFF_PERMISSIONS = frozenset({"manage_threads"})

# No Discord user has id 0: replies and closes by the desk itself are told apart by it.
SYSTEM_USER_ID = 0


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
    roles = frozenset(role_ids)
    admin = bool(granted & ADMIN_PERMISSIONS)
    staff = admin or bool(granted & STAFF_PERMISSIONS) or bool(roles & config.staff_role_ids())
    return Actor(user_id=user_id, guild_id=guild_id, is_staff=staff, is_admin=admin, role_ids=roles)


def system_actor(guild_id: int) -> Actor:
    """The desk itself, acting in `guild_id` with staff powers (never admin powers)."""
    return Actor(user_id=SYSTEM_USER_ID, guild_id=guild_id, is_staff=True)


def is_staff(actor: Actor) -> bool:
    """Staff powers; an admin counts as staff (SPEC §3)."""
    return actor.is_staff or actor.is_admin


def is_admin(actor: Actor) -> bool:
    return actor.is_admin


def require_staff(actor: Actor, code: str) -> None:
    """Refuse a non-staff actor; `code` says what only staff may do ("staff_only.…")."""
    if not is_staff(actor):
        raise Forbidden(code)


def require_admin(actor: Actor) -> None:
    if not is_admin(actor):
        raise Forbidden("admin_only")
