"""Requests of the wrong shape, refused before any endpoint runs: bodies over 64 KiB (413)
and query parameters an endpoint does not take (400: a typo such as `?stauts=open` would
otherwise quietly list every ticket)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.language import scope_speech
from core.errors import InvalidInput
from core.errors import Message as Said
from wording.catalogue import say_plain

BODY_MAX = 64 * 1024
# Taken by every endpoint: a dashboard session names the server with it (SPEC §8).
ALWAYS_ALLOWED = frozenset({"guild_id"})


async def known_query_parameters(request: Request) -> None:
    """A dependency of every router: refuse query parameters the endpoint doesn't take."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    taken = _query_names(route.dependant)
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name not in taken and name not in ALWAYS_ALLOWED:
            raise InvalidInput(name[:40] or "query", "api.unknown_parameter")
        if name in seen:  # which one would count? refuse rather than guess
            raise InvalidInput(name[:40], "api.repeated_parameter")
        seen.add(name)


class BodyLimit:
    """Reads the whole body first (it is small by definition), then hands it on."""

    def __init__(self, app: ASGIApp, max_bytes: int = BODY_MAX) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        if declared and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large(send, headers)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send, headers)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as usual

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send, headers: dict[bytes, bytes]) -> None:
        text = say_plain(Said("api.too_large", kb=self.max_bytes // 1024), scope_speech(headers))
        payload = json.dumps({"error": text}).encode()
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for inner in dependant.dependencies:
        names |= _query_names(inner)
    return names
