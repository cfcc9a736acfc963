"""Canary: the attributes cogs/runtime/seams.py sets must still exist where discord.py reads them.

If an upgrade moves them, the bot would silently talk to discord.com in the tests.
"""

from __future__ import annotations

import inspect

import discord.gateway
import discord.http
import yarl


def test_route_base_is_where_requests_are_built() -> None:
    assert isinstance(discord.http.Route.BASE, str)
    assert "self.BASE" in inspect.getsource(discord.http.Route.__init__)


def test_gateway_default_is_where_the_websocket_connects() -> None:
    assert isinstance(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY, yarl.URL)
    source = inspect.getsource(discord.gateway.DiscordWebSocket.from_client)
    assert "cls.DEFAULT_GATEWAY" in source


def test_webhooks_share_the_route_base() -> None:
    from discord.webhook import async_

    assert async_.Route is discord.http.Route
