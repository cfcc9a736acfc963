"""Who is logged in: a signed cookie, and the CSRF token that goes with it.

The cookie holds no Discord token (it is dropped right after login): only the member's
id, name, the desk's servers they were in at login, a CSRF token and when the session
ends. It is signed with SESSION_SECRET (itsdangerous, HMAC-SHA1 with a derived key) and
set HttpOnly, SameSite=Lax, and Secure when the dashboard is served over https.

Expiry is checked against the desk's clock, not only the browser's Max-Age, so a copied
cookie stops working on time too.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from typing import TypeVar

from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import BaseModel, ValidationError

from core.clock import Clock
from dashboard.config import DashboardConfig

M = TypeVar("M", bound=BaseModel)

SESSION_COOKIE = "desk_session"
LOGIN_COOKIE = "desk_login"  # the OAuth2 `state` while the member is at Discord
LOGIN_MINUTES = 10


class Server(BaseModel):
    id: int
    name: str


class WebSession(BaseModel):
    user_id: int
    name: str
    servers: list[Server]
    csrf: str
    expires_at: datetime
    locale: str | None = None  # the member's Discord language: the dashboard speaks it

    def server(self, guild_id: int) -> Server | None:
        return next((s for s in self.servers if s.id == guild_id), None)


class PendingLogin(BaseModel):
    state: str
    next: str
    expires_at: datetime


class Sessions:
    def __init__(self, config: DashboardConfig, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        self._sessions = URLSafeSerializer(config.session_secret, salt="dashboard.session")
        self._logins = URLSafeSerializer(config.session_secret, salt="dashboard.login")

    @property
    def max_age(self) -> int:
        return int(self._config.session_hours * 3600)

    def start(
        self, user_id: int, name: str, servers: list[Server], locale: str | None = None
    ) -> tuple[WebSession, str]:
        """A new session and its cookie value."""
        session = WebSession(
            locale=locale,
            user_id=user_id,
            name=name,
            servers=servers,
            csrf=secrets.token_urlsafe(24),
            expires_at=self._clock.now() + timedelta(hours=self._config.session_hours),
        )
        return session, self._sessions.dumps(session.model_dump(mode="json"))

    def read(self, cookie: str | None) -> WebSession | None:
        """The session in a cookie; None if absent, forged, malformed or expired."""
        session = _load(self._sessions, cookie, WebSession)
        if session is None or session.expires_at <= self._clock.now():
            return None
        return session

    def begin_login(self, next_path: str) -> tuple[str, str]:
        """(state for Discord, cookie value remembering it and where to go afterwards)."""
        pending = PendingLogin(
            state=secrets.token_urlsafe(24),
            next=next_path,
            expires_at=self._clock.now() + timedelta(minutes=LOGIN_MINUTES),
        )
        return pending.state, self._logins.dumps(pending.model_dump(mode="json"))

    def finish_login(self, cookie: str | None, state: str | None) -> PendingLogin | None:
        """The login this browser began, if `state` is the one it was sent with."""
        pending = _load(self._logins, cookie, PendingLogin)
        if pending is None or state is None or pending.expires_at <= self._clock.now():
            return None
        return pending if hmac.compare_digest(pending.state, state) else None


def csrf_ok(session: WebSession, token: object) -> bool:
    return isinstance(token, str) and hmac.compare_digest(session.csrf, token)


def _load(serializer: URLSafeSerializer, cookie: str | None, model: type[M]) -> M | None:
    if not cookie:
        return None
    try:
        return model.model_validate(serializer.loads(cookie))
    except (BadSignature, ValidationError, ValueError):
        return None


def safe_next(path: str | None) -> str:
    """Only a path on this site: never `//elsewhere` or a full URL (no open redirect)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path
