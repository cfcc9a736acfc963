"""The application as configured in the developer portal, and how Discord refuses a bot
that does not match it: a rejected token (REST 401, gateway close 4004), a privileged
intent that is not switched on (close 4014), a server where the app may not register
commands (403 50001 Missing Access).

Every knob defaults to "all is well"; a test turns one to model a first-run mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import DiscordError

if TYPE_CHECKING:
    from .state import DiscordState

GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT = 1 << 1, 1 << 8, 1 << 15
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
AUTHENTICATION_FAILED, DISALLOWED_INTENTS = 4004, 4014


@dataclass
class Application:
    # None accepts any token; a string is the only one that works (after a reset).
    token: str | None = None
    # Privileged intents switched on under Bot → Privileged Gateway Intents.
    privileged_intents: int = PRIVILEGED
    # Servers the bot was invited to without the applications.commands scope.
    without_commands_scope: set[int] = field(default_factory=set)


def check_rest_token(app: Application, authorization: str | None) -> None:
    """Discord answers 401 to any request carrying a bot token it does not know."""
    if app.token is None or authorization is None or not authorization.startswith("Bot "):
        return
    if authorization.removeprefix("Bot ") != app.token:
        raise DiscordError(401, 0, "401: Unauthorized")


def gateway_refusal(app: Application, frame: dict[str, Any]) -> tuple[int, str] | None:
    """The close code and reason for an IDENTIFY or RESUME Discord would refuse."""
    if app.token is not None and frame.get("token") != app.token:
        return AUTHENTICATION_FAILED, "Authentication failed."
    intents = int(frame.get("intents") or 0)
    if intents & PRIVILEGED & ~app.privileged_intents:
        return DISALLOWED_INTENTS, "Disallowed intent(s)."
    return None


def check_commands_scope(state: DiscordState, guild_id: int) -> None:
    """Guild commands need the app in that server with the applications.commands scope."""
    in_guild = guild_id in state.bot_guild_ids
    if not in_guild or guild_id in state.application.without_commands_scope:
        raise DiscordError(403, 50001, "Missing Access")
