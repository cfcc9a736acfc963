"""The HTTP application: `create_app(services, settings, discord_side)`.

Routers are added with `app.include_router(...)`: the API's own under `/api`, and the web
dashboard's (SPEC §9) at `/` by the dashboard package.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from api.ports import DiscordSide
from core.services import Services
from core.settings import Settings
from dashboard import dashboard_router

TITLE = "Ticket desk HTTP API"


@dataclass(frozen=True)
class ApiContext:
    """What every endpoint reaches through `request.app.state.desk`."""

    services: Services
    settings: Settings
    discord_side: DiscordSide


def create_app(services: Services, settings: Settings, discord_side: DiscordSide) -> FastAPI:
    app = FastAPI(
        title=TITLE,
        version="1.0.0",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.desk = ApiContext(services, settings, discord_side)

    @app.get("/api/health", tags=["meta"], summary="Whether the API is up")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    # Last: the dashboard serves `/` and the pages below it (SPEC §9).
    app.include_router(dashboard_router(services, settings, discord_side))
    return app
