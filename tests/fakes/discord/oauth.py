"""OAuth2 as Discord runs it for a web app's "Log in with Discord" (authorization code).

- `GET /oauth2/authorize` (outside the API prefix, like discord.com/oauth2/authorize):
  checks `client_id`, `response_type=code`, the scopes and that `redirect_uri` is one the
  app registered in the developer portal; then asks the signed-in person to authorize,
  or sends them straight back when they already did and the app asked `prompt=none`.
- Who is signed in to "Discord" in this browser: a `fake_discord_session` cookie set by
  the fake's own login form (`POST /login`), else `OAuth2.signed_in` set by a test.
- `POST /api/v10/oauth2/token`: the code (single use, 10 minutes, bound to its client and
  redirect_uri) for a bearer token; client credentials by HTTP Basic or in the form.
- A bearer token works only where its scopes allow: `identify` for `GET /users/@me`,
  `guilds` for `GET /users/@me/guilds`; anywhere else Discord answers 401.

Pages are plain HTML forms (no script), so a real browser and an HTTP client both drive it.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web

from . import permissions
from .errors import DiscordError
from .keys import BEARER
from .state import DiscordState, Payload

SESSION_COOKIE = "fake_discord_session"
CODE_SECONDS = 600.0
TOKEN_SECONDS = 604800
# Which bearer scope each REST route needs; every other route refuses a bearer token.
BEARER_ROUTES = {
    ("GET", "/users/@me"): "identify",
    ("GET", "/users/@me/guilds"): "guilds",
}
# Routes Discord has that its OpenAPI document does not describe.
UNDOCUMENTED = {("POST", "/oauth2/token")}


@dataclass
class Grant:
    user_id: int
    client_id: int
    redirect_uri: str
    scopes: tuple[str, ...]
    expires_at: float


@dataclass
class Token:
    user_id: int
    scopes: tuple[str, ...]
    expires_at: float


@dataclass
class OAuth2:
    """The fake's OAuth2 state; tests turn the knobs (`signed_in`, `client_secret`...)."""

    state: DiscordState
    client_secret: str = "fake-client-secret"
    redirect_uris: list[str] = field(default_factory=list)
    # The person signed in to Discord in a browser with no session cookie of the fake.
    signed_in: int | None = None
    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    authorized: dict[int, set[str]] = field(default_factory=dict)  # user -> scopes granted
    exchanges: int = 0

    @property
    def client_id(self) -> int:
        return self.state.application_id

    def revoke_all(self) -> None:
        """Every token stops working (the member deauthorized the app)."""
        self.tokens.clear()

    def bearer_user(self, authorization: str | None, method: str, route: str) -> Payload | None:
        """The user behind a bearer token, if the request carries one; raises 401 for a
        token that is unknown, expired, or lacks the scope this route needs."""
        if authorization is None or not authorization.startswith("Bearer "):
            return None
        token = self.tokens.get(authorization.removeprefix("Bearer "))
        needed = BEARER_ROUTES.get((method, route))
        if token is None or token.expires_at <= self.state.now() or needed not in token.scopes:
            raise DiscordError(401, 0, "401: Unauthorized")
        return self.state.users[token.user_id]

    # -- the browser side --------------------------------------------------------------

    async def authorize_page(self, request: web.Request) -> web.Response:
        params = dict(request.query)
        problem = self._check_authorize(params)
        if problem:
            return _page("Invalid OAuth2 request", f"<p>{html.escape(problem)}</p>", 400)
        user_id = self._signed_in(request)
        if user_id is None:
            return _login_page(request.path_qs)
        scopes = _scopes(params)
        if params.get("prompt") == "none" and set(scopes) <= self.authorized.get(user_id, set()):
            return self._approve(params, user_id)
        return _consent_page(self.state, params, user_id)

    async def authorize_decision(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        decision = form.pop("decision", "")
        problem = self._check_authorize(form)
        user_id = self._signed_in(request)
        if problem or user_id is None:
            return _page("Invalid OAuth2 request", html.escape(problem or "Not signed in"), 400)
        if decision != "authorize":
            query = {
                "error": "access_denied",
                "error_description": "The resource owner or "
                "authorization server denied the request",
            }
            return _redirect(form["redirect_uri"], query, form.get("state"))
        self.authorized.setdefault(user_id, set()).update(_scopes(form))
        return self._approve(form, user_id)

    async def login(self, request: web.Request) -> web.Response:
        """The fake's "Log in to Discord" form: a username is enough."""
        form = await request.post()
        name = str(form.get("username", ""))
        user = next((u for u in self.state.users.values() if u["username"] == name), None)
        back = str(form.get("next") or "/")
        if user is None or not back.startswith("/"):
            return _page("Login failed", "<p>No such user.</p>", 400)
        response = web.Response(status=302, headers={"Location": back})
        response.set_cookie(SESSION_COOKIE, user["id"], httponly=True, samesite="Lax")
        return response

    def _signed_in(self, request: web.Request) -> int | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie and cookie.isdigit() and int(cookie) in self.state.users:
            return int(cookie)
        return self.signed_in

    def _check_authorize(self, params: dict[str, Any]) -> str | None:
        if params.get("client_id") != str(self.client_id):
            return "Unknown client_id."
        if params.get("response_type") != "code":
            return "Unsupported response_type."
        scopes = _scopes(params)
        if not scopes or not set(scopes) <= {"identify", "guilds", "email"}:
            return "Invalid scope."
        if params.get("redirect_uri") not in self.redirect_uris:
            return "Invalid OAuth2 redirect_uri"  # Discord's own words
        return None

    def _approve(self, params: dict[str, Any], user_id: int) -> web.Response:
        code = secrets.token_urlsafe(24)
        self.codes[code] = Grant(
            user_id=user_id,
            client_id=int(params["client_id"]),
            redirect_uri=params["redirect_uri"],
            scopes=_scopes(params),
            expires_at=self.state.now() + CODE_SECONDS,
        )
        return _redirect(params["redirect_uri"], {"code": code}, params.get("state"))

    # -- the app's server side ---------------------------------------------------------

    async def token(self, request: web.Request) -> web.Response:
        if request.content_type != "application/x-www-form-urlencoded":
            return json_response({"error": "invalid_request"}, 400)
        form = dict(parse_qsl((await request.read()).decode()))
        client_id, secret = _client_credentials(request, form)
        if client_id != str(self.client_id) or secret != self.client_secret:
            return json_response({"error": "invalid_client"}, 401)
        if form.get("grant_type") != "authorization_code":
            return json_response({"error": "unsupported_grant_type"}, 400)
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or grant.expires_at <= self.state.now()
            or grant.redirect_uri != form.get("redirect_uri")
        ):
            body = {"error": "invalid_grant", "error_description": 'Invalid "code" in request.'}
            return json_response(body, 400)
        access = secrets.token_urlsafe(30)
        self.tokens[access] = Token(grant.user_id, grant.scopes, self.state.now() + TOKEN_SECONDS)
        self.exchanges += 1
        return json_response(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS,
                "refresh_token": secrets.token_urlsafe(30),
                "scope": " ".join(grant.scopes),
            }
        )

    async def get_my_guilds(self, request: web.Request) -> web.Response:
        """`GET /users/@me/guilds` for a bearer token: every server the user is in. (With
        the bot's token: the servers the bot is in.)"""
        user = request.get(BEARER)
        user_id = int(user["id"]) if user else self.state.application_id
        found = []
        for guild in self.state.guilds.values():
            if user_id not in guild.members:
                continue
            found.append(
                {
                    "id": str(guild.id),
                    "name": guild.name,
                    "icon": None,
                    "banner": None,
                    "owner": guild.owner_id == user_id,
                    "permissions": str(permissions.compute(guild, user_id, None)),
                    "features": [],
                }
            )
        return json_response(found)


