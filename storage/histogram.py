"""The median first response from a per-guild histogram (SQLite 0013, PostgreSQL 0014).

Both stores keep, by trigger, how many answered tickets each guild has per bucket of
first-response time. The bucket holding the middle is found by summing those counters; the
values themselves are then one OFFSET into that bucket's index entries, so the read stays
a few hundred counters and one bucket at any guild size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class MiddleRead(NamedTuple):
    """Read `limit` first-response times from `lo` up, skipping `offset` of them; their
    mean is the median."""

    lo: float
    limit: int
    offset: int


def middle_of(buckets: Sequence[tuple[float, int]]) -> MiddleRead | None:
    """`buckets`: (lower edge, count) in edge order, counts > 0. None without answers."""
    count = sum(n for _, n in buckets)
    if not count:
        return None
    lower_middle = (count - 1) // 2  # 0-based rank; an even count averages two values
    before, bucket = 0, 0
    while before + buckets[bucket][1] <= lower_middle:
        before += buckets[bucket][1]
        bucket += 1
    return MiddleRead(buckets[bucket][0], 2 - count % 2, lower_middle - before)
