"""Who is asking: the logged-in member (a `Visitor`) and their standing in one server (a
`Place`), checked on every request, the way Discord checks every interaction."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from core.members import actor_from_facts
from core.models import Actor, FeatureFlags, GuildConfig
from core.policy import is_admin, is_staff
from core.services import Services
from dashboard.ports import DashboardSide
from dashboard.sessions import SESSION_COOKIE, Server, Sessions, WebSession
from dashboard.web import PageError
from i18n import N_

ROLES_UNKNOWN = N_(
    "Your roles on this server could not be checked on Discord just now. Try again in a "
    "moment. (The dashboard works where it runs inside the bot process.)"
)


class LoginRequired(Exception):
    """No valid session: the visitor is sent to log in, then back here."""


@dataclass(frozen=True)
class Place:
    """The visitor in one server: the `Actor` every service call is made as."""

    session: WebSession
    server: Server
    actor: Actor
    config: GuildConfig
    flags: FeatureFlags

    @property
    def guild_id(self) -> int:
        return self.server.id

    @property
    def staff(self) -> bool:
        return is_staff(self.actor)

    @property
    def admin(self) -> bool:
        return is_admin(self.actor)

    def url(self, path: str = "") -> str:
        return f"/servers/{self.server.id}{path}"


class Visitors:
    def __init__(self, services: Services, sessions: Sessions, side: DashboardSide):
        self._services = services
        self._sessions = sessions
        self._side = side

    def session(self, request: Request) -> WebSession | None:
        session = self._sessions.read(request.cookies.get(SESSION_COOKIE))
        request.state.visitor = session
        return session

    def require_session(self, request: Request) -> WebSession:
        session = self.session(request)
        if session is None:
            raise LoginRequired()
        return session

    async def place(self, request: Request, guild_id: int) -> Place:
        session = self.require_session(request)
        server = session.server(guild_id)
        if server is None:
            # Not a server this member logged in with: as unknown as another desk's ticket.
            raise PageError(404, N_("Server not found"), N_("This is not one of your servers."))
        facts = await self._side.member(guild_id, session.user_id)
        if facts is None:
            raise PageError(
                403, N_("Not a member"), N_("You are no longer a member of this server.")
            )
        if not facts.verified:
            # Staff or not is decided from the member's roles: without them, no page.
            raise PageError(503, N_("Roles unknown"), ROLES_UNKNOWN)
        config = await self._services.guilds.config(guild_id)
        place = Place(
            session=session,
            server=server,
            actor=actor_from_facts(session.user_id, guild_id, facts, config),
            config=config,
            flags=await self._services.guilds.flags(guild_id),
        )
        request.state.place = place
        return place
