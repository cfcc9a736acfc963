"""Self-tests of the fake's sharding: each session gets its shard's guilds and events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import discord
import discord.gateway
import discord.http
import pytest
import yarl

from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.shards import (
    INVALID_SHARD,
    join_guild_on_shard,
    routed_to,
    sessions_that_got,
    shard_of,
)


class ShardedClient(discord.AutoShardedClient):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py's own waits 5 s between identifies; the fake does not mind


@pytest.fixture
def desk(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> Desk:
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    return Desk(fake)


async def connect(shard_ids: list[int], count: int = 2) -> ShardedClient:
    intents = discord.Intents(guilds=True, guild_messages=True, message_content=True)
    client = ShardedClient(
        intents=intents, shard_ids=shard_ids, shard_count=count, guild_ready_timeout=0.05
    )
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    client.event(on_ready)
    client.runner = asyncio.create_task(client.start("fake-token"))  # type: ignore[attr-defined]
    async with asyncio.timeout(5):
        await ready.wait()
    return client


@pytest.fixture
async def clients() -> AsyncIterator[list[ShardedClient]]:
    started: list[ShardedClient] = []
    yield started
    for client in started:
        await client.close()
        await client.runner  # type: ignore[attr-defined]


async def test_each_shard_gets_its_own_guilds(desk: Desk, clients) -> None:
    home = shard_of(desk.guild_id, 2)
    other = desk.in_guild(join_guild_on_shard(desk, (1 - home, 2)))
    assert shard_of(other.guild_id, 2) == 1 - home
    both = await connect([0, 1])
    clients.append(both)
    assert {g.id for g in both.guilds} == {desk.guild_id, other.guild_id}
    assert both.get_guild(other.guild_id).shard_id == 1 - home
    only_home = await connect([home])
    clients.append(only_home)
    assert [g.id for g in only_home.guilds] == [desk.guild_id]
    ready = [frame["d"] for s in desk.fake.gateway.sessions.values() for frame in s.backlog]
    shards_in_ready = sorted(d["shard"] for d in ready if "shard" in d)
    assert shards_in_ready == sorted([[0, 2], [1, 2], [home, 2]])


async def test_guild_events_go_to_their_shard_and_dms_to_shard_0(desk: Desk, clients) -> None:
    home = shard_of(desk.guild_id, 2)
    other = desk.in_guild(join_guild_on_shard(desk, (1 - home, 2)))
    clients.append(await connect([0]))
    clients.append(await connect([1]))
    said = await other.member("alice").say("general", "hello from the other server")
    got = sessions_that_got(desk, "MESSAGE_CREATE", {"id": str(said.id)})
    assert got == [(1 - home, 2)]
    assert routed_to((0, 2), "INTERACTION_CREATE", {"channel_id": "5"})  # a DM: shard 0
    assert not routed_to((1, 2), "INTERACTION_CREATE", {"channel_id": "5"})
    assert routed_to((1 - home, 2), "GUILD_DELETE", {"id": str(other.guild_id)})


async def test_an_impossible_shard_is_refused_and_gateway_bot_tells_the_budget(
    desk: Desk,
) -> None:
    desk.state.sharding.recommended_shards = 4
    desk.state.sharding.max_concurrency = 2
    async with aiohttp.ClientSession() as http:
        async with http.get(
            f"{desk.fake.api_base}/gateway/bot", headers={"Authorization": "Bot fake-token"}
        ) as response:
            body = await response.json()
        assert body["shards"] == 4 and body["session_start_limit"]["max_concurrency"] == 2
        async with http.ws_connect(desk.fake.gateway_url) as ws:
            await ws.receive_json()  # HELLO
            identify = {"token": "fake-token", "intents": 1, "properties": {}, "shard": [2, 2]}
            await ws.send_json({"op": 2, "d": identify})
            closed = await ws.receive()
        assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == INVALID_SHARD


async def test_identifies_too_close_in_one_bucket_are_a_violation(desk: Desk) -> None:
    sharding = desk.state.sharding
    sharding.identify_window, sharding.max_concurrency = 5.0, 2
    found: list[str] = []
    sharding.note_identify((0, 4), found)
    sharding.note_identify((1, 4), found)  # another bucket: fine
    assert found == []
    sharding.note_identify((2, 4), found)  # bucket 0 again, at once
    assert len(found) == 1 and "same max_concurrency bucket" in found[0]
