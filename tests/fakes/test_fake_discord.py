"""Self-tests of the fake Discord, driven by a plain in-process discord.py client."""

from __future__ import annotations

import io

import discord
import pytest
from discord import app_commands
from discord.http import Route

from tests.fakes.discord import FakeDiscord
from tests.fakes.discord import interactions as build
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.interactions import ClientRefused


@pytest.fixture
def desk(fake: FakeDiscord) -> Desk:
    return Desk(fake)


@pytest.fixture
async def tree(client: discord.Client, fake: FakeDiscord) -> app_commands.CommandTree:
    return app_commands.CommandTree(client)


async def sync(tree: app_commands.CommandTree, fake: FakeDiscord) -> None:
    """Sync to the test guild, as the bot does with DEV_GUILD_ID."""
    guild = discord.Object(fake.guild.id)
    tree.copy_global_to(guild=guild)
    await tree.sync(guild=guild)


async def test_login_ready_and_guild_create(client: discord.Client, fake: FakeDiscord) -> None:
    assert client.user is not None and client.user.id == fake.state.application_id
    guild = client.get_guild(fake.guild.id)
    assert guild is not None
    assert {"general", "tickets", "logs", "reviews"} <= {c.name for c in guild.text_channels}
    assert {"Staff", "Billing", "Admin"} <= {r.name for r in guild.roles}
    assert [r["route"] for r in fake.state.request_log[:2]] == [
        "/users/@me",
        "/oauth2/applications/@me",
    ]


async def test_private_thread_message_mentions_and_history(
    client: discord.Client, fake: FakeDiscord, desk: Desk
) -> None:
    tickets = client.get_channel(desk.channel("tickets").id)
    assert isinstance(tickets, discord.TextChannel)
    thread = await tickets.create_thread(
        name="#1 Printer", type=discord.ChannelType.private_thread, invitable=False
    )
    # create_thread does not cache; the THREAD_CREATE event must arrive for get_channel.
    await desk.wait_for(lambda: client.get_channel(thread.id), message="THREAD_CREATE")
    staff = desk.role("Staff")
    first = await thread.send(
        f"@everyone <@&{staff['id']}> please help",
        allowed_mentions=discord.AllowedMentions(
            everyone=False, roles=[discord.Object(staff["id"])]
        ),
    )
    second = await thread.send("second")
    stored = desk.messages(thread.id)
    assert [m.id for m in stored] == [first.id, second.id]
    assert not stored[0].mention_everyone and stored[0].mentioned_role_ids == [int(staff["id"])]
    # A role ping in a private thread brings that role's members in.
    assert desk.member("staff").id in desk.thread_member_ids(thread.id)
    older = [m.id async for m in thread.history(limit=10, before=second)]
    assert older == [first.id]
    await thread.edit(archived=True, locked=True)
    assert desk.channel(thread.id).locked


async def test_attachments_are_served_back(client: discord.Client, desk: Desk) -> None:
    logs = client.get_channel(desk.channel("logs").id)
    assert isinstance(logs, discord.TextChannel)
    sent = await logs.send(
        "transcript", file=discord.File(io.BytesIO(b"<html>hi</html>"), "t.html")
    )
    assert await sent.attachments[0].read() == b"<html>hi</html>"
    assert desk.messages("logs")[-1].attachment_named(".html")[1] == b"<html>hi</html>"


async def test_spec_violation_is_caught(
    client: discord.Client, fake: FakeDiscord, desk: Desk
) -> None:
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=desk.channel("general").id)
    with pytest.raises(discord.HTTPException) as caught:
        await client.http.request(route, json={"content": 5})
    assert caught.value.code == 50035
    threads = Route("POST", "/channels/{channel_id}/threads", channel_id=desk.channel("tickets").id)
    with pytest.raises(discord.HTTPException):
        await client.http.request(threads, json={"type": 12})  # no name
    assert len(fake.state.violations) == 2
    assert "content" in fake.state.violations[0]
    assert "'name' is a required property" in fake.state.violations[1]
    fake.state.violations.clear()  # expected ones; the fixture fails on any left over


