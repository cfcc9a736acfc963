"""Ids an admin hands the desk (channels and roles in the server setup or a form
definition) must belong to the server they are used in.

Who is staff or admin lives in `core.policy`.
"""

from __future__ import annotations

from core.errors import InvalidInput, Message
from core.models import Frozen


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


NOT_A_CHANNEL = Message("server.not_a_channel")
NOT_A_ROLE = Message("server.not_a_role")


def foreign_ids(
    server: ServerIds,
    *,
    channels: dict[str, int | None] | None = None,
    roles: dict[str, int | None] | None = None,
) -> list[tuple[str, Message]]:
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
