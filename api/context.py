"""What every endpoint reaches (`request.app.state.desk`), and the credential seam."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from fastapi import Request

from api.ports import DiscordSide
from core.models import Actor
from core.services import Services
from core.settings import Settings


@dataclass(frozen=True)
class Principal:
    """A caller whose credential checked out."""

    guild_id: int
    actor: Actor  # who acts when the call names no member
    role_ids: frozenset[int]  # the actor's roles (forms may require one)
    bucket: str  # the rate-limit counter of this credential
    label: str  # how Discord shows who acted, e.g. 'API key “CRM”'
    server_key: bool  # may name a member with `user_id`


class Authenticator(Protocol):
    async def authenticate(self, request: Request) -> Principal | None:
        """The caller, or None if the request has no credential of this kind. Raise
        `api.errors.Unauthorized` for a credential of this kind that is not (or no
        longer) valid."""
        ...


@dataclass
class ApiContext:
    services: Services
    settings: Settings
    discord_side: DiscordSide
    authenticators: list[Authenticator] = field(default_factory=list)
