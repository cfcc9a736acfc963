"""Self-tests of the fake gateway's sessions: resume with replay, ended sessions, outages."""

from __future__ import annotations

import asyncio

import aiohttp
import discord

from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk


def _seen(client: discord.Client, desk: Desk, message_id: int) -> bool:
    channel = client.get_channel(desk.channel("general").id)
    return isinstance(channel, discord.TextChannel) and channel.last_message_id == message_id


async def test_dropped_connection_resumes_on_the_resume_url_and_replays(
    client: discord.Client, fake: FakeDiscord
) -> None:
    desk = Desk(fake)
    fake.gateway.outage.begin()
    await fake.gateway.drop_connections()
    await desk.wait_for(lambda: fake.gateway.outage.waiting, message="a held reconnect")
    said = await desk.member("alice").say("general", "typed while the bot was away")
    assert not _seen(client, desk, said.id)
    fake.gateway.outage.end()
    await desk.wait_for(lambda: fake.gateway.resumes == 1, message="RESUME")
    await desk.wait_for(lambda: _seen(client, desk, said.id), message="the replayed message")
    assert fake.gateway.readies == 1 and not fake.state.violations


async def test_invalid_session_not_resumable_means_a_new_identify(
    client: discord.Client, fake: FakeDiscord
) -> None:
    desk = Desk(fake)
    await desk.invalidate_session(resumable=False)
    assert fake.gateway.readies == 2 and len(fake.gateway.identifies) == 2
    said = await desk.member("alice").say("general", "hello new session")
    await desk.wait_for(lambda: _seen(client, desk, said.id), message="events in the new session")


async def test_invalid_session_resumable_resumes(client: discord.Client, fake: FakeDiscord) -> None:
    desk = Desk(fake)
    await desk.invalidate_session(resumable=True)
    assert fake.gateway.resumes == 1 and fake.gateway.readies == 1


async def test_events_of_an_ended_session_are_gone(
    client: discord.Client, fake: FakeDiscord
) -> None:
    desk = Desk(fake)
    async with desk.gateway_outage(end_session=True):
        lost = await desk.member("alice").say("general", "nobody hears this")
    # The new READY's GUILD_CREATE tells the client where the channel is, not the message.
    await desk.wait_for(lambda: _seen(client, desk, lost.id), message="the channel's last id")
    assert fake.gateway.readies == 2
    assert all(
        f["t"] != "MESSAGE_CREATE" for s in fake.gateway.sessions.values() for f in s.backlog
    )


async def test_a_client_closing_with_1000_ends_its_session(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as http, http.ws_connect(fake.gateway_url) as ws:
        assert (await ws.receive_json())["op"] == 10
        await ws.send_json({"op": 2, "d": {"token": "t", "intents": 1, "properties": {}}})
        ready = await ws.receive_json()
        assert ready["t"] == "READY" and ready["d"]["resume_gateway_url"].endswith("/resume")
        await ws.close(code=1000)
    await Desk(fake).wait_for(lambda: not fake.gateway.sessions, message="the session to end")


async def test_reconnect_opcode_resumes(client: discord.Client, fake: FakeDiscord) -> None:
    await Desk(fake).send_reconnect()
    assert fake.gateway.resumes == 1


async def test_a_held_request_waits_for_release(client: discord.Client, fake: FakeDiscord) -> None:
    desk = Desk(fake)
    channel = client.get_channel(desk.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    hold = desk.hold_request(
        "POST", "/channels/{channel_id}/messages", channel="general", after=True
    )
    sending = asyncio.create_task(channel.send("slow"))
    await desk.wait_for(lambda: hold.reached, message="the held answer")
    assert [m.text for m in desk.messages("general")] == ["slow"]  # it took effect already
    assert not sending.done()
    hold.release()
    sent = await sending
    assert sent.content == "slow"
