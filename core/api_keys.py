"""Server keys for the HTTP API (SPEC §8): created by an admin, shown once, kept as a hash.

A key reads `tdk_<prefix>_<secret>`. The prefix is public (it finds the key's row, and
the list of keys shows it so admins can tell keys apart); only the SHA-256 of the whole
key is stored, and a presented key is checked against it in constant time. Keys are never
logged. A key gives staff access to its own server's desk and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

from core.clock import Clock
from core.errors import InvalidInput, LimitReached, NotFound
from core.integration_models import ApiKey
from core.models import Actor
from core.policy import require_admin
from core.ports import Store, UnitOfWork
from core.validation import clean_text

log = logging.getLogger(__name__)

NAME_MAX = 32
MAX_KEYS = 25
_KEY = re.compile(r"^tdk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")
# Compared against when no key has the presented prefix, so a miss takes as long as a hit.
_NOBODY = hashlib.sha256(b"no such key").hexdigest()


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    """(prefix, the whole key)."""
    prefix = secrets.token_hex(6)
    return prefix, f"tdk_{prefix}_{secrets.token_urlsafe(32)}"


class ApiKeyService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def create(self, actor: Actor, name: object) -> tuple[ApiKey, str]:
        """A new key for the actor's server: the record, and the key to show once."""
        require_admin(actor)
        label = clean_text("name", name, max_length=NAME_MAX, multiline=False)
        prefix, key = new_key()
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> ApiKey | None:
            if len(await uow.api_keys.of_guild(actor.guild_id)) >= MAX_KEYS:
                raise LimitReached("api_key.too_many", max=MAX_KEYS)
            return await uow.api_keys.insert(
                guild_id=actor.guild_id,
                name=label,
                prefix=prefix,
                key_hash=key_hash(key),
                created_by=actor.user_id,
                now=now,
            )

        record = await self._store.write(work)
        if record is None:
            raise InvalidInput("name", "api_key.name_taken", name=label)
        log.info("API key %r (%s) created in guild %s", label, prefix, actor.guild_id)
        return record, key

    async def list(self, actor: Actor) -> list[ApiKey]:
        require_admin(actor)
        return await self._store.reads.api_keys.of_guild(actor.guild_id)

    async def revoke(self, actor: Actor, name: str) -> ApiKey:
        require_admin(actor)
        now = self._clock.now()
        revoked = await self._store.write(
            lambda uow: uow.api_keys.revoke(actor.guild_id, name.strip(), now)
        )
        if revoked is None:
            raise NotFound("api_key.not_found", name=name.strip()[:NAME_MAX])
        log.info(
            "API key %r (%s) revoked in guild %s", revoked.name, revoked.prefix, actor.guild_id
        )
        return revoked

    async def authenticate(self, presented: str) -> ApiKey | None:
        """The live key `presented` is, or None (unknown, malformed or revoked)."""
        match = _KEY.match(presented)
        record = await self._store.reads.api_keys.by_prefix(match.group(1)) if match else None
        stored = record.key_hash if record is not None else _NOBODY
        if not hmac.compare_digest(key_hash(presented), stored) or record is None:
            return None
        return None if record.revoked_at is not None else record