def register(app: web.Application, oauth: OAuth2, api: str) -> None:
    app.router.add_get("/oauth2/authorize", oauth.authorize_page)
    app.router.add_post("/oauth2/authorize", oauth.authorize_decision)
    app.router.add_post("/login", oauth.login)
    app.router.add_post(f"{api}/oauth2/token", oauth.token)
    app.router.add_get(f"{api}/users/@me/guilds", oauth.get_my_guilds)


def _scopes(params: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(params.get("scope", "")).split())


def _client_credentials(request: web.Request, form: dict[str, str]) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


def _redirect(uri: str, query: dict[str, str], state: str | None) -> web.Response:
    if state is not None:
        query = {**query, "state": state}
    separator = "&" if urlsplit(uri).query else "?"
    return web.Response(status=302, headers={"Location": f"{uri}{separator}{urlencode(query)}"})


def json_response(data: Any, status: int = 200) -> web.Response:
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


def _page(title: str, body: str, status: int = 200) -> web.Response:
    text = (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"{body}</body></html>"
    )
    return web.Response(text=text, status=status, content_type="text/html")


def _login_page(back: str) -> web.Response:
    body = (
        '<form method=post action="/login">'
        f'<input type=hidden name=next value="{html.escape(back)}">'
        "<label>Username <input name=username autocomplete=username></label> "
        "<button>Log In</button></form>"
    )
    return _page("Log in to Discord", body)


def _consent_page(state: DiscordState, params: dict[str, Any], user_id: int) -> web.Response:
    user = state.users[user_id]
    hidden = "".join(
        f'<input type=hidden name="{html.escape(k)}" value="{html.escape(str(v))}">'
        for k, v in params.items()
    )
    scopes = "".join(f"<li>{html.escape(s)}</li>" for s in _scopes(params))
    body = (
        f"<p>{html.escape(state.bot_user['username'])} wants to access your account "
        f"(signed in as <b>{html.escape(user['username'])}</b>):</p><ul>{scopes}</ul>"
        f'<form method=post action="/oauth2/authorize">{hidden}'
        "<button name=decision value=cancel>Cancel</button> "
        "<button name=decision value=authorize>Authorize</button></form>"
    )
    return _page("Authorize access", body)
