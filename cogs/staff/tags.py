"""`/tag`: canned replies. Admins create, edit and delete them; staff post them in a
ticket's thread (`/tag use`, a staff reply like `/ticket reply`) and list them.

Discord can only hide a whole command group by permission and staff are often staff by a
role alone, so `/tag` is visible to everyone and the service refuses who may not.
Creating and editing take the content in a modal, so a tag can span several lines.
"""

from __future__ import annotations

import re
from typing import Self

import discord
from discord import app_commands
from discord.ext import commands

from cogs.shared.buttons import PersistentButton
from cogs.shared.custom_ids import ANY, id_in, page_in
from cogs.shared.desk import TicketDesk, desk_of
from cogs.shared.language import member_speech
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.pager import page_label, pager
from cogs.shared.submitted import Submitted
from cogs.shared.text import COLOUR_OPEN, clip, send_ephemeral, user_mention
from cogs.staff.where import ticket_in_thread
from cogs.tickets.replies import post_reply
from core.errors import InvalidInput
from core.models import Page
from core.staff_models import Tag
from core.tags import CONTENT_MAX, NAME_MAX
from i18n import N_, Speech


def _choice(tag: Tag) -> app_commands.Choice[str]:
    first_line = tag.content.splitlines()[0] if tag.content else ""
    return app_commands.Choice(name=clip(f"{tag.name} · {first_line}", 100), value=tag.name)


def _quoted(name: str) -> str:
    return f"“{discord.utils.escape_markdown(name)}”"


def list_embed(tags: Page[Tag], t: Speech) -> discord.Embed:
    rows = [
        f"**{discord.utils.escape_markdown(tag.name)}** · "
        f"{clip(discord.utils.escape_markdown(' '.join(tag.content.split())), 90)}"
        for tag in tags.items
    ]
    embed = discord.Embed(
        title=t._("Tags"),
        description="\n".join(rows)
        or t._("No tags yet. An admin can create one with `/tag create name`."),
        colour=COLOUR_OPEN,
    )
    embed.set_footer(
        text=t.ngettext(
            "Page {page} of {pages} · {count} tag · post one in a ticket's thread with /tag use",
            "Page {page} of {pages} · {count} tags · post one in a ticket's thread with /tag use",
            tags.total,
            page=t.number(tags.page + 1),
            pages=t.number(tags.page_count),
            count=t.number(tags.total),
        )
    )
    return embed


