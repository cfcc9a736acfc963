"""Shard ownership and SHARD_IDS: which process does a guild's work."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.shards import ShardSet, check_shard_ids, format_shard_ids, parse_shard_ids, shard_of

# A real server id: created 2015-2016, on shard 1 of 2 and shard 3 of 4 per Discord's formula.
GUILD = 81384788765712384


def test_a_guild_belongs_to_the_shard_of_its_ids_timestamp() -> None:
    assert shard_of(GUILD, 1) == 0
    assert shard_of(GUILD, 2) == (GUILD >> 22) % 2
    assert shard_of(GUILD, 4) == (GUILD >> 22) % 4
    # The low 22 bits (worker, process, counter) never move a guild to another shard.
    assert shard_of(GUILD | 0x3FFFFF, 16) == shard_of(GUILD & ~0x3FFFFF, 16)


@given(st.integers(min_value=1, max_value=2**63 - 1), st.integers(min_value=1, max_value=64))
def test_every_guild_is_held_by_exactly_one_of_the_processes(guild_id: int, count: int) -> None:
    processes = [ShardSet(count, (shard,)) for shard in range(count)]
    assert sum(process.holds(guild_id) for process in processes) == 1


def test_a_set_holds_its_shards_guilds_only() -> None:
    low, high = GUILD, GUILD + (1 << 22)  # one millisecond later: the next shard
    halves = ShardSet(2, (shard_of(low, 2),))
    assert halves.holds(low) and not halves.holds(high)
    assert halves.held([high, low, high]) == [low]
    assert not halves.holds_all and ShardSet(2, (0, 1)).holds_all
    assert ShardSet(4, (0, 1, 3)).describe() == "shards 0-1,3 of 4"


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("0", (0,)),
        ("0,1", (0, 1)),
        ("0-3", (0, 1, 2, 3)),
        (" 4, 0 - 1 ", (0, 1, 4)),
        ("7-7", (7,)),
    ],
)
def test_shard_ids_are_a_list_or_ranges(text: str, ids: tuple[int, ...]) -> None:
    assert parse_shard_ids(text) == ids


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "expected shard ids like 0,1 or a range like 0-3"),
        ("0,,1", "expected shard ids like 0,1"),
        ("one", "got 'one'"),
        ("-1", "expected shard ids"),
        ("3-1", "the range '3-1' runs backwards (write 1-3)"),
        ("0-2,1", "shard 1 is listed twice"),
        ("0-99999999", "names more than"),
    ],
)
def test_bad_shard_ids_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_shard_ids(text)


def test_an_id_must_be_below_the_count() -> None:
    check_shard_ids((0, 1), 2)
    with pytest.raises(ValueError, match="shard 2 does not exist with SHARD_COUNT=2"):
        check_shard_ids((0, 2), 2)


def test_ids_are_written_back_folded() -> None:
    assert format_shard_ids([5, 0, 2, 1]) == "0-2,5"
    assert format_shard_ids([3]) == "3"
