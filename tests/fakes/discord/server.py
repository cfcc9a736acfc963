"""FakeDiscord: one aiohttp server with REST under /api/v10 and the gateway at /gateway.

The middleware does what every Discord route shares: parse JSON or multipart bodies, check
the request against the OpenAPI spec, inject configured 429/5xx faults, render errors, and
log every exchange so tests can inspect it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from aiohttp import web

from . import deletes, oauth, rest_app, rest_channels, rest_interactions
from .application import check_rest_token
from .errors import DiscordError
from .gateway import Gateway
from .holds import Hold, Holds
from .keys import BEARER, FILES, JSON, STATE
from .ratelimits import RateLimits
from .state import DiscordState, Fault, Guild, Payload
from .validation import SpecValidator, flatten_query, get_validator

log = logging.getLogger(__name__)
API = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # Exactly `application/json`: with a charset suffix discord.py treats the body as text.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


class FakeDiscord:
    def __init__(self, *, validate: bool = True, validate_responses: bool = False) -> None:
        self.state = DiscordState()
        self.gateway = Gateway(self.state)
        self.holds = Holds(self.state)
        self.validator: SpecValidator | None = get_validator() if validate else None
        self.validate_responses = validate_responses
        self.guild: Guild = self.state.build_guild()
        self.rate_limits = RateLimits(self.state.now)
        self.state.bot_guild_ids.append(self.guild.id)
        self.oauth = oauth.OAuth2(self.state)  # "Log in with Discord" for web dashboards
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024**2)
        app[STATE] = self.state
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/resume", self.gateway.handle)  # READY's resume URL
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._attachment)
        for module in (rest_app, rest_channels, rest_interactions, deletes):
            module.register(app.router, API)
        oauth.register(app, self.oauth, API)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.state.base_url = f"http://{host}:{self.port}"
        self.gateway.base_ws_url = self.gateway_url
        log.info("fake discord listening on %s", self.state.base_url)

    async def stop(self) -> None:
        self.holds.release_all()
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"{self.state.base_url}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- fault injection ------------------------------------------------------------------
    def inject(self, method: str, route: str, status: int = 429, times: int = 1, **kw: Any) -> None:
        """Fail the next `times` requests to `route` (e.g. "/channels/{channel_id}/messages")."""
        self.state.faults[(method.upper(), route)] = Fault(status=status, remaining=times, **kw)

    def hold(
        self, method: str, route: str, *, path_contains: str = "", after: bool = False
    ) -> Hold:
        """Hold the next matching request (or, with `after`, its answer) until released."""
        return self.holds.add(method, route, path_contains=path_contains, after=after)

    # -- middleware -----------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API):
            return await handler(request)
        path = request.path[len(API) :]
        route = _route_template(request, API)
        raw = await request.read()
        json_body, files = _parse_body(request, raw)
        request[JSON] = json_body
        request[FILES] = files
        query = flatten_query(request.query)
        validated_body = json.dumps(json_body).encode() if json_body is not None else None
        entry: Payload = {
            "method": request.method,
            "path": path,
            "route": route,
            "query": query,
            "json": json_body,
            "files": [f[0] for f in files],
        }
        self.state.request_log.append(entry)
        problem = None
        limit_headers: dict[str, str] = {}
        documented = (request.method, route) not in oauth.UNDOCUMENTED
        if self.validator is not None and documented:
            problem = self.validator.check_request(request.method, path, query, validated_body)
            if problem:
                self.state.violations.append(f"{request.method} {path}: {problem}")
        try:
            if problem and ("Body" in problem or "Parameter" in problem):
                raise DiscordError(400, 50035, "Invalid Form Body", extra={"spec": problem})
            authorization = request.headers.get("Authorization")
            check_rest_token(self.state.application, authorization)
            request[BEARER] = self.oauth.bearer_user(authorization, request.method, route)
            if request.match_info.route.resource is not None:
                limit_headers = self.rate_limits.take(request.method, route, request.match_info)
            self._maybe_fail(request.method, route)
            await self.holds.pause(request.method, route, path, after=False)
            response = await handler(request)
            await self.holds.pause(request.method, route, path, after=True)
            response.headers.update(limit_headers)
        except DiscordError as error:
            headers = {**limit_headers, **error.headers}
            response = json_response(error.body(), error.status, headers)
        except web.HTTPNotFound:
            self.state.violations.append(f"{request.method} {path}: the fake has no such route")
            response = json_response({"message": "404: Not Found", "code": 0}, 404)
        entry["status"] = response.status
        if isinstance(response, web.Response) and response.body:
            entry["response"] = json.loads(response.body) if response.status != 204 else None
            if documented:
                self._check_response(request.method, path, query, validated_body, response)
        return response

    def _maybe_fail(self, method: str, route: str) -> None:
        fault = self.state.faults.get((method, route))
        if fault is None or fault.remaining <= 0:
            return
        fault.remaining -= 1
        if fault.status == 429:
            # discord.py retries a 429 only when it carries `Via` and a JSON `retry_after`.
            body = {"message": "You are being rate limited.", "retry_after": fault.retry_after}
            raise DiscordError(
                429,
                0,
                body["message"],
                headers={"Via": "1.1 google", "Retry-After": str(fault.retry_after)},
                extra={"retry_after": fault.retry_after, "global": False},
            )
        raise DiscordError(fault.status, 0, f"{fault.status}: injected server error")

    def _check_response(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes | None,
        response: web.Response,
    ) -> None:
        if not (self.validate_responses and self.validator) or response.status >= 300:
            return
        assert isinstance(response.body, bytes)
        problem = self.validator.check_response(
            method, path, query, body, response.status, response.body
        )
        if problem:
            self.state.violations.append(f"fake's response to {method} {path}: {problem}")

    async def _attachment(self, request: web.Request) -> web.Response:
        found = self.state.attachments.get(int(request.match_info["attachment_id"]))
        if found is None:
            raise web.HTTPNotFound()
        _, data, content_type = found
        return web.Response(body=data, content_type=content_type)


def _route_template(request: web.Request, prefix: str) -> str:
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else request.path
    return canonical[len(prefix) :] if canonical.startswith(prefix) else canonical


def _parse_body(request: web.Request, raw: bytes) -> tuple[Any, list[tuple[str, bytes, str]]]:
    """JSON body, or multipart `payload_json` + `files[n]` parts (how discord.py uploads)."""
    if not raw:
        return None, []
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + raw)
        payload: Any = None
        files = []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if name == "payload_json":
                payload = json.loads(data)
            elif part.get_filename():
                files.append((part.get_filename(), data, part.get_content_type()))
        return payload, files
    try:
        return json.loads(raw), []
    except ValueError:
        return None, []
