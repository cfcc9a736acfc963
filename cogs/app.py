"""The bot: builds the cogs from the services, syncs commands, turns errors into replies."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs.admin import AdminCommands, ForgetConfirm
from cogs.ai import AIReplies
from cogs.ai_buttons import AI_DYNAMIC_ITEMS
from cogs.common import NO_PINGS
from cogs.components import DYNAMIC_ITEMS
from cogs.desk import TicketDesk
from cogs.errors import report_error
from cogs.feedback import FEEDBACK_ITEMS
from cogs.forms import FORM_ITEMS, FormCommands
from cogs.ownership import require_own_options
from cogs.panel import DepartmentPicker, OpenTicketButton
from cogs.threads import ThreadMirror
from cogs.tickets import TicketCommands
from cogs.upkeep import Upkeep
from core.services import Services
from core.settings import Settings

log = logging.getLogger(__name__)


class DeskTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Before any command runs (and before discord.py resolves its options).
        require_own_options(interaction)
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)


class TicketBot(commands.Bot):
    def __init__(self, settings: Settings, services: Services) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.message_content = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=DeskTree,
            allowed_mentions=NO_PINGS,
            help_command=None,
        )
        self.settings = settings
        self.services = services
        self.desk = TicketDesk(self, services)

    async def setup_hook(self) -> None:
        await self.add_cog(TicketCommands(self.desk))
        await self.add_cog(AdminCommands(self.desk))
        await self.add_cog(FormCommands(self.desk))
        await self.add_cog(ThreadMirror(self.desk))
        await self.add_cog(AIReplies(self.desk))
        await self.add_cog(Upkeep(self.desk))
        for extra in getattr(self, "extra_cogs", ()):
            await self.add_cog(extra)
        self.add_dynamic_items(
            *DYNAMIC_ITEMS,
            *FEEDBACK_ITEMS,
            *AI_DYNAMIC_ITEMS,
            *FORM_ITEMS,
            ForgetConfirm,
            OpenTicketButton,
            DepartmentPicker,
        )
        await self.sync_commands()

    async def sync_commands(self) -> None:
        guild_id = self.settings.DEV_GUILD_ID
        if guild_id:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %s commands", len(synced))

    async def on_ready(self) -> None:
        log.info("ready as %s in %s servers", self.user, len(self.guilds))

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Greet the admins once, in the first channel the bot may post in."""
        channel = guild.system_channel
        if channel is None or not channel.permissions_for(guild.me).send_messages:
            channel = next(
                (c for c in guild.text_channels if c.permissions_for(guild.me).send_messages),
                None,
            )
        if channel is None:
            return
        try:
            await channel.send(
                "👋 Thanks for adding the ticket desk! An admin can set it up with one command: "
                "`/admin setup ticket_channel:#tickets staff_role:@Staff`.",
                allowed_mentions=NO_PINGS,
            )
        except discord.HTTPException as error:
            log.info("could not greet guild %s: %s", guild.id, error)


def build_bot(settings: Settings, services: Services) -> TicketBot:
    return TicketBot(settings, services)
