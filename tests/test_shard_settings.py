"""SHARD_COUNT and SHARD_IDS: a bad combination stops start-up with one clear line."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.settings import Settings, describe_settings_error
from core.shards import ShardSet
from tests.test_settings import start_bot


def settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name in ("SHARD_COUNT", "SHARD_IDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"DISCORD_TOKEN": "t", **env}.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_unset_means_one_connection(monkeypatch) -> None:
    assert settings(monkeypatch).shards is None


@pytest.mark.parametrize(
    ("env", "shards"),
    [
        ({"SHARD_COUNT": "2"}, ShardSet(2, (0, 1))),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1"}, ShardSet(2, (1,))),
        ({"SHARD_COUNT": "8", "SHARD_IDS": "4-7"}, ShardSet(8, (4, 5, 6, 7))),
        ({"SHARD_COUNT": "4", "SHARD_IDS": ""}, ShardSet(4, (0, 1, 2, 3))),
    ],
)
def test_a_process_holds_the_shards_it_is_given(monkeypatch, env, shards) -> None:
    assert settings(monkeypatch, **env).shards == shards


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"SHARD_IDS": "0,1"},
            "SHARD_IDS is invalid: needs SHARD_COUNT too (how many shards the bot has in all)",
        ),
        (
            {"SHARD_COUNT": "2", "SHARD_IDS": "0,2"},
            "SHARD_IDS is invalid: shard 2 does not exist with SHARD_COUNT=2 "
            "(shard ids run from 0 to 1)",
        ),
        (
            {"SHARD_COUNT": "4", "SHARD_IDS": "0;1"},
            "SHARD_IDS is invalid: expected shard ids like 0,1 or a range like 0-3, got '0;1'",
        ),
        (
            {"SHARD_COUNT": "0"},
            "SHARD_COUNT is invalid: Input should be greater than or equal to 1",
        ),
    ],
)
def test_a_bad_combination_is_one_line(monkeypatch, env, line) -> None:
    with pytest.raises(ValidationError) as caught:
        settings(monkeypatch, **env)
    assert describe_settings_error(caught.value) == f"Configuration error: {line}"


def test_the_bot_stops_at_start_up_naming_the_shard(tmp_path) -> None:
    result = start_bot(tmp_path, DISCORD_TOKEN="t", SHARD_COUNT="2", SHARD_IDS="1,2")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SHARD_IDS is invalid: shard 2 does not exist with SHARD_COUNT=2 "
        "(shard ids run from 0 to 1)"
    ]
