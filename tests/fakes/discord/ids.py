"""Snowflake ids and timestamps shaped like Discord's, so discord.py's `created_at` is sensible."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1420070400000


class Snowflakes:
    """Monotonic snowflakes: the timestamp part is real time, the low bits a counter."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._last = 0
        # Added to real time: a test that moves the bots' clock forward (their
        # TEST_CLOCK_OFFSET_FILE) moves this too, so messages made after it carry the time
        # the bots live in (discord.py's `created_at` is the snowflake's time).
        self.offset_seconds = 0.0

    def next(self) -> int:
        ms = int((time.time() + self.offset_seconds) * 1000) - DISCORD_EPOCH_MS
        candidate = (ms << 22) | (next(self._counter) & 0xFFF)
        # Ids must sort in creation order even within one millisecond (history uses before/after).
        self._last = max(candidate, self._last + 1)
        return self._last


def iso_now() -> str:
    return datetime.now(UTC).isoformat()
