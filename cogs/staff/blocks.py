"""`/admin block member|role`, `/admin unblock member|role`, `/admin blocked`.

These live under `/admin` (cogs/admin builds that group); this package adds them to it at
registration, so the admin package needs no change. Discord hides `/admin` from members
(Manage Server); the service refuses anyone else who sends one anyway.
"""

from __future__ import annotations

import re
from typing import Self

import discord
from discord import app_commands

from cogs.shared.buttons import PersistentButton
from cogs.shared.custom_ids import ANY, page_in
from cogs.shared.desk import TicketDesk
from cogs.shared.pager import page_label, pager
from cogs.shared.text import COLOUR_BAD, clip, send_ephemeral
from core.models import Page
from core.staff_models import Block, BlockKind
from core.validation import REASON_MAX

UNDONE = "Tickets they already have stay usable."


def _target(block: Block) -> str:
    return f"<@{block.target_id}>" if block.kind is BlockKind.MEMBER else f"<@&{block.target_id}>"


def _line(block: Block) -> str:
    when = discord.utils.format_dt(block.created_at, "R")
    reason = f" · {clip(discord.utils.escape_markdown(block.reason), 200)}" if block.reason else ""
    return f"{_target(block)} · by <@{block.blocked_by}> {when}{reason}"


def blocked_embed(blocks: Page[Block]) -> discord.Embed:
    embed = discord.Embed(
        title="Blocked from opening tickets and submitting forms",
        description="\n".join(_line(b) for b in blocks.items) or "Nobody is blocked.",
        colour=COLOUR_BAD,
    )
    embed.set_footer(
        text=f"Page {blocks.page + 1} of {blocks.page_count} · {blocks.total} blocks · "
        "lift one with /admin unblock"
    )
    return embed


class BlockedPage(PersistentButton, template=rf"admin:blocked:(?P<page>{ANY})"):
    """Previous / Next under `/admin blocked`."""

    def __init__(self, page: int, *, label: str, disabled: bool = False) -> None:
        super().__init__(f"admin:blocked:{page}", label=label, disabled=disabled)
        self.page = page

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        return cls(page_in(match["page"]), label=item.label or "")

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        embed, view = await blocked_page(desk, interaction, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


async def blocked_page(
    desk: TicketDesk, interaction: discord.Interaction, page: int
) -> tuple[discord.Embed, discord.ui.View | None]:
    actor, _ = await desk.actor(interaction)
    blocks = await desk.services.blocks.page(actor, page)

    def make(target: int, forward: bool, disabled: bool) -> BlockedPage:
        return BlockedPage(target, label=page_label(forward), disabled=disabled)

    return blocked_embed(blocks), pager(make, blocks.page, blocks.page_count)


class BlockCommands(app_commands.Group):
    def __init__(self, desk: TicketDesk) -> None:
        super().__init__(
            name="block", description="Stop a member or a role from opening tickets and forms"
        )
        self.desk = desk

    @app_commands.command(name="member", description="Block a member from tickets and forms")
    @app_commands.describe(member="Who to block", reason="Why (kept for staff, not shown to them)")
    async def member(
        self,
        interaction: discord.Interaction,
        member: discord.User,
        reason: app_commands.Range[str, 1, REASON_MAX] | None = None,
    ) -> None:
        actor, config = await self.desk.actor(interaction)
        block = await self.desk.services.blocks.block_member(actor, member.id, reason)
        await send_ephemeral(
            interaction,
            f"⛔ {member.mention} is blocked: they can no longer open tickets or submit forms "
            f"here. {UNDONE} Undo with `/admin unblock member`.",
        )
        why = f" Reason: {clip(block.reason, 300)}" if block.reason else ""
        await self.desk.log_event(
            config, f"⛔ <@{actor.user_id}> blocked {member.mention} from tickets and forms.{why}"
        )

    @app_commands.command(name="role", description="Block everyone with a role (never staff)")
    @app_commands.describe(role="Members with this role can't open tickets or submit forms")
    async def role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        actor, config = await self.desk.actor(interaction)
        await self.desk.services.blocks.block_role(actor, role.id, config)
        await send_ephemeral(
            interaction,
            f"⛔ Members with {role.mention} are blocked: they can no longer open tickets or "
            f"submit forms here (staff holding it still can). {UNDONE} Undo with "
            "`/admin unblock role`.",
        )
        await self.desk.log_event(
            config, f"⛔ <@{actor.user_id}> blocked the role {role.mention} from tickets and forms."
        )


class UnblockCommands(app_commands.Group):
    def __init__(self, desk: TicketDesk) -> None:
        super().__init__(name="unblock", description="Lift a block")
        self.desk = desk

    async def _unblock(
        self, interaction: discord.Interaction, kind: BlockKind, target_id: int, shown: str
    ) -> None:
        actor, config = await self.desk.actor(interaction)
        await self.desk.services.blocks.unblock(actor, kind, target_id)
        await send_ephemeral(
            interaction,
            f"✅ {shown} is no longer blocked from opening tickets or submitting forms.",
        )
        await self.desk.log_event(config, f"✅ <@{actor.user_id}> unblocked {shown}.")

    @app_commands.command(name="member", description="Let a blocked member open tickets again")
    async def member(self, interaction: discord.Interaction, member: discord.User) -> None:
        await self._unblock(interaction, BlockKind.MEMBER, member.id, member.mention)

    @app_commands.command(name="role", description="Let members with a blocked role back in")
    async def role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        await self._unblock(interaction, BlockKind.ROLE, role.id, f"The role {role.mention}")


def blocked_command(desk: TicketDesk) -> app_commands.Command:
    """`/admin blocked`, added to the `/admin` group by this package's register()."""

    @app_commands.command(name="blocked", description="Who is blocked from tickets and forms")
    async def blocked(interaction: discord.Interaction) -> None:
        embed, view = await blocked_page(desk, interaction, 0)
        await send_ephemeral(interaction, "", embed=embed, **({"view": view} if view else {}))

    return blocked


BLOCK_ITEMS = (BlockedPage,)
