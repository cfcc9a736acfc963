"""The HTTP application: `create_app(services, settings, discord_side)`.

Routers are added with `app.include_router(...)`: the API's own under `/api`, and the web
dashboard's (SPEC §9) at `/` by the dashboard package, which adds its user sessions as a
second kind of credential with `api.auth.add_authenticator(app, ...)`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api import errors, forms, notes, schemas, tickets
from api.auth import ServerKeyAuthenticator, add_authenticator
from api.context import ApiContext
from api.limits import BodyLimit
from api.ports import DiscordSide
from api.user_sessions import DashboardSessionAuthenticator
from core.services import Services
from core.settings import Settings
from dashboard import dashboard_router
from dashboard.config import dashboard_config
from dashboard.sessions import Sessions

TITLE = "Ticket desk HTTP API"
DESCRIPTION = """The ticket desk's HTTP API (SPEC §8): the same tickets, forms and rules as in
Discord. Send `Authorization: Bearer <key>` with a server key from `/admin api-key create`.
With a server key, `user_id` names the member a call is for (required to open a ticket or
submit a form). Errors are `{"error": "<sentence>", "field": "<field>"}`."""


def create_app(services: Services, settings: Settings, discord_side: DiscordSide) -> FastAPI:
    app = FastAPI(
        title=TITLE,
        description=DESCRIPTION,
        version="1.0.0",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    context = ApiContext(services, settings, discord_side)
    context.authenticators.append(ServerKeyAuthenticator(context))
    app.state.desk = context
    errors.install(app)
    app.add_middleware(BodyLimit)

    @app.get("/api/health", tags=["meta"], summary="Whether the API is up")
    async def health() -> schemas.Health:
        return schemas.Health(status="ok")

    app.include_router(tickets.router)
    app.include_router(forms.router)
    app.include_router(notes.router)
    app.openapi = lambda: _document(app)  # type: ignore[method-assign]
    # Last: the dashboard serves `/` and the pages below it (SPEC §9); its logins are also
    # API credentials.
    app.include_router(dashboard_router(services, settings, discord_side))
    dashboard = dashboard_config(settings)
    if dashboard is not None:
        sessions = Sessions(dashboard, services.clock)
        add_authenticator(app, DashboardSessionAuthenticator(services, discord_side, sessions))
    return app


def _document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, told the truth: every refusal is the `Error` body (FastAPI's own
    422 never happens: bad input is 400), and calls need a bearer credential."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        for path, operations in document.get("paths", {}).items():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
                if path == "/api/health":
                    operation["security"] = []
        schemas = document.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        document.setdefault("components", {})["securitySchemes"] = {
            "serverKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "A server key from /admin api-key create (or a dashboard session).",
            }
        }
        document["security"] = [{"serverKey": []}]
        app.openapi_schema = document
    return app.openapi_schema
