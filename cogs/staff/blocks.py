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
from cogs.shared.language import member_speech
from cogs.shared.pager import page_label, pager
from cogs.shared.text import COLOUR_BAD, clip, role_mention, send_ephemeral, user_mention
from core.models import Page
from core.staff_models import Block, BlockKind
from core.validation import REASON_MAX
from i18n import N_, Speech


def _target(block: Block) -> str:
    if block.kind is BlockKind.MEMBER:
        return user_mention(block.target_id)
    return role_mention(block.target_id)


def _line(block: Block, t: Speech) -> str:
    when = discord.utils.format_dt(block.created_at, "R")
    line = t._(
        "{target} · by {user} {when}",
        target=_target(block),
        user=user_mention(block.blocked_by),
        when=when,
    )
    if block.reason:
        line += f" · {clip(discord.utils.escape_markdown(block.reason), 200)}"
    return line


def blocked_embed(blocks: Page[Block], t: Speech) -> discord.Embed:
    embed = discord.Embed(
        title=t._("Blocked from opening tickets and submitting forms"),
        description="\n".join(_line(b, t) for b in blocks.items) or t._("Nobody is blocked."),
        colour=COLOUR_BAD,
    )
    embed.set_footer(
        text=t.ngettext(
            "Page {page} of {pages} · {count} block · lift one with /admin unblock",
            "Page {page} of {pages} · {count} blocks · lift one with /admin unblock",
            blocks.total,
            page=t.number(blocks.page + 1),
            pages=t.number(blocks.page_count),
            count=t.number(blocks.total),
        )
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

    return blocked_embed(blocks, member_speech(interaction)), pager(
        make, blocks.page, blocks.page_count
    )


class BlockCommands(app_commands.Group):
    def __init__(self, desk: TicketDesk) -> None:
        super().__init__(
            name="block", description=N_("Stop a member or a role from opening tickets and forms")
        )
        self.desk = desk

    @app_commands.command(name="member", description=N_("Block a member from tickets and forms"))
    @app_commands.describe(
        member=N_("Who to block"), reason=N_("Why (kept for staff, not shown to them)")
    )
    async def member(
        self,
        interaction: discord.Interaction,
        member: discord.User,
        reason: app_commands.Range[str, 1, REASON_MAX] | None = None,
    ) -> None:
        actor, config = await self.desk.actor(interaction)
        block = await self.desk.services.blocks.block_member(actor, member.id, reason)
        t = member_speech(interaction)
        await send_ephemeral(
            interaction,
            t._(
                "⛔ {member} is blocked: they can no longer open tickets or submit forms here. "
                "Tickets they already have stay usable. Undo with `/admin unblock member`.",
                member=member.mention,
            ),
        )
        server = self.desk.server_speech(config)
        line = server._(
            "⛔ {user} blocked {member} from tickets and forms.",
            user=user_mention(actor.user_id),
            member=member.mention,
        )
        if block.reason:
            line += " " + server._("Reason: {reason}", reason=clip(block.reason, 300))
        await self.desk.log_event(config, line)

    @app_commands.command(name="role", description=N_("Block everyone with a role (never staff)"))
    @app_commands.describe(role=N_("Members with this role can't open tickets or submit forms"))
    async def role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        actor, config = await self.desk.actor(interaction)
        await self.desk.services.blocks.block_role(actor, role.id, config)
        t = member_speech(interaction)
        await send_ephemeral(
            interaction,
            t._(
                "⛔ Members with {role} are blocked: they can no longer open tickets or submit "
                "forms here (staff holding it still can). Tickets they already have stay "
                "usable. Undo with `/admin unblock role`.",
                role=role.mention,
            ),
        )
        server = self.desk.server_speech(config)
        await self.desk.log_event(
            config,
            server._(
                "⛔ {user} blocked the role {role} from tickets and forms.",
                user=user_mention(actor.user_id),
                role=role.mention,
            ),
        )


class UnblockCommands(app_commands.Group):
    def __init__(self, desk: TicketDesk) -> None:
        super().__init__(name="unblock", description=N_("Lift a block"))
        self.desk = desk

    async def _unblock(
        self, interaction: discord.Interaction, kind: BlockKind, target_id: int, shown: str
    ) -> None:
        actor, config = await self.desk.actor(interaction)
        await self.desk.services.blocks.unblock(actor, kind, target_id)
        t = member_speech(interaction)
        server = self.desk.server_speech(config)
        user = user_mention(actor.user_id)
        if kind is BlockKind.MEMBER:
            done = t._(
                "✅ {member} is no longer blocked from opening tickets or submitting forms.",
                member=shown,
            )
            line = server._("✅ {user} unblocked {member}.", user=user, member=shown)
        else:
            done = t._(
                "✅ The role {role} is no longer blocked from opening tickets or submitting forms.",
                role=shown,
            )
            line = server._("✅ {user} unblocked the role {role}.", user=user, role=shown)
        await send_ephemeral(interaction, done)
        await self.desk.log_event(config, line)

    @app_commands.command(name="member", description=N_("Let a blocked member open tickets again"))
    @app_commands.describe(member=N_("Who to unblock"))
    async def member(self, interaction: discord.Interaction, member: discord.User) -> None:
        await self._unblock(interaction, BlockKind.MEMBER, member.id, member.mention)

    @app_commands.command(name="role", description=N_("Let members with a blocked role back in"))
    @app_commands.describe(role=N_("The role to unblock"))
    async def role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        await self._unblock(interaction, BlockKind.ROLE, role.id, role.mention)


def blocked_command(desk: TicketDesk) -> app_commands.Command:
    """`/admin blocked`, added to the `/admin` group by this package's register()."""

    @app_commands.command(name="blocked", description=N_("Who is blocked from tickets and forms"))
    async def blocked(interaction: discord.Interaction) -> None:
        embed, view = await blocked_page(desk, interaction, 0)
        await send_ephemeral(interaction, "", embed=embed, **({"view": view} if view else {}))

    return blocked


BLOCK_ITEMS = (BlockedPage,)
