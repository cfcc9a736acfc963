"""The guild filter of the sweeps and the catch-up: only the guilds this process holds.

With several shard processes each asks only for its own guilds (core/shards.py). The ids
go in as one JSON array parameter, so 2,500 guilds are still one statement; None (one
process holds every guild) filters nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection


def held_guilds(column: str, guild_ids: Collection[int] | None) -> tuple[str, dict[str, str]]:
    """A condition on `column` and its named parameter, for a query with named parameters."""
    if guild_ids is None:
        return "1", {}
    return (
        f"{column} IN (SELECT value FROM json_each(:held_guilds))",
        {"held_guilds": json.dumps(list(guild_ids))},
    )
