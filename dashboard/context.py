"""Everything a page handler reaches: the services, the sessions, the Discord login, the
bot's side; and the form checks every POST goes through (CSRF)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import FormData

from core.services import Services
from dashboard.config import DashboardConfig
from dashboard.oauth import DiscordLogin
from dashboard.ports import DashboardSide
from dashboard.replies import Replies
from dashboard.sessions import Sessions, WebSession, csrf_ok
from dashboard.visitors import Visitors
from dashboard.web import PageError

FORM_EXPIRED = (
    "This form has expired or did not come from this dashboard. Reload the page and try "
    "again; nothing was changed."
)


@dataclass(frozen=True)
class Dashboard:
    services: Services
    config: DashboardConfig
    sessions: Sessions
    login: DiscordLogin
    visitors: Visitors
    replies: Replies
    side: DashboardSide

    @classmethod
    def build(cls, services: Services, config: DashboardConfig, side: DashboardSide):
        sessions = Sessions(config, services.clock)
        return cls(
            services=services,
            config=config,
            sessions=sessions,
            login=DiscordLogin(config),
            visitors=Visitors(services, sessions, side.member_roles),
            replies=Replies(services, side),
            side=side,
        )

    async def posted(self, request: Request, session: WebSession) -> FormData:
        """A submitted form, once it is known to come from this session's own page."""
        origin = request.headers.get("origin")
        form = await request.form()
        if (origin is not None and origin != self.config.origin) or not csrf_ok(
            session, form.get("csrf_token")
        ):
            raise PageError(403, "Form expired", FORM_EXPIRED)
        return form
