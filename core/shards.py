"""Which process does a guild's work: ownership by shard (SPEC §10).

A desk may run as several processes, each holding some of the gateway's shards
(`SHARD_COUNT`, `SHARD_IDS`). A guild belongs to shard `(guild_id >> 22) % SHARD_COUNT`
(the timestamp part of its id, as the gateway routes it), and its work that no event
brings (threads for tickets opened elsewhere, the inactivity sweeps, finishing closes,
catching up after a session) is done only by the process holding that shard. Work that
belongs to no guild (a button in a direct message) is done by whoever receives it.

Plain arithmetic on ids, so every front end and every process agrees on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Discord allows far fewer; this only keeps a typo from asking for a million sessions.
MAX_SHARD_COUNT = 65536

_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a guild belongs to, out of `shard_count`."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardSet:
    """The shards this process holds, out of `count`."""

    count: int
    ids: tuple[int, ...]

    def holds(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids

    def held(self, guild_ids: Iterable[int]) -> list[int]:
        """The guilds of `guild_ids` whose shard this process holds, in order."""
        return [guild_id for guild_id in guild_ids if self.holds(guild_id)]

    @property
    def holds_all(self) -> bool:
        return len(self.ids) == self.count

    def describe(self) -> str:
        return f"shards {format_shard_ids(self.ids)} of {self.count}"


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """`"0,1"`, `"0-3"` or a mix (`"0-1,4"`) as sorted ids; ValueError with a readable
    message for anything else (an empty part, a reversed range, an id listed twice)."""
    ids: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if part.isdigit():
            ids.append(int(part))
        elif match := _RANGE.match(part):
            first, last = int(match[1]), int(match[2])
            if first > last:
                raise ValueError(f"the range {part!r} runs backwards (write {last}-{first})")
            if last - first >= MAX_SHARD_COUNT:
                raise ValueError(f"the range {part!r} names more than {MAX_SHARD_COUNT} shards")
            ids.extend(range(first, last + 1))
        else:
            raise ValueError(
                f"expected shard ids like 0,1 or a range like 0-3, got {text.strip()!r}"
            )
    seen: set[int] = set()
    for shard_id in ids:
        if shard_id in seen:
            raise ValueError(f"shard {shard_id} is listed twice")
        seen.add(shard_id)
    return tuple(sorted(ids))


def check_shard_ids(ids: tuple[int, ...], count: int) -> None:
    """Every id must name one of the `count` shards (0 to count - 1)."""
    too_big = [shard_id for shard_id in ids if shard_id >= count]
    if too_big:
        raise ValueError(
            f"shard {too_big[0]} does not exist with SHARD_COUNT={count} "
            f"(shard ids run from 0 to {count - 1})"
        )


def format_shard_ids(ids: Iterable[int]) -> str:
    """Sorted ids with runs folded: (0, 1, 2, 5) -> "0-2,5"."""
    parts: list[str] = []
    run: list[int] = []
    for shard_id in sorted(ids):
        if run and shard_id == run[-1] + 1:
            run.append(shard_id)
            continue
        if run:
            parts.append(_run(run))
        run = [shard_id]
    if run:
        parts.append(_run(run))
    return ",".join(parts)


def _run(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}"
