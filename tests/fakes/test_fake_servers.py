"""Self-tests of the fake's permission arithmetic, several servers, and deleted roles."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from tests.fakes.discord import FakeDiscord
from tests.fakes.discord import permissions as perms
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.interactions import ClientRefused


@pytest.fixture
def desk(fake: FakeDiscord) -> Desk:
    return Desk(fake)


async def test_interactions_carry_channel_permissions_with_overwrites(
    client: discord.Client, fake: FakeDiscord, desk: Desk
) -> None:
    tree = app_commands.CommandTree(client)
    seen: list[tuple[int, int, int]] = []

    @tree.command(name="whoami", description="Permissions here and server-wide")
    async def whoami(interaction: discord.Interaction) -> None:
        member = interaction.user
        assert isinstance(member, discord.Member)
        seen.append(
            (
                interaction.permissions.value,
                member.guild_permissions.value,
                interaction.app_permissions.value,
            )
        )
        await interaction.response.send_message("ok", ephemeral=True)

    tree.copy_global_to(guild=discord.Object(fake.guild.id))
    await tree.sync(guild=discord.Object(fake.guild.id))
    desk.overwrite("tickets", member="bob", allow=("manage_threads",))
    desk.overwrite("tickets", role="@everyone", deny=("embed_links",))
    desk.deny_bot("tickets", "attach_files")
    bob = desk.member("bob")
    await bob.slash("whoami", in_channel="tickets")
    await bob.slash("whoami", in_channel="general")
    (here, server_wide, app_here), (general, _, app_general) = seen
    assert perms.has(here, "manage_threads") and not perms.has(server_wide, "manage_threads")
    assert not perms.has(here, "embed_links") and perms.has(general, "embed_links")
    assert not perms.has(general, "manage_threads")
    assert not perms.has(app_here, "attach_files") and perms.has(app_general, "attach_files")


async def test_a_private_thread_is_hidden_with_its_channel(
    client: discord.Client, fake: FakeDiscord, desk: Desk
) -> None:
    tickets = client.get_channel(desk.channel("tickets").id)
    assert isinstance(tickets, discord.TextChannel)
    thread = await tickets.create_thread(name="#1", type=discord.ChannelType.private_thread)
    await thread.add_user(discord.Object(desk.member("alice").id))
    alice = desk.member("alice")
    await alice.say(thread.id, "I am in")
    with pytest.raises(ClientRefused, match="not a member of private thread"):
        await desk.member("bob").say(thread.id, "let me in")
    # Manage Threads in the parent channel shows every private thread under it.
    desk.overwrite("tickets", member="bob", allow=("manage_threads",))
    await desk.member("bob").say(thread.id, "moderating")
    # Whoever can't see the channel can't see its threads, even as a thread member.
    desk.overwrite("tickets", member="alice", deny=("view_channel",))
    with pytest.raises(ClientRefused, match="cannot see"):
        await alice.say(thread.id, "still here?")


async def test_second_guild_has_its_own_everything(
    client: discord.Client, fake: FakeDiscord, desk: Desk
) -> None:
    guild = desk.join_guild("Other")
    other = desk.in_guild(guild)
    await desk.wait_for(lambda: client.get_guild(guild.id), message="GUILD_CREATE for B")
    assert other.guild_id == guild.id != desk.guild_id
    assert other.member("alice").id != desk.member("alice").id
    assert other.channel("tickets").id != desk.channel("tickets").id
    assert other.role("Staff")["id"] != desk.role("Staff")["id"]
    assert int(other.role("@everyone")["id"]) == guild.id
    cached = client.get_guild(guild.id)
    assert cached is not None and cached.get_channel(desk.channel("tickets").id) is None


async def test_deleting_a_role_takes_it_from_members_and_the_client(
    client: discord.Client, fake: FakeDiscord, desk: Desk
) -> None:
    role_id = int(desk.role("Staff")["id"])
    staff_id = desk.member("staff").id
    guild = client.get_guild(fake.guild.id)
    assert guild is not None and guild.get_role(role_id) is not None
    desk.delete_role("Staff")
    await desk.wait_for(lambda: guild.get_role(role_id) is None, message="GUILD_ROLE_DELETE")
    assert str(role_id) not in fake.guild.members[staff_id]["roles"]
    with pytest.raises(KeyError):
        desk.role("Staff")
    created = desk.create_role("Mods", "manage_threads", holders=("bob",))
    await desk.wait_for(lambda: guild.get_role(int(created["id"])), message="GUILD_ROLE_CREATE")
    assert created["id"] in fake.guild.members[desk.member("bob").id]["roles"]
