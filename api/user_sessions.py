"""The dashboard's login as an API credential (SPEC §8 "user session").

A browser logged in to the dashboard (SPEC §9) may call the API with its session cookie:
the call acts as that member, staff or not by their roles in the server, which it names
with `?guild_id=` when the member is in several desk servers. A call that changes
something must also send the session's CSRF token in `X-CSRF-Token` (the dashboard's
pages carry it), so another site can't make the browser act.
"""

from __future__ import annotations

from fastapi import Request

from api.auth import parse_snowflake
from api.context import Principal
from api.errors import Unauthorized
from api.ports import DiscordSide
from core.errors import Forbidden, InvalidInput
from core.members import actor_from_facts
from core.services import Services
from dashboard.sessions import SESSION_COOKIE, Sessions, csrf_ok

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class DashboardSessionAuthenticator:
    def __init__(self, services: Services, side: DiscordSide, sessions: Sessions) -> None:
        self._services = services
        self._side = side
        self._sessions = sessions

    async def authenticate(self, request: Request) -> Principal | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        session = self._sessions.read(cookie)
        if session is None:
            raise Unauthorized("api.session_expired")
        if request.method not in SAFE_METHODS and not csrf_ok(
            session, request.headers.get("x-csrf-token")
        ):
            raise Forbidden("api.session_csrf")
        named = request.query_params.get("guild_id")
        if named:
            guild_id = parse_snowflake("guild_id", named)
        elif len(session.servers) == 1:
            guild_id = session.servers[0].id
        else:
            raise InvalidInput("guild_id", "api.session_guild_required")
        facts = None
        if session.server(guild_id) is not None:
            facts = await self._side.member(guild_id, session.user_id)
        if facts is None or not facts.verified:
            raise Forbidden("api.session_not_member")
        config = await self._services.guilds.config(guild_id)
        return Principal(
            guild_id=guild_id,
            actor=actor_from_facts(session.user_id, guild_id, facts, config),
            role_ids=facts.role_ids,
            bucket=f"user:{session.user_id}",
            label=f"{session.name} (web dashboard)",
            server_key=False,
        )
