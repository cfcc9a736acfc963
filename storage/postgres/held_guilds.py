"""The guild filter of the sweeps and the catch-up: only the guilds this process holds.

With several shard processes each asks only for its own guilds (core/shards.py). The ids
go in as one bigint[] parameter, so 2,500 guilds are still one statement; None (one
process holds every guild) filters nothing.
"""

from __future__ import annotations

from collections.abc import Collection


def held_guilds(column: str, parameter: int) -> str:
    """A condition on `column` against the bigint[] parameter `$parameter` (NULL: any)."""
    return f"(${parameter}::bigint[] IS NULL OR {column} = ANY(${parameter}::bigint[]))"


def guild_list(guild_ids: Collection[int] | None) -> list[int] | None:
    return None if guild_ids is None else list(guild_ids)