async def test_discord_errors(client: discord.Client, desk: Desk) -> None:
    with pytest.raises(discord.NotFound) as unknown:
        await client.http.get_channel(1234)
    assert unknown.value.code == 10003
    desk.deny_bot("tickets", "create_private_threads")
    tickets = client.get_channel(desk.channel("tickets").id)
    assert isinstance(tickets, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as forbidden:
        await tickets.create_thread(name="x", type=discord.ChannelType.private_thread)
    assert forbidden.value.code == 50013
    with pytest.raises(discord.HTTPException) as too_long:
        await tickets.send("x" * 2001)
    assert too_long.value.code == 50035
    desk.close_dms("alice")
    alice = await client.fetch_user(desk.member("alice").id)
    with pytest.raises(discord.Forbidden) as closed:
        await alice.send("your ticket was answered")
    assert closed.value.code == 50007


async def test_injected_429_is_retried(
    client: discord.Client, fake: FakeDiscord, desk: Desk
) -> None:
    fake.inject("POST", "/channels/{channel_id}/messages", status=429, times=1)
    general = client.get_channel(desk.channel("general").id)
    assert isinstance(general, discord.TextChannel)
    await general.send("after a rate limit")
    statuses = [r["status"] for r in fake.state.request_log if r["method"] == "POST"]
    assert statuses[-2:] == [429, 200]


async def test_slash_reply_deferred_followup_and_refusals(
    tree: app_commands.CommandTree, fake: FakeDiscord, desk: Desk
) -> None:
    @tree.command(name="ping", description="Ping")
    async def ping(interaction: discord.Interaction, word: str, times: int = 1) -> None:
        await interaction.response.send_message(word * times, ephemeral=True)

    @tree.command(name="slow", description="Slow")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("done", ephemeral=True)

    await sync(tree, fake)
    assert set(desk.commands()) == {"ping", "slow"}
    alice = desk.member("alice")
    reply = await alice.slash("ping", word="hi", times=2)
    assert reply.text == "hihi" and reply.ephemeral and reply.callback_type == 4
    slow_reply = await alice.slash("slow")
    assert slow_reply.deferred and slow_reply.text == "done" and slow_reply.ephemeral
    with pytest.raises(ClientRefused, match="never synced"):
        await alice.slash("ticket create", subject="x")
    with pytest.raises(ClientRefused, match="required"):
        await alice.slash("ping")


async def test_button_click_and_modal_submit(
    tree: app_commands.CommandTree, fake: FakeDiscord, desk: Desk
) -> None:
    class Reason(discord.ui.Modal, title="Close ticket"):
        reason = discord.ui.TextInput(label="Reason", max_length=200)

        async def on_submit(self, interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"closed: {self.reason.value}")

    class Panel(discord.ui.View):
        @discord.ui.button(label="Close", custom_id="panel:close")
        async def close(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
            await interaction.response.send_modal(Reason())

        @discord.ui.button(label="Count", custom_id="panel:count")
        async def count(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
            await interaction.response.edit_message(content="counted")

    @tree.command(name="panel", description="Panel")
    async def panel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("panel", view=Panel())

    await sync(tree, fake)
    staff = desk.member("staff")
    shown = await staff.slash("panel", in_channel="general")
    assert shown.buttons == ["Close", "Count"] and not shown.ephemeral
    counted = await staff.click(shown, "Count")
    assert counted.callback_type == 7 and desk.messages("general")[-1].content == "counted"
    opened = await staff.click(shown, "Close")
    assert opened.modal.title == "Close ticket" and opened.modal.labels == ["Reason"]
    with pytest.raises(ClientRefused):
        await desk.member("bob").submit_modal(opened, {"Reason": "no"})
    done = await staff.submit_modal(opened, {"Reason": "fixed"})
    assert done.text == "closed: fixed"


async def test_autocomplete_choices(
    tree: app_commands.CommandTree, fake: FakeDiscord, desk: Desk
) -> None:
    async def forms(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = ["moderator", "helper", "moderation team"]
        return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

    @tree.command(name="apply", description="Apply")
    @app_commands.autocomplete(form=forms)
    async def apply(interaction: discord.Interaction, form: str) -> None:
        await interaction.response.send_message(form)

    await sync(tree, fake)
    choices = await desk.member("alice").autocomplete("apply", "form", "mod")
    assert [c["name"] for c in choices] == ["moderator", "moderation team"]


async def test_double_and_late_callbacks_are_rejected(
    tree: app_commands.CommandTree, fake: FakeDiscord, desk: Desk
) -> None:
    codes: list[int] = []

    @tree.command(name="twice", description="Answers twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("one")
        interaction.response._response_type = None  # bypass discord.py's own guard
        try:
            await interaction.response.send_message("two")
        except discord.HTTPException as error:
            codes.append(error.code)

    @tree.command(name="late", description="Answers after the deadline")
    async def late(interaction: discord.Interaction) -> None:
        fake.state.advance_clock(4)  # as if the handler had blocked for 4 s
        try:
            await interaction.response.send_message("too late")
        except discord.HTTPException as error:
            codes.append(error.code)

    await sync(tree, fake)
    alice = desk.member("alice")
    await alice.slash("twice")
    await desk.wait_for(lambda: codes == [40060], message="the 40060 rejection")
    channel = desk.channel_payload("general")
    data = build.command_data(fake.state, fake.guild, alice.id, channel, "late", {})
    payload = build.base_payload(fake.state, fake.guild, alice.id, channel, 2, data)
    record = build.register(fake.state, payload)
    await desk.wait_for(lambda: codes == [40060, 10062], message="the 10062 rejection")
    assert record.callback_type is None


async def test_reconnect_resumes_and_replays(
    client: discord.Client, fake: FakeDiscord, desk: Desk
) -> None:
    await fake.gateway.request_reconnect()
    await desk.wait_for(lambda: fake.gateway.resumes == 1, message="RESUME")
    said = await desk.member("alice").say("general", "still there?")
    await desk.wait_for(
        lambda: client.get_channel(desk.channel("general").id).last_message_id == said.id,  # type: ignore[union-attr]
        message="MESSAGE_CREATE after the resume",
    )