class TagListPage(PersistentButton, template=rf"tag:list:(?P<page>{ANY})"):
    """Previous / Next under `/tag list`."""

    def __init__(self, page: int, *, label: str, disabled: bool = False) -> None:
        super().__init__(f"tag:list:{page}", label=label, disabled=disabled)
        self.page = page

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        return cls(page_in(match["page"]), label=item.label or "")

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        embed, view = await tag_page(desk, interaction, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


async def tag_page(
    desk: TicketDesk, interaction: discord.Interaction, page: int
) -> tuple[discord.Embed, discord.ui.View | None]:
    actor, _ = await desk.actor(interaction)
    tags = await desk.services.tags.page(actor, page)

    def make(target: int, forward: bool, disabled: bool) -> TagListPage:
        return TagListPage(target, label=page_label(forward), disabled=disabled)

    return list_embed(tags, member_speech(interaction)), pager(make, tags.page, tags.page_count)


class TagModal(RoutedModal, template=rf"tag:(?P<action>new|edit):(?P<id>{ANY}):{NONCE}"):
    """The name and content of a new tag, or of one being edited (`id` is the tag's)."""

    name: discord.ui.TextInput = discord.ui.TextInput(
        label=N_("Name"), max_length=NAME_MAX, custom_id="name"
    )
    content: discord.ui.TextInput = discord.ui.TextInput(
        label=N_("Content (what /tag use posts)"),
        style=discord.TextStyle.paragraph,
        max_length=CONTENT_MAX,
        custom_id="content",
    )

    def __init__(self, t: Speech, *, name: str, tag: Tag | None = None) -> None:
        action = "edit" if tag else "new"
        title = t._("Edit tag {name}", name=name) if tag else t._("New tag {name}", name=name)
        super().__init__(
            title=clip(title, 45),
            custom_id=f"tag:{action}:{tag.id if tag else 0}:{nonce()}",
        )
        self.name.label = t._("Name")
        self.content.label = t._("Content (what /tag use posts)")
        self.name.default = name
        if tag is not None:
            self.content.default = tag.content

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        desk = desk_of(interaction)
        actor, config = await desk.actor(interaction)
        tags = desk.services.tags
        t, server = member_speech(interaction), desk.server_speech(config)
        name, content = values.text("name"), values.text("content")
        user = user_mention(actor.user_id)
        if match["action"] == "new":
            tag = await tags.create(actor, name, content)
            done = t._(
                "🏷️ Tag {name} created. Staff post it in a ticket's thread with "
                "`/tag use name:{tag}`.",
                name=_quoted(tag.name),
                tag=tag.name,
            )
            event = server._("🏷️ {user} created tag {name}", user=user, name=_quoted(tag.name))
        else:
            tag = await tags.edit(actor, id_in(match["id"]), name, content)
            done = t._(
                "🏷️ Tag {name} saved. Staff post it in a ticket's thread with "
                "`/tag use name:{tag}`.",
                name=_quoted(tag.name),
                tag=tag.name,
            )
            event = server._("🏷️ {user} edited tag {name}", user=user, name=_quoted(tag.name))
        await send_ephemeral(interaction, done)
        await desk.log_event(config, event)


@app_commands.guild_only()
class TagCommands(commands.GroupCog, group_name="tag", group_description=N_("Canned replies")):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.tags = desk.services.tags
        super().__init__()

    async def _names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        actor, _ = await self.desk.actor(interaction)
        return [_choice(tag) for tag in await self.tags.suggest(actor, current)]

    @app_commands.command(
        name="use", description=N_("Post a tag as your reply in this ticket (staff)")
    )
    @app_commands.describe(name=N_("The tag to post"))
    async def use(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, NAME_MAX]
    ) -> None:
        actor, _ = await self.desk.actor(interaction)
        tag = await self.tags.get(actor, name)  # staff only, and the tag must exist
        number = await ticket_in_thread(self.desk, interaction)
        if number is None:
            raise InvalidInput("ticket", "tag.here_only")
        await interaction.response.defer(ephemeral=True, thinking=True)
        _, stored = await self.tags.use(actor, number, tag.name)
        outcome, file = await post_reply(
            self.desk, interaction.user.display_name, stored, member_speech(interaction)
        )
        await send_ephemeral(interaction, outcome, **({"file": file} if file else {}))

    use.autocomplete("name")(_names)

    @app_commands.command(name="list", description=N_("The server's tags (staff)"))
    async def list_(self, interaction: discord.Interaction) -> None:
        embed, view = await tag_page(self.desk, interaction, 0)
        await send_ephemeral(interaction, "", embed=embed, **({"view": view} if view else {}))

    @app_commands.command(
        name="create", description=N_("Create a tag; its text comes next (admin)")
    )
    @app_commands.describe(name=N_("A short name staff will pick it by (up to 32 characters)"))
    async def create(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, NAME_MAX]
    ) -> None:
        actor, _ = await self.desk.actor(interaction)
        wanted = await self.tags.check_new(actor, name)
        await TagModal(member_speech(interaction), name=wanted).show(interaction)

    @app_commands.command(name="edit", description=N_("Change a tag's name or text (admin)"))
    @app_commands.describe(name=N_("The tag to edit"))
    async def edit(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, NAME_MAX]
    ) -> None:
        actor, _ = await self.desk.actor(interaction)
        tag = await self.tags.for_edit(actor, name)
        await TagModal(member_speech(interaction), name=tag.name, tag=tag).show(interaction)

    edit.autocomplete("name")(_names)

    @app_commands.command(name="delete", description=N_("Delete a tag (admin)"))
    @app_commands.describe(name=N_("The tag to delete"))
    async def delete(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, NAME_MAX]
    ) -> None:
        actor, config = await self.desk.actor(interaction)
        tag = await self.tags.delete(actor, name)
        # Its text goes back to the admin, so a slip is undone with /tag create.
        t = member_speech(interaction)
        said = t._(
            "🗑️ Tag {name} deleted. Its text, in case you need it again:", name=_quoted(tag.name)
        )
        await send_ephemeral(interaction, f"{said}\n>>> {clip(tag.content, 1800)}")
        server = self.desk.server_speech(config)
        await self.desk.log_event(
            config,
            server._(
                "🗑️ {user} deleted tag {name}",
                user=user_mention(actor.user_id),
                name=_quoted(tag.name),
            ),
        )

    delete.autocomplete("name")(_names)


TAG_ITEMS = (TagListPage,)
