"""Everything a page handler reaches: the services, the sessions, the Discord login, the
bot's side; and the form checks every POST goes through (CSRF)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import FormData

from core.events import front_end_without_discord
from core.services import Services
from dashboard.config import DashboardConfig
from dashboard.oauth import DiscordLogin
from dashboard.ports import DashboardSide
from dashboard.sessions import Sessions, WebSession, csrf_ok
from dashboard.visitors import Place, Visitors
from dashboard.web import PageError
from i18n import N_

FORM_EXPIRED = N_(
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
    side: DashboardSide

    @classmethod
    def build(cls, services: Services, config: DashboardConfig, side: DashboardSide):
        sessions = Sessions(config, services.clock)
        return cls(
            services=services,
            config=config,
            sessions=sessions,
            login=DiscordLogin(config),
            visitors=Visitors(services, sessions, side),
            side=side,
        )

    @contextlib.contextmanager
    def writing(self, place: Place) -> Iterator[None]:
        """Writes in this block queue their Discord side (a reply to post in the thread, a
        close to finish: core/events.py), labelled with who acted; the bot is nudged."""
        with front_end_without_discord(f"{place.session.name} (web dashboard)"):
            yield
        self.side.work_queued()

    async def posted(self, request: Request, session: WebSession) -> FormData:
        """A submitted form, once it is known to come from this session's own page."""
        origin = request.headers.get("origin")
        form = await request.form()
        if (origin is not None and origin != self.config.origin) or not csrf_ok(
            session, form.get("csrf_token")
        ):
            raise PageError(403, N_("Form expired"), FORM_EXPIRED)
        return form
