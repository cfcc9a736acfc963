"""Logging in with Discord: the authorization-code flow of OAuth2 (scopes identify, guilds).

The authorize page is DISCORD_OAUTH_URL; the code is exchanged at
`{DISCORD_API_BASE}/oauth2/token`, then `/users/@me` and `/users/@me/guilds` are read with
the member's bearer token. The token is used for those two reads and then forgotten: the
dashboard never acts on Discord as the member.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from dashboard.config import SCOPES, DashboardConfig
from i18n import N_

log = logging.getLogger(__name__)
TIMEOUT = 10.0


class LoginFailed(Exception):
    """Discord refused the code or could not be reached; the message is safe to show."""


@dataclass(frozen=True)
class DiscordIdentity:
    user_id: int
    name: str
    guilds: dict[int, str]  # every server the member is in: id -> name
    locale: str | None = None  # the language the member chose in Discord ("de", "pt-BR")


class DiscordLogin:
    def __init__(self, config: DashboardConfig) -> None:
        self._config = config

    def authorize_url(self, state: str) -> str:
        query = {
            "client_id": str(self._config.client_id),
            "response_type": "code",
            "scope": SCOPES,
            "redirect_uri": self._config.redirect_uri,
            "state": state,
            # Someone who already authorized the app is sent straight back.
            "prompt": "none",
        }
        return f"{self._config.authorize_url}?{urlencode(query)}"

    async def identify(self, code: str) -> DiscordIdentity:
        async with httpx.AsyncClient(base_url=self._config.api_base, timeout=TIMEOUT) as http:
            token = await self._exchange(http, code)
            headers = {"Authorization": f"Bearer {token}"}
            me = await self._get(http, "/users/@me", headers)
            guilds = await self._get(http, "/users/@me/guilds", headers)
        name = me.get("global_name") or me.get("username") or f"user {me['id']}"
        return DiscordIdentity(
            user_id=int(me["id"]),
            name=str(name),
            guilds={int(g["id"]): str(g.get("name", "")) for g in guilds or []},
            locale=str(me["locale"]) if me.get("locale") else None,
        )

    async def _exchange(self, http: httpx.AsyncClient, code: str) -> str:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self._config.redirect_uri,
        }
        auth = (str(self._config.client_id), self._config.client_secret)
        try:
            answer = await http.post("/oauth2/token", data=form, auth=auth)
        except httpx.HTTPError as error:
            log.warning("Discord login: token exchange failed: %s", type(error).__name__)
            raise LoginFailed(N_("Discord could not be reached. Try again in a moment.")) from None
        if answer.status_code == 401:
            # Never the secret itself in the log: only that Discord refused it.
            log.error("Discord login: DISCORD_CLIENT_ID / DISCORD_CLIENT_SECRET were refused")
            raise LoginFailed(N_("The dashboard's Discord application settings are wrong."))
        if answer.status_code != 200:
            raise LoginFailed(N_("Discord did not accept this login. Please log in again."))
        return str(answer.json()["access_token"])

    async def _get(self, http: httpx.AsyncClient, path: str, headers: dict[str, str]):
        try:
            answer = await http.get(path, headers=headers)
        except httpx.HTTPError as error:
            log.warning("Discord login: %s failed: %s", path, type(error).__name__)
            raise LoginFailed(N_("Discord could not be reached. Try again in a moment.")) from None
        if answer.status_code != 200:
            log.warning("Discord login: %s answered %s", path, answer.status_code)
            raise LoginFailed(N_("Discord did not accept this login. Please log in again."))
        return answer.json()
