"""Typed aiohttp keys shared by the server and its route modules."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .state import DiscordState

STATE = web.AppKey("fake_discord_state", DiscordState)
JSON = web.RequestKey("fake_discord_json", object)
FILES = web.RequestKey("fake_discord_files", list)
# The user behind an OAuth2 bearer token (None for the bot's own token).
BEARER = web.RequestKey("fake_discord_bearer", object)


def request_body(request: web.Request) -> Any:
    return request[JSON]


def request_files(request: web.Request) -> list[tuple[str, bytes, str]]:
    return request[FILES]
