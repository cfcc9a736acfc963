"""Per-route rate-limit buckets, answered with Discord's headers and 429 bodies.

Every REST answer carries `X-RateLimit-Limit`, `-Remaining`, `-Reset`, `-Reset-After` and
`-Bucket`, so discord.py's bucket logic runs as it does against Discord. A request over
its bucket's limit gets a 429 with `retry_after` and `global` in the body, `Retry-After`,
`X-RateLimit-Scope` and `Via` headers (without `Via` discord.py takes a 429 for a
Cloudflare ban and gives up).

Buckets are per route and per major parameter (channel, guild, webhook or interaction),
as Discord's are. Discord does not publish its per-route numbers; the default here is 50
requests a second (its global cap, which no single bucket can beat), so ordinary tests
never wait. A test tightens one route with `limit()` or makes Discord hold a route for a
while, as it does with thread creation under load, with `hold()`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import DiscordError

MAJOR_PARAMETERS = ("channel_id", "guild_id", "application_id", "interaction_id", "token")
DEFAULT_LIMIT, DEFAULT_WINDOW = 50, 1.0


@dataclass
class Rule:
    limit: int
    window: float  # seconds


@dataclass
class Window:
    remaining: int
    resets_at: float  # on the fake's clock


@dataclass
class Hit:
    """One 429 the fake answered, for tests to inspect."""

    method: str
    route: str
    retry_after: float


class RateLimits:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.rules: dict[tuple[str, str], Rule] = {}
        self.holds: dict[tuple[str, str], float] = {}  # route -> held until (fake clock)
        self.windows: dict[tuple[str, tuple[str, ...]], Window] = {}
        self.hits: list[Hit] = []

    # -- knobs for tests ----------------------------------------------------------------
    def limit(self, method: str, route: str, limit: int, window: float) -> None:
        """Give `route` (e.g. "/channels/{channel_id}/messages") its own limit per window."""
        self.rules[(method.upper(), route)] = Rule(limit, window)

    def hold(self, method: str, route: str, seconds: float) -> None:
        """Answer every request to `route` with a 429 for the next `seconds`."""
        self.holds[(method.upper(), route)] = self._clock() + seconds

    # -- per request --------------------------------------------------------------------
    def take(self, method: str, route: str, params: Mapping[str, str]) -> dict[str, str]:
        """Count one request; the headers for its answer, or a 429 when over the limit."""
        key = (method.upper(), route)
        rule = self.rules.get(key, Rule(DEFAULT_LIMIT, DEFAULT_WINDOW))
        bucket = _bucket_hash(*key)
        major = tuple(params[name] for name in MAJOR_PARAMETERS if name in params)
        now = self._clock()
        window = self.windows.get((bucket, major))
        if window is None or now >= window.resets_at:
            window = Window(remaining=rule.limit, resets_at=now + rule.window)
            self.windows[(bucket, major)] = window
        held_until = self.holds.get(key, 0.0)
        if now < held_until:
            self._refuse(key, bucket, rule, held_until - now)
        if window.remaining <= 0:
            self._refuse(key, bucket, rule, window.resets_at - now)
        window.remaining -= 1
        return _headers(bucket, rule.limit, window.remaining, window.resets_at - now)

    def _refuse(self, key: tuple[str, str], bucket: str, rule: Rule, wait: float) -> None:
        wait = round(max(wait, 0.001), 3)
        self.hits.append(Hit(key[0], key[1], wait))
        headers = _headers(bucket, rule.limit, 0, wait)
        headers.update(
            {
                "Retry-After": str(max(1, round(wait))),
                "X-RateLimit-Scope": "user",
                "Via": "1.1 google",
            }
        )
        raise DiscordError(
            429,
            0,
            "You are being rate limited.",
            headers=headers,
            extra={"retry_after": wait, "global": False},
        )


def _headers(bucket: str, limit: int, remaining: int, reset_after: float) -> dict[str, str]:
    reset_after = max(reset_after, 0.0)
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket,
    }


def _bucket_hash(method: str, route: str) -> str:
    # Discord's bucket ids are opaque hashes; one per route is enough for the fake.
    return hashlib.sha1(f"{method} {route}".encode()).hexdigest()[:16]
