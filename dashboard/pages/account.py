"""Logging in with Discord, choosing a server, logging out."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response

from dashboard.config import CALLBACK_PATH
from dashboard.context import Dashboard
from dashboard.oauth import LoginFailed
from dashboard.sessions import LOGIN_COOKIE, LOGIN_MINUTES, SESSION_COOKIE, Server, safe_next
from dashboard.web import PageError, page, see_other
from i18n import N_

log = logging.getLogger(__name__)


def register(router: APIRouter, dash: Dashboard) -> None:
    config = dash.config

    def set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            httponly=True,
            samesite="lax",
            secure=config.secure_cookies,
            path="/",
        )

    @router.get("/")
    async def home(request: Request) -> Response:
        session = dash.visitors.session(request)
        if session is None:
            return page("login.html", visitor=None, place=None)
        if len(session.servers) == 1:
            return see_other(f"/servers/{session.servers[0].id}/tickets")
        return page("servers.html", visitor=session, place=None, servers=session.servers)

    @router.get("/login")
    async def login(request: Request, next: str = "/") -> Response:
        state, cookie = dash.sessions.begin_login(safe_next(next))
        response = see_other(dash.login.authorize_url(state))
        set_cookie(response, LOGIN_COOKIE, cookie, LOGIN_MINUTES * 60)
        return response

    @router.get(CALLBACK_PATH)
    async def callback(
        request: Request,
        code: str | None = None,
        state: str | None = None,
        error: str | None = None,
    ) -> Response:
        pending = dash.sessions.finish_login(request.cookies.get(LOGIN_COOKIE), state)
        if pending is None:
            raise PageError(
                400,
                N_("Login expired"),
                N_("This login did not start here or took too long. Log in again."),
            )
        if error or not code:
            raise PageError(
                403,
                N_("Login cancelled"),
                N_("Discord did not let you in. Log in again and choose Authorize."),
            )
        try:
            identity = await dash.login.identify(code)
        except LoginFailed as failure:
            raise PageError(502, N_("Login failed"), str(failure)) from None
        servers = []
        for guild_id, name in identity.guilds.items():
            if await dash.side.member(guild_id, identity.user_id) is not None:
                # a server the desk serves (roles are checked again on every page)
                servers.append(Server(id=guild_id, name=name))
        _, cookie = dash.sessions.start(
            identity.user_id, identity.name, servers, locale=identity.locale
        )
        log.info("dashboard login: user %s (%s servers)", identity.user_id, len(servers))
        response = see_other(pending.next)
        set_cookie(response, SESSION_COOKIE, cookie, dash.sessions.max_age)
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        session = dash.visitors.session(request)
        if session is not None:
            await dash.posted(request, session)
        response = see_other("/")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @router.get("/servers/{guild_id}")
    async def server_home(request: Request, guild_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        return see_other(place.url("/tickets"))
