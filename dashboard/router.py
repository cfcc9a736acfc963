"""The dashboard's routes, one APIRouter the HTTP app includes at `/`.

`DashboardRoute` turns what a handler raises into a page: no session -> the login,
a refusal of the services -> its sentence with the matching status, a malformed id in a
path -> 404. So no page ever shows a stack trace or a JSON error.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from core.errors import DomainError
from core.services import Services
from core.settings import Settings
from dashboard.config import dashboard_config, missing_settings
from dashboard.context import Dashboard
from dashboard.pages import account, admin, reviews, stats, ticket_actions, tickets
from dashboard.ports import DashboardSide
from dashboard.visitors import LoginRequired
from dashboard.web import (
    PageError,
    error_page,
    page,
    refusal,
    request_speech,
    see_other,
    status_for,
)
from i18n import N_

log = logging.getLogger(__name__)


class DashboardRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handle = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await handle(request)
            except LoginRequired:
                back = request.url.path if request.method == "GET" else "/"
                return see_other(f"/login?next={quote(back)}")
            except PageError as error:
                return error_page(request, error.status, error.title, error.detail)
            except DomainError as error:
                t = request_speech(request)
                return error_page(request, status_for(error), N_("Not possible"), refusal(error, t))
            except RequestValidationError:
                return error_page(request, 404, N_("Page not found"))

        return handler


STYLESHEET = Path(__file__).parent / "static" / "dashboard.css"


def dashboard_router(services: Services, settings: Settings, side: DashboardSide) -> APIRouter:
    router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

    @router.get("/static/dashboard.css")
    async def stylesheet() -> Response:
        return Response(
            STYLESHEET.read_bytes(),
            media_type="text/css; charset=utf-8",
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    config = dashboard_config(settings)
    if config is None:
        _not_configured(router, missing_settings(settings))
        return router
    dash = Dashboard.build(services, config, side)
    for pages in (account, tickets, ticket_actions, stats, reviews, admin):
        pages.register(router, dash)
    return router


def _not_configured(router: APIRouter, missing: list[str]) -> None:
    """Served instead of the dashboard while its settings are incomplete."""
    log.warning("web dashboard off: set %s", ", ".join(missing))

    @router.get("/")
    async def not_configured() -> Response:
        return page(
            "not_configured.html", status_code=503, missing=missing, visitor=None, place=None
        )
