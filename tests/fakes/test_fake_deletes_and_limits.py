"""Self-tests of the fake's deletes (THREAD_DELETE, CHANNEL_DELETE) and rate-limit buckets."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk

MESSAGES = "/channels/{channel_id}/messages"


@pytest.fixture
def desk(fake: FakeDiscord) -> Desk:
    return Desk(fake)


async def _thread(client: discord.Client, desk: Desk, name: str = "ticket") -> discord.Thread:
    tickets = client.get_channel(desk.channel("tickets").id)
    assert isinstance(tickets, discord.TextChannel)
    thread = await tickets.create_thread(name=name, type=discord.ChannelType.private_thread)
    await desk.wait_for(lambda: client.get_channel(thread.id), message="THREAD_CREATE")
    return thread


async def test_admin_deletes_a_thread(client: discord.Client, desk: Desk) -> None:
    thread = await _thread(client, desk)
    deleted: list[discord.RawThreadDeleteEvent] = []
    client.event(_collect(deleted, "on_raw_thread_delete"))
    desk.delete_channel(thread.id)
    await desk.wait_for(lambda: deleted, message="THREAD_DELETE")
    raw = deleted[0]
    assert (raw.thread_id, raw.parent_id, raw.guild_id) == (
        thread.id,
        desk.channel("tickets").id,
        desk.guild_id,
    )
    assert client.get_channel(thread.id) is None
    with pytest.raises(discord.NotFound) as gone:
        await thread.send("anyone?")
    assert gone.value.code == 10003
    with pytest.raises(discord.NotFound):
        await client.fetch_channel(thread.id)


async def test_deleting_a_channel_takes_its_threads(client: discord.Client, desk: Desk) -> None:
    thread = await _thread(client, desk)
    channels: list[discord.abc.GuildChannel] = []
    client.event(_collect(channels, "on_guild_channel_delete"))
    desk.delete_channel("tickets")
    await desk.wait_for(lambda: channels, message="CHANNEL_DELETE")
    assert channels[0].name == "tickets"
    # Discord sends no THREAD_DELETE for the threads of a deleted channel.
    sent = [e for e in desk.state.request_log if e["method"] == "DELETE"]
    assert sent == []
    with pytest.raises(discord.NotFound):
        await client.fetch_channel(thread.id)


async def test_bot_deletes_its_thread_with_manage_threads(
    client: discord.Client, desk: Desk
) -> None:
    thread = await _thread(client, desk)
    await thread.delete()
    assert thread.id not in desk.state.channels
    general = client.get_channel(desk.channel("general").id)
    assert isinstance(general, discord.TextChannel)
    with pytest.raises(discord.Forbidden):
        await general.delete()  # the bot has no Manage Channels


async def test_buckets_send_discord_headers(fake: FakeDiscord, desk: Desk) -> None:
    url = f"{fake.api_base}/channels/{desk.channel('general').id}"
    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers={"Authorization": "Bot x"}) as first:
            assert first.status == 200
            assert first.headers["X-RateLimit-Limit"] == "50"
            assert first.headers["X-RateLimit-Remaining"] == "49"
            assert 0 < float(first.headers["X-RateLimit-Reset-After"]) <= 1.0
            assert float(first.headers["X-RateLimit-Reset"]) > 1e9  # a unix time
            bucket = first.headers["X-RateLimit-Bucket"]
        async with session.get(url) as second:
            assert second.headers["X-RateLimit-Remaining"] == "48"
            assert second.headers["X-RateLimit-Bucket"] == bucket


async def test_tight_bucket_makes_discord_py_wait_not_fail(
    client: discord.Client, desk: Desk
) -> None:
    desk.rate_limit("POST", MESSAGES, limit=2, window=0.5)
    general = client.get_channel(desk.channel("general").id)
    assert isinstance(general, discord.TextChannel)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for n in range(5):
        await general.send(f"message {n}")
    # Five messages at two per half second: discord.py read the headers and waited.
    assert loop.time() - started >= 0.9
    assert len(desk.messages("general")) == 5
    assert desk.rate_limited(MESSAGES) == []


async def test_held_route_answers_429_then_lets_through(client: discord.Client, desk: Desk) -> None:
    desk.hold_route("POST", "/channels/{channel_id}/threads", seconds=0.6)
    thread = await _thread(client, desk)
    hits = desk.rate_limited("/channels/{channel_id}/threads")
    assert hits and 0 < hits[0].retry_after <= 0.6
    answers = [e for e in desk.state.request_log if e["route"].endswith("/threads")]
    assert [e["status"] for e in answers][-2:] == [429, 201]
    assert answers[0]["response"]["global"] is False
    assert thread.id in desk.state.channels


def _collect(target: list, event: str):
    async def listener(item: object) -> None:
        target.append(item)

    listener.__name__ = event  # a plain Client registers handlers by function name
    return listener
