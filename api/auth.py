"""Who is calling: credentials (SPEC §8), the rate limit per credential, and the member a
call acts for.

An `Authenticator` turns a request into a `Principal`, or None when the request carries no
credential of its kind. The API's own is `ServerKeyAuthenticator` (`Authorization: Bearer
<key>`: staff access to the key's server). The web dashboard (SPEC §9) adds its user
sessions with `add_authenticator(app, ...)`: a session acts as that member, staff or not
by their roles, in the server it names with `?guild_id=`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from fastapi import FastAPI, Request

from api.context import ApiContext, Authenticator, Principal
from api.errors import TooManyRequests, Unauthorized
from api.language import request_speech
from core.errors import Forbidden, InvalidInput
from core.events import front_end_without_discord
from core.models import Actor
from core.policy import member_actor
from i18n import Speech, speech

SNOWFLAKE_MAX = 2**64 - 1


class ServerKeyAuthenticator:
    def __init__(self, context: ApiContext) -> None:
        self._keys = context.services.api_keys

    async def authenticate(self, request: Request) -> Principal | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        key = await self._keys.authenticate(token.strip())
        if key is None:
            raise Unauthorized("api.bad_credential")
        # A key acts as staff; its replies are recorded as its creator's, shown as the key.
        return Principal(
            guild_id=key.guild_id,
            actor=Actor(user_id=key.created_by, guild_id=key.guild_id, is_staff=True),
            role_ids=frozenset(),
            bucket=f"key:{key.id}",
            label=f"API key “{key.name}”",
            server_key=True,
        )


def add_authenticator(app: FastAPI, authenticator: Authenticator) -> None:
    """Accept another kind of credential (tried after the server keys)."""
    app.state.desk.authenticators.append(authenticator)


def parse_snowflake(field: str, value: object) -> int:
    text = (
        str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    )
    if not (text.isascii() and text.isdigit() and len(text) <= 20) or not (
        0 < int(text) <= SNOWFLAKE_MAX
    ):
        raise InvalidInput(field, "api.snowflake")
    return int(text)


class Caller:
    """The principal of one request, and what it may act as."""

    def __init__(self, context: ApiContext, principal: Principal, t: Speech | None = None) -> None:
        self.context = context
        self.principal = principal
        self.t = t or speech()  # the language of sentences in answers (Accept-Language)
        self.services = context.services
        self.discord = context.discord_side

    async def acting(
        self, user_id: object = None, *, member_required: bool = False
    ) -> tuple[Actor, frozenset[int]]:
        """Who the call acts as, and their roles: the member named by `user_id` (server
        keys only), else the principal itself."""
        principal = self.principal
        if user_id is None:
            if member_required and principal.server_key:
                raise InvalidInput("user_id", "api.user_id_required")
            return principal.actor, principal.role_ids
        member_id = parse_snowflake("user_id", user_id)
        if not principal.server_key:
            if member_id == principal.actor.user_id:
                return principal.actor, principal.role_ids
            raise Forbidden("api.user_id_key_only")
        facts = await self.discord.member(principal.guild_id, member_id)
        if facts is None:
            raise InvalidInput("user_id", "api.not_a_member", user_id=str(member_id))
        config = await self.services.guilds.config(principal.guild_id)
        actor = member_actor(
            user_id=member_id,
            guild_id=principal.guild_id,
            role_ids=facts.role_ids,
            server_permissions=facts.server_permissions,
            config=config,
        )
        return actor, facts.role_ids

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Writes in this block queue their Discord side (core/events.py)."""
        with front_end_without_discord(self.principal.label):
            yield


async def caller(request: Request) -> Caller:
    """The dependency every endpoint but the health check takes."""
    context: ApiContext = request.app.state.desk
    principal = None
    for authenticator in context.authenticators:
        principal = await authenticator.authenticate(request)
        if principal is not None:
            break
    if principal is None:
        if request.headers.get("authorization"):
            raise Unauthorized("api.bad_credential")
        raise Unauthorized("api.no_credential")
    wait = await context.services.rate_limits.hit(principal.bucket)
    if wait is not None:
        raise TooManyRequests("api.rate_limited", retry_after=wait)
    return Caller(context, principal, request_speech(request))
