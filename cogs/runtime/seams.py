"""Point discord.py at another REST base and gateway (a proxy, or the tests' fake Discord).

Only applied when the settings ask for it; production talks to discord.com as usual.
tests/test_seams.py fails if discord.py moves these attributes.
"""

from __future__ import annotations

import discord.gateway
import discord.http
import yarl


def apply_discord_endpoints(api_base: str | None, gateway_url: str | None) -> None:
    if api_base:
        # Route.BASE also serves webhooks (interaction followups), so one switch covers both.
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
